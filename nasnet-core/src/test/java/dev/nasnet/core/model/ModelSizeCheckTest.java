package dev.nasnet.core.model;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nasnet.core.graph.Mode;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;

/** Networks that cannot be built or cannot fit are refused by name before any session allocates them. */
class ModelSizeCheckTest {
  @Test
  void overflowingChannelCountsAreRefusedNamingTheSetting() {
    NasNetConfig huge = NasNetConfig.cifar().toBuilder().numConvFilters(1 << 30).build();
    assertThatThrownBy(() -> new NasNetBuilder(huge)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("numConvFilters 1073741824").hasMessageContaining("--filters");
  }

  @Test
  void aModelLargerThanTheMachineIsRefusedBeforeAnySession() {
    // The issue's --filters 100008: 11.6 billion parameters, 43 GiB of weights alone.
    NasNetConfig big = NasNetConfig.cifar().toBuilder().imageSize(28).imageChannels(1).notation(2, 100008).build();
    try (Graph g = new Graph()) {
      assertThatThrownBy(() -> new NasNetBuilder(big).build(g, Mode.INFERENCE))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GiB")
          .hasMessageContaining("parameters").hasMessageContaining("--filters");
    }
  }

  @Test
  void activationMemoryGrowsWithTheImageArea() {
    NasNetConfig small = NasNetConfig.cifar().toBuilder().imageSize(32).build();
    NasNetConfig large = small.toBuilder().imageSize(64).build();
    long a;
    long b;
    try (Graph g = new Graph()) {
      a = new NasNetBuilder(small).build(g, Mode.INFERENCE).activationBytesPerImage();
    }
    try (Graph g = new Graph()) {
      b = new NasNetBuilder(large).build(g, Mode.INFERENCE).activationBytesPerImage();
    }
    // NASNet-A 6 @ 768 at 32x32: every cell's outputs, some megabytes an image; 4x the pixels, about 4x the bytes.
    org.assertj.core.api.Assertions.assertThat(a).isBetween(1L << 20, 1L << 30);
    org.assertj.core.api.Assertions.assertThat((double) b / a).isBetween(3.5, 4.5);
  }

  @Test
  void tooSmallImagesForTheAuxHeadNameTheSettings() {
    NasNetConfig tiny = NasNetConfig.cifar().toBuilder().imageSize(8).numCells(3).numConvFilters(8).build();
    try (Graph g = new Graph()) {
      assertThatThrownBy(() -> new NasNetBuilder(tiny).build(g, Mode.TRAINING))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aux head")
          .hasMessageContaining("imageSize 8").hasMessageContaining("auxHead(false)")
          .hasMessageContaining("at least 9 pixels");
    }
    try (Graph g = new Graph()) {
      new NasNetBuilder(tiny.toBuilder().auxHead(false).build()).build(g, Mode.TRAINING);
    }
  }
}
