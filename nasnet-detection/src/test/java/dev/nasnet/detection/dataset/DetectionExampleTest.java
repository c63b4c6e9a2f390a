package dev.nasnet.detection.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nasnet.detection.boxes.CornerBox;
import org.junit.jupiter.api.Test;

class DetectionExampleTest {
  private static DetectionExample one(double[] box, int cls) {
    return DetectionExample.of("img-7.png", 100, 80, 3, new double[][] {box}, new int[] {cls}, 3);
  }

  @Test
  void boxesStickingOutAreClippedAndAnImageWithoutBoxesIsFine() {
    DetectionExample e = one(new double[] {-5, 90, 40, 130}, 2);
    assertThat(e.boxes()).containsExactly(new CornerBox(0, 90, 40, 100));
    assertThat(e.classes().get(0)).isEqualTo(2);
    assertThat(DetectionExample.of("empty.png", 10, 10, 3, new double[0][], new int[0], 3).boxes()).isEmpty();
  }

  @Test
  void badBoxesLabelsAndChannelsNameTheImageAndTheBox() {
    assertThatThrownBy(() -> one(new double[] {Double.NaN, 0, 10, 10}, 0))
        .hasMessageContaining("img-7.png, box 0 [NaN, 0.0, 10.0, 10.0]: coordinates must be finite");
    assertThatThrownBy(() -> one(new double[] {10, 10, 10, 20}, 0))
        .hasMessageContaining("img-7.png, box 0").hasMessageContaining("empty or inverted box");
    assertThatThrownBy(() -> one(new double[] {90, 10, 120, 20}, 0))
        .hasMessageContaining("box lies outside the 100x80 image");
    assertThatThrownBy(() -> one(new double[] {1, 1, 5, 5}, 3)).hasMessageContaining("class 3 is outside 0..2");
    assertThatThrownBy(() -> DetectionExample.of("grey.png", 10, 10, 1, new double[0][], new int[0], 3))
        .hasMessageContaining("grey.png: image has 1 channels; the detector takes RGB (3)");
  }
}
