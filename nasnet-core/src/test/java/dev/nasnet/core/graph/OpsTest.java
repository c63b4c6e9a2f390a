package dev.nasnet.core.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nasnet.core.TinyConfigs;
import dev.nasnet.core.inference.NasNetClassifier;
import dev.nasnet.core.model.NasNetBuilder;
import dev.nasnet.core.model.NasNetConfig;
import dev.nasnet.core.spec.CellSpec;
import dev.nasnet.core.spec.InvalidCellSpecException;
import dev.nasnet.core.spec.OpNames;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class OpsTest {

  @Test
  void everyPaperOpGivesFFiltersAtTheStridedSizeOnOddAndEvenInputs() {
    for (int size : new int[] {9, 8}) {
      for (int stride : new int[] {1, 2}) {
        for (String name : OpNames.PAPER_OPS) {
          try (Graph g = new Graph()) {
            BuildContext ctx = new BuildContext(g, Mode.TRAINING, new BatchNormSettings(0.9f, 1e-3f), 1);
            Layers root = ctx.rootLayers();
            Placeholder<TFloat32> x = root.tf().placeholder(TFloat32.class,
                Placeholder.shape(Shape.of(-1, size, size, 5)));
            Operand<TFloat32> y = OpLibrary.standard().find(name).orElseThrow().apply(root.sub("op"), x, 4, stride);
            long expected = (size + stride - 1) / stride;
            assertThat(y.shape().asArray()).as("%s stride %s on %s", name, stride, size)
                .containsExactly(-1, expected, expected, 4);
          }
        }
      }
    }
  }

  @Test
  void factorizedReductionWithStridedConvsMatchesSlimsPadShiftAndPoolOnOddAndEvenSizes() {
    java.util.Random random = new java.util.Random(3);
    for (int size : new int[] {1, 2, 7, 8, 9, 111}) {
      for (Mode mode : Mode.values()) {
        try (Graph g = new Graph()) {
          BuildContext ctx = new BuildContext(g, mode, new BatchNormSettings(0.9f, 1e-3f), 1);
          Layers root = ctx.rootLayers();
          Placeholder<TFloat32> x = root.tf().placeholder(TFloat32.class,
              Placeholder.shape(Shape.of(-1, size, size + 1, 6)));
          Operand<TFloat32> strided = root.sub("a").factorizedReduction(x, 5, 2);
          long stridedCount = ctx.multiplyAdds();
          Operand<TFloat32> slim = root.sub("b").factorizedReductionAsSlim(x, 5, 2);
          String where = "size " + size + " " + mode;
          assertThat(ctx.multiplyAdds()).as(where).isEqualTo(2 * stridedCount);
          var tf = root.tf();
          java.util.List<org.tensorflow.op.Op> copies = new java.util.ArrayList<>();
          for (String w : new String[] {"path1_conv/weights", "path2_conv/weights"}) {
            copies.add(tf.assign(g.<TFloat32>operation("b/" + w).output(0), g.<TFloat32>operation("a/" + w).output(0)));
          }
          try (org.tensorflow.Session s = new org.tensorflow.Session(g)) {
            s.initialize();
            org.tensorflow.Session.Runner copy = s.runner();
            copies.forEach(copy::addTarget);
            copy.run().close();
            float[] values = new float[2 * size * (size + 1) * 6];
            for (int i = 0; i < values.length; i++) {
              values[i] = random.nextFloat() - 0.5f;
            }
            try (TFloat32 in = TFloat32.tensorOf(Shape.of(2, size, size + 1, 6),
                    org.tensorflow.ndarray.buffer.DataBuffers.of(values));
                org.tensorflow.Result r = s.runner().feed(x, in).fetch(strided).fetch(slim).run()) {
              TFloat32 a = (TFloat32) r.get(0);
              TFloat32 b = (TFloat32) r.get(1);
              assertThat(a.shape()).as(where).isEqualTo(b.shape());
              float[] av = new float[(int) a.size()];
              float[] bv = new float[(int) b.size()];
              a.asRawTensor().data().asFloats().read(av);
              b.asRawTensor().data().asFloats().read(bv);
              assertThat(av).as(where).containsExactly(bv, org.assertj.core.data.Offset.offset(1e-5f));
            }
          }
        }
      }
    }
  }

  @Test
  void userOpsPlugInWithoutTouchingTheCompiler() {
    CellOp halfMaxPool = (s, x, filters, stride) -> s.batchNorm("bn_mine",
        s.conv2d("mine", s.maxPool(x, 2, stride, "SAME"), filters, 1, 1, 1, "SAME"));
    OpLibrary lib = OpLibrary.standard().with("my_pool_2x2", halfMaxPool);
    CellSpec cell = CellSpec.builder("mine").add(0, "my_pool_2x2", 1, "none").add(2, "separable_3x3_2", 0, "none")
        .build();
    NasNetConfig config = TinyConfigs.cifar().toBuilder().cells(cell, cell).build();
    try (Graph g = new Graph()) {
      var model = new NasNetBuilder(config, lib).build(g, Mode.INFERENCE);
      assertThat(model.variable("cell_0/comb_iter_0/left/mine/weights")).isPresent();
      assertThat(model.summary().endpointShapes().get("Cell_2")).containsExactly(4, 4, 32);
    }
    assertThatThrownBy(() -> new NasNetBuilder(config)).isInstanceOf(InvalidCellSpecException.class)
        .hasMessageContaining("op 'my_pool_2x2' is not a known op");
  }

  @Test
  void wrongInputShapeOrChannelCountIsRejectedWithTheExpectedShape() {
    try (NasNetClassifier net = NasNetClassifier.create(TinyConfigs.cifar())) {
      assertThatThrownBy(() -> net.logits(new float[1][16][16][1])).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("takes images of shape [batch, 16, 16, 3]").hasMessageContaining("1 channels");
      assertThatThrownBy(() -> net.logits(new float[2][32][32][3])).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("got [2, 32, 32, 3]");
      float[][][][] ragged = new float[2][16][16][3];
      ragged[1][3] = new float[15][3];
      assertThatThrownBy(() -> net.logits(ragged)).hasMessageContaining("image 1 row 3 has 15 columns");
      assertThatThrownBy(() -> net.logits(new float[0][16][16][3])).hasMessageContaining("empty batch");
      try (TFloat32 wrong = TFloat32.tensorOf(Shape.of(1, 16, 16, 4))) {
        assertThatThrownBy(() -> net.logits(wrong)).hasMessageContaining("4 channels instead of 3");
      }
    }
  }
}
