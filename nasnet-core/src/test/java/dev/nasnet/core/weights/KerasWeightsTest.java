package dev.nasnet.core.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nasnet.core.graph.Mode;
import dev.nasnet.core.graph.PoolPadding;
import dev.nasnet.core.inference.NasNetClassifier;
import dev.nasnet.core.model.NasNetBuilder;
import dev.nasnet.core.model.NasNetConfig;
import dev.nasnet.core.model.NasNetModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.types.TFloat32;

/** Our logits against Keras 3.15's on the same weights and input (fixtures from tools/keras-reference). */
class KerasWeightsTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0}{1}")
  @CsvSource({"tiny_mobile, .h5", "tiny_mobile, .weights.h5", "tiny_large, .h5", "tiny_large, .weights.h5"})
  void logitsEqualKerasOnTheSameWeights(String name, String suffix) {
    KerasFixture f = KerasFixture.load(name);
    try (NasNetClassifier net = NasNetClassifier.create(f.config())) {
      var report = net.load(f.file(suffix));
      assertThat(report.restored()).hasSize(net.model().variables().size());
      float[][] ours = net.logits(f.input());
      double diff = KerasFixture.maxAbsDifference(ours, f.logits());
      assertThat(diff).as("max |ours - keras| of %s logits (max |logit| %s)", name,
          f.meta().get("max_abs_logit")).isLessThanOrEqualTo(1e-4);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"tiny_mobile", "tiny_large"})
  void slimPaddingOnTheSameWeightsDiffersOnlyAtTheBorder(String name) {
    // The same weights with slim's SAME pools: the logits move, which is why ZEROS exists (docs/results.md).
    KerasFixture f = KerasFixture.load(name);
    NasNetConfig slim = f.config().toBuilder().poolPadding(PoolPadding.SAME).build();
    try (NasNetClassifier net = NasNetClassifier.create(slim)) {
      net.load(f.file(".h5"));
      double diff = KerasFixture.maxAbsDifference(net.logits(f.input()), f.logits());
      assertThat(diff).isGreaterThan(1e-3);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"tiny_mobile", "tiny_large"})
  void noTopFileGivesKerasPooledFeaturesInAHeadlessModel(String name) {
    KerasFixture f = KerasFixture.load(name);
    NasNetConfig headless = f.config().toBuilder().numClasses(0).build();
    try (Graph g = new Graph()) {
      NasNetModel model = new NasNetBuilder(headless).build(g, Mode.INFERENCE);
      try (Session s = new Session(g)) {
        s.initialize();
        NasNetWeights.restore(s, model, f.file("-no-top.h5"));
        float[][][][] x = f.input();
        try (TFloat32 in = TFloat32.tensorOf(Shape.of(x.length, x[0].length, x[0].length, 3))) {
          StdArrays.copyTo(x, in);
          try (Result r = s.runner().feed(model.images(), in).fetch(model.features()).run()) {
            float[][] ours = StdArrays.array2dCopyOf((TFloat32) r.get(0));
            assertThat(KerasFixture.maxAbsDifference(ours, f.features())).isLessThanOrEqualTo(1e-4);
          }
        }
        // A full file into a headless model: the classifier layer is skipped, the rest loads.
        assertThat(NasNetWeights.restore(s, model, f.file(".h5")).restored()).hasSize(model.variables().size());
      }
    }
  }

  @Test
  void savedAsSlimCheckpointGivesTheSameModel() {
    KerasFixture f = KerasFixture.load("tiny_large");
    Path prefix = dir.resolve("slim/model.ckpt");
    float[][] fromKeras;
    try (NasNetClassifier net = NasNetClassifier.create(f.config())) {
      net.load(f.file(".weights.h5"));
      fromKeras = net.logits(f.input());
      net.save(prefix);
    }
    try (NasNetClassifier net = NasNetClassifier.create(f.config())) {
      net.load(prefix);
      assertThat(net.logits(f.input())).isDeepEqualTo(fromKeras);
    }
  }

  @Test
  void fileForAnotherArchitectureNamesTheFirstLayerThatDoesNotFitAndBothShapes() {
    KerasFixture small = KerasFixture.load("tiny_mobile");
    KerasFixture large = KerasFixture.load("tiny_large");
    try (NasNetClassifier net = NasNetClassifier.create(large.config())) {
      float[][] before = net.logits(large.input());
      assertThatThrownBy(() -> net.load(small.file(".h5"))).isInstanceOf(WeightsException.class)
          .hasMessageContaining("tiny_mobile.h5").hasMessageContaining("layer 'stem_conv1'")
          .hasMessageContaining("[3, 3, 3, 32]").hasMessageContaining("[3, 3, 3, 96]")
          .hasMessageContaining("conv0/weights");
      // Nothing was assigned: the check comes before any variable changes.
      assertThat(net.logits(large.input())).isDeepEqualTo(before);
    }
  }

  @Test
  void wrongClassCountIsNamed() {
    KerasFixture f = KerasFixture.load("tiny_mobile");
    try (NasNetClassifier net = NasNetClassifier.create(f.config().toBuilder().numClasses(1000).build())) {
      assertThatThrownBy(() -> net.load(f.file(".weights.h5"))).isInstanceOf(WeightsException.class)
          .hasMessageContaining("layer 'predictions'").hasMessageContaining("[96, 10]")
          .hasMessageContaining("[96, 1000]").hasMessageContaining("the file has 10 classes, the model 1000");
    }
  }

  @Test
  void noTopFileIntoAModelWithClassesSaysSo() {
    KerasFixture f = KerasFixture.load("tiny_mobile");
    try (NasNetClassifier net = NasNetClassifier.create(f.config())) {
      assertThatThrownBy(() -> net.load(f.file("-no-top.h5"))).isInstanceOf(WeightsException.class)
          .hasMessageContaining("final_layer/FC/weights").hasMessageContaining("-no-top")
          .hasMessageContaining("numClasses(0)");
    }
  }

  @ParameterizedTest(name = "{0} cut to {1}")
  @CsvSource({".h5, 0.5", ".h5, 0.97", ".weights.h5, 0.5", ".weights.h5, 0.97", ".h5, 0.0001"})
  void truncatedFileFailsNamingTheFile(String suffix, double keep) throws IOException {
    KerasFixture f = KerasFixture.load("tiny_mobile");
    byte[] whole = Files.readAllBytes(f.file(suffix));
    Path cut = dir.resolve("cut" + suffix);
    Files.write(cut, Arrays.copyOf(whole, (int) (whole.length * keep)));
    try (NasNetClassifier net = NasNetClassifier.create(f.config())) {
      assertThatThrownBy(() -> net.load(cut)).isInstanceOf(WeightsException.class)
          .hasMessageContaining(cut.toString());
    }
  }

  @Test
  void emptyAndForeignFilesAreRefusedByName() throws IOException {
    Path empty = Files.createFile(dir.resolve("empty.h5"));
    Path text = Files.writeString(dir.resolve("notes.h5"), "not weights");
    Path other = Files.writeString(dir.resolve("weights.bin"), "x");
    KerasFixture f = KerasFixture.load("tiny_mobile");
    try (NasNetClassifier net = NasNetClassifier.create(f.config())) {
      assertThatThrownBy(() -> net.load(empty)).hasMessageContaining("empty.h5").hasMessageContaining("HDF5");
      assertThatThrownBy(() -> net.load(text)).hasMessageContaining("notes.h5").hasMessageContaining("HDF5");
      assertThatThrownBy(() -> net.load(other)).hasMessageContaining("weights.bin");
      assertThatThrownBy(() -> net.load(dir.resolve("missing.h5"))).hasMessageContaining("missing.h5");
    }
  }

  @Test
  void sha256IsCheckedBeforeUse() throws IOException {
    KerasFixture f = KerasFixture.load("tiny_mobile");
    String actual = NasNetWeights.sha256(f.file(".h5"));
    NasNetWeights.verifySha256(f.file(".h5"), actual.toUpperCase(java.util.Locale.ROOT));
    String wrong = (actual.charAt(0) == '0' ? "1" : "0") + actual.substring(1);
    assertThatThrownBy(() -> NasNetWeights.verifySha256(f.file(".h5"), wrong)).isInstanceOf(WeightsException.class)
        .hasMessageContaining(actual).hasMessageContaining(wrong);
  }
}
