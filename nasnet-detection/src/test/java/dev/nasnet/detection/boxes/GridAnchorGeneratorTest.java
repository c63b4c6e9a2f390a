package dev.nasnet.detection.boxes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.common.collect.ImmutableList;
import com.google.common.primitives.ImmutableDoubleArray;
import dev.nasnet.detection.boxes.CornerBox;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class GridAnchorGeneratorTest {

  private static final Offset<Double> EPS = within(1e-9);

  private static void assertBox(CornerBox actual, double ymin, double xmin, double ymax, double xmax) {
    assertThat(actual.ymin()).as("ymin of %s", actual).isCloseTo(ymin, within(1e-6));
    assertThat(actual.xmin()).as("xmin of %s", actual).isCloseTo(xmin, within(1e-6));
    assertThat(actual.ymax()).as("ymax of %s", actual).isCloseTo(ymax, within(1e-6));
    assertThat(actual.xmax()).as("xmax of %s", actual).isCloseTo(xmax, within(1e-6));
  }

  @Test
  void nasnetDefaultsMatchTheConfig() {
    GridAnchorGenerator g = GridAnchorGenerator.nasnetDefaults();
    assertThat(g.scales().asList()).containsExactly(0.25, 0.5, 1.0, 2.0);
    assertThat(g.aspectRatios().asList()).containsExactly(0.5, 1.0, 2.0);
    assertThat(g.baseHeight()).isEqualTo(256);
    assertThat(g.baseWidth()).isEqualTo(256);
    assertThat(g.strideY()).isEqualTo(16);
    assertThat(g.strideX()).isEqualTo(16);
    assertThat(g.offsetY()).isZero();
    assertThat(g.offsetX()).isZero();
    assertThat(g.anchorsPerCell()).isEqualTo(12);
  }

  @Test
  void countIsTwelvePerCell() {
    assertThat(GridAnchorGenerator.nasnetDefaults().generate(2, 3)).hasSize(72);
    // 1200 x 1200 input at stride 16 is a 75 x 75 grid: 67,500 anchors.
    assertThat(GridAnchorGenerator.nasnetDefaults().generate(75, 75)).hasSize(67_500);
  }

  @Test
  void firstCellHandComputed() {
    ImmutableList<CornerBox> a = GridAnchorGenerator.nasnetDefaults().generate(1, 1);
    double r2 = Math.sqrt(2);
    // k = 0: ratio 0.5, scale 0.25 -> height 64 * sqrt(2), width 64 / sqrt(2), centred on (0, 0).
    assertBox(a.get(0), -32 * r2, -32 / r2, 32 * r2, 32 / r2);
    // k = 1: ratio 0.5, scale 0.5 (scale varies fastest).
    assertBox(a.get(1), -64 * r2, -64 / r2, 64 * r2, 64 / r2);
    // k = 4: ratio 1, scale 0.25 -> 64 x 64.
    assertBox(a.get(4), -32, -32, 32, 32);
    // k = 6: ratio 1, scale 1 -> the 256 x 256 base anchor.
    assertBox(a.get(6), -128, -128, 128, 128);
    // k = 11: ratio 2, scale 2 -> height 512 / sqrt(2), width 512 * sqrt(2).
    assertBox(a.get(11), -256 / r2, -256 * r2, 256 / r2, 256 * r2);
  }

  @Test
  void sizesFollowScaleAndRatioWithinEachCell() {
    GridAnchorGenerator g = GridAnchorGenerator.nasnetDefaults();
    ImmutableList<CornerBox> a = g.generate(1, 1);
    for (int k = 0; k < 12; k++) {
      double scale = g.scales().get(k % 4);
      double ratio = g.aspectRatios().get(k / 4);
      CornerBox b = a.get(k);
      assertThat(b.height()).as("height of anchor %s", k).isCloseTo(scale * 256 / Math.sqrt(ratio), within(1e-6));
      assertThat(b.width()).as("width of anchor %s", k).isCloseTo(scale * 256 * Math.sqrt(ratio), within(1e-6));
      // Ratio is width / height; the area only depends on the scale.
      assertThat(b.width() / b.height()).isCloseTo(ratio, within(1e-9));
      assertThat(b.area()).isCloseTo(Math.pow(scale * 256, 2), within(1e-6));
    }
  }

  @Test
  void gridIsRowMajorWithCellsOnTheStride() {
    GridAnchorGenerator g = GridAnchorGenerator.nasnetDefaults();
    ImmutableList<CornerBox> a = g.generate(2, 3);
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        for (int k = 0; k < 12; k++) {
          CornerBox b = a.get((i * 3 + j) * 12 + k);
          assertThat(b.centerY()).as("cell (%s, %s) anchor %s", i, j, k).isCloseTo(16.0 * i, EPS);
          assertThat(b.centerX()).as("cell (%s, %s) anchor %s", i, j, k).isCloseTo(16.0 * j, EPS);
        }
      }
    }
    // Cell (1, 2), anchor 6 (scale 1, ratio 1): centred on (16, 32), 256 x 256.
    assertBox(a.get(66), -112, -96, 144, 160);
    // The same cell's anchors repeat the first cell's sizes.
    for (int k = 0; k < 12; k++) {
      assertThat(a.get(5 * 12 + k).height()).isCloseTo(a.get(k).height(), EPS);
      assertThat(a.get(5 * 12 + k).width()).isCloseTo(a.get(k).width(), EPS);
    }
  }

  @Test
  void offsetAndRatiosHandComputed() {
    // Scales 0.5, 1, 2; ratios 0.25, 1, 4; offset (7, -3): ratio 0.25 at scale 0.5 is 256 tall and 64 wide.
    GridAnchorGenerator g = GridAnchorGenerator.nasnetDefaults()
        .withScales(0.5, 1, 2).withAspectRatios(0.25, 1, 4).withOffset(7, -3);
    ImmutableList<CornerBox> a = g.generate(1, 1);
    double[][] expected = {
        {-121, -35, 135, 29}, {-249, -67, 263, 61}, {-505, -131, 519, 125},
        {-57, -67, 71, 61}, {-121, -131, 135, 125}, {-249, -259, 263, 253},
        {-25, -131, 39, 125}, {-57, -259, 71, 253}, {-121, -515, 135, 509}};
    assertThat(a).hasSize(9);
    for (int k = 0; k < 9; k++) {
      assertBox(a.get(k), expected[k][0], expected[k][1], expected[k][2], expected[k][3]);
    }
  }

  @Test
  void nonSquareBaseAndStride() {
    GridAnchorGenerator g = new GridAnchorGenerator(ImmutableDoubleArray.of(1), ImmutableDoubleArray.of(1),
        100, 200, 10, 20, 0, 0);
    ImmutableList<CornerBox> a = g.generate(2, 2);
    assertThat(a).hasSize(4);
    // Cell (1, 1): centre (10, 20), 100 tall, 200 wide; cell (0, 1) precedes cell (1, 0).
    assertBox(a.get(3), -40, -80, 60, 120);
    assertBox(a.get(1), -50, -80, 50, 120);
    assertBox(a.get(2), -40, -100, 60, 100);
  }

  @Test
  void rejectsBadParameters() {
    GridAnchorGenerator g = GridAnchorGenerator.nasnetDefaults();
    assertThatThrownBy(() -> g.withAspectRatios(1, -2)).hasMessageContaining("aspectRatios[1]").hasMessageContaining("-2");
    assertThatThrownBy(() -> g.withScales()).hasMessageContaining("at least one scale");
    assertThatThrownBy(() -> g.withStride(0, 16)).hasMessageContaining("strideY");
    assertThatThrownBy(() -> g.generate(0, 5)).hasMessageContaining("0 x 5");
  }
}
