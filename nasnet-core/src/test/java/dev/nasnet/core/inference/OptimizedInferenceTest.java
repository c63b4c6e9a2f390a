package dev.nasnet.core.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nasnet.core.TinyConfigs;
import dev.nasnet.core.graph.ModelVariable;
import dev.nasnet.core.model.NasNetConfig;
import dev.nasnet.core.runtime.GraphSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.types.TFloat32;

class OptimizedInferenceTest {
  /** The CIFAR stem, and the ImageNet stem with Keras' zero-padded pools (pads between some convs and their input). */
  private static final List<NasNetConfig> CONFIGS = List.of(TinyConfigs.cifar(),
      NasNetConfig.mobile().keras().toBuilder().name("tiny_imagenet").imageSize(32).numCells(3).numConvFilters(8)
          .numClasses(7).build());

  @Test
  void theFrozenFoldedGraphComputesThePlainGraphsOutputs() {
    for (NasNetConfig config : CONFIGS) {
      float[][][][] images = images(config, 3, 5);
      try (NasNetClassifier net = NasNetClassifier.create(config)) {
        randomizeBatchNorms(net, 7);
        float[][] plain = net.logits(images);
        float[][] plainProbabilities = net.probabilities(images);
        assertThat(net.isOptimizedForInference()).isFalse();
        net.optimizeForInference();
        assertThat(net.isOptimizedForInference()).isTrue();
        float[][] folded = net.logits(images);
        float[][] foldedProbabilities = net.probabilities(images);
        double scale = maxAbs(plain);
        assertThat(scale).as("logits of %s", config.name()).isGreaterThan(0.1);
        assertThat(maxAbsDifference(plain, folded)).as(config.name()).isLessThan(1e-5 * scale + 1e-6);
        assertThat(maxAbsDifference(plainProbabilities, foldedProbabilities)).isLessThan(1e-5);
        try (TFloat32 batch = TFloat32.tensorOf(Shape.of(3, config.imageSize(), config.imageSize(), 3));
            TFloat32 out = net.logits(batch)) {
          assertThat(out.shape().asArray()).containsExactly(3, config.numClasses());
        }
      }
    }
  }

  @Test
  void foldingRewiresEveryBatchNormIntoTheConvolutionsBeforeItAndPrunesTheRest() {
    NasNetConfig config = CONFIGS.get(1);
    try (NasNetClassifier net = NasNetClassifier.create(config)) {
      Operand<TFloat32> logits = net.model().logits().orElseThrow();
      GraphDef plain = GraphDefs.prune(net.model().graph().toGraphDef(), Set.of(logits.op().name()));
      int batchNorms = count(plain, "FusedBatchNormV3");
      java.util.Map<String, String> opOf = new java.util.HashMap<>();
      plain.getNodeList().forEach(n -> opOf.put(n.getName(), n.getOp()));
      // Every batch norm follows a convolution, or (the factorized reductions') a concatenation of two.
      int afterConcat = (int) plain.getNodeList().stream().filter(n -> n.getOp().equals("FusedBatchNormV3"))
          .filter(n -> opOf.get(n.getInput(0)).equals("ConcatV2")).count();
      assertThat(afterConcat).isPositive();
      assertThat(count(plain, "Assign")).as("initialisers are pruned").isZero();

      BatchNormFolding.Result folding = FoldedGraph.define(net.model().graph(), Set.of(logits.op().name()));
      assertThat(folding.batchNorms()).isEqualTo(batchNorms);
      // After a concatenation of two 1x1 convs the batch norm folds into both.
      assertThat(folding.folds()).hasSize(batchNorms + afterConcat);
      assertThat(folding.folds()).filteredOn(f -> f.firstChannel() > 0).hasSize(afterConcat);
      assertThat(count(folding.graph(), "FusedBatchNormV3")).isZero();
      assertThat(count(folding.graph(), "BiasAdd") - count(plain, "BiasAdd")).isEqualTo(folding.folds().size());
      // A fold trades a filter and four batch-norm variables for a folded filter and a bias; a concatenation's, two
      // filters and the four for two of each.
      assertThat(FoldedGraph.variables(folding.graph())).hasSize(FoldedGraph.variables(plain).size()
          - 3 * (batchNorms - afterConcat) - 2 * afterConcat).contains(folding.folds().get(0).foldedWeights())
          .doesNotContain(folding.folds().get(0).gamma());
    }
  }

  @Test
  void loadingAfterOptimisingRefreezesTheNewWeights(@TempDir Path dir) {
    NasNetConfig config = CONFIGS.get(0);
    float[][][][] images = images(config, 2, 9);
    float[][] expected;
    try (NasNetClassifier source = NasNetClassifier.create(config.toBuilder().seed(123).build())) {
      randomizeBatchNorms(source, 3);
      expected = source.logits(images);
      source.save(dir.resolve("ckpt"));
    }
    try (NasNetClassifier net = NasNetClassifier.create(config).optimizeForInference()) {
      float[][] before = net.logits(images);
      assertThat(maxAbsDifference(before, expected)).isGreaterThan(1e-3);
      net.restore(dir.resolve("ckpt"));
      assertThat(maxAbsDifference(net.logits(images), expected)).isLessThan(1e-5 * maxAbs(expected) + 1e-6);
    }
  }

  @Test
  void aResourceVariableIsRefusedByName() {
    GraphSession.Built<Operand<TFloat32>> built = GraphSession.build(g -> {
      Ops tf = Ops.create(g);
      var handle = tf.withName("counter").varHandleOp(TFloat32.class, Shape.scalar());
      return tf.math.add(tf.readVariableOp(handle, TFloat32.class), tf.constant(1f));
    });
    try (GraphSession gs = built.holder()) {
      assertThatThrownBy(() -> FoldedGraph.define(gs.graph(), Set.of(built.model().op().name())))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'counter'");
      assertThatThrownBy(() -> FoldedGraph.define(gs.graph(), Set.of("missing")))
          .hasMessageContaining("no node 'missing'");
    }
  }

  /** Gives every batch norm non-trivial parameters and statistics, so folding has something to fold. */
  private static void randomizeBatchNorms(NasNetClassifier net, long seed) {
    Random r = new Random(seed);
    Ops tf = Ops.create(net.model().graph());
    List<Operand<?>> assigns = new ArrayList<>();
    for (ModelVariable v : net.model().variables()) {
      String name = v.name();
      boolean variance = name.endsWith("moving_variance");
      if (variance || name.endsWith("moving_mean") || name.endsWith("gamma") || name.endsWith("beta")) {
        float[] values = new float[(int) v.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = variance ? 0.5f + r.nextFloat() : (name.endsWith("gamma") ? 0.5f + r.nextFloat()
              : (float) r.nextGaussian() * 0.3f);
        }
        Variable<TFloat32> var = v.variable();
        assigns.add(tf.assign(var, tf.constant(values)));
      }
    }
    var runner = net.session().runner();
    assigns.forEach(runner::addTarget);
    runner.run().close();
  }

  private static float[][][][] images(NasNetConfig config, int batch, long seed) {
    Random r = new Random(seed);
    int s = config.imageSize();
    float[][][][] x = new float[batch][s][s][3];
    for (float[][][] image : x) {
      for (float[][] row : image) {
        for (float[] pixel : row) {
          for (int c = 0; c < 3; c++) {
            pixel[c] = r.nextFloat() * 2 - 1;
          }
        }
      }
    }
    return x;
  }

  private static int count(GraphDef graph, String op) {
    return (int) graph.getNodeList().stream().map(NodeDef::getOp).filter(op::equals).count();
  }

  private static double maxAbs(float[][] a) {
    double m = 0;
    for (float[] row : a) {
      for (float v : row) {
        m = Math.max(m, Math.abs(v));
      }
    }
    return m;
  }

  private static double maxAbsDifference(float[][] a, float[][] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        m = Math.max(m, Math.abs(a[i][j] - b[i][j]));
      }
    }
    return m;
  }
}
