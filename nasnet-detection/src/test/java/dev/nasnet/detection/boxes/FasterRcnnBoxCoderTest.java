package dev.nasnet.detection.boxes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FasterRcnnBoxCoderTest {

  private static void assertCode(BoxCode c, double ty, double tx, double th, double tw, double tol) {
    assertThat(c.ty()).as("ty of %s", c).isCloseTo(ty, within(tol));
    assertThat(c.tx()).as("tx of %s", c).isCloseTo(tx, within(tol));
    assertThat(c.th()).as("th of %s", c).isCloseTo(th, within(tol));
    assertThat(c.tw()).as("tw of %s", c).isCloseTo(tw, within(tol));
  }

  @Test
  void unscaledCodesHandComputed() {
    FasterRcnnBoxCoder coder = FasterRcnnBoxCoder.unscaled();
    // Box centre (15, 12.5), size 10 x 5; anchor centre (22.5, 15), size 15 x 6.
    BoxCode c = coder.encode(new CornerBox(10, 10, 20, 15), new CornerBox(15, 12, 30, 18));
    assertCode(c, -7.5 / 15, -2.5 / 6, Math.log(10.0 / 15), Math.log(5.0 / 6), 1e-6);
    assertCode(c, -0.5, -0.416667, -0.405465, -0.182322, 1e-6);
    // Normalized coordinates work the same way.
    BoxCode n = coder.encode(new CornerBox(0.2, 0.1, 0.5, 0.4), new CornerBox(0.1, 0.0, 0.7, 0.9));
    assertCode(n, -0.083333, -0.222222, -0.693147, -1.098612, 1e-6);
  }

  @Test
  void nasnetScaleFactorsMultiplyEachComponent() {
    FasterRcnnBoxCoder coder = FasterRcnnBoxCoder.nasnetDefaults();
    assertThat(coder).isEqualTo(new FasterRcnnBoxCoder(10, 10, 5, 5));
    // Anchor centre (5, 5), 10 x 10; box centre (7, 13), 10 tall, 20 wide.
    CornerBox anchor = new CornerBox(0, 0, 10, 10);
    CornerBox box = new CornerBox(2, 3, 12, 23);
    assertCode(coder.encode(box, anchor), 2, 8, 0, 5 * Math.log(2), 1e-6);
    BoxCode plain = FasterRcnnBoxCoder.unscaled().encode(box, anchor);
    BoxCode odd = new FasterRcnnBoxCoder(2, 3, 4, 7).encode(box, anchor);
    assertCode(odd, 2 * plain.ty(), 3 * plain.tx(), 4 * plain.th(), 7 * plain.tw(), 1e-12);
  }

  @Test
  void decodeOfZeroCodeIsTheAnchorAndScaleFactorsDivide() {
    FasterRcnnBoxCoder coder = FasterRcnnBoxCoder.nasnetDefaults();
    CornerBox anchor = new CornerBox(0, 0, 10, 10);
    assertThat(coder.decode(new BoxCode(0, 0, 0, 0), anchor)).isEqualTo(anchor);
    // ty = 10 is one anchor height after dividing by 10; tw = 5 log 2 doubles the width.
    CornerBox d = coder.decode(new BoxCode(10, 0, 0, 5 * Math.log(2)), anchor);
    assertThat(d.centerY()).isCloseTo(15, within(1e-9));
    assertThat(d.centerX()).isCloseTo(5, within(1e-9));
    assertThat(d.height()).isCloseTo(10, within(1e-9));
    assertThat(d.width()).isCloseTo(20, within(1e-9));
  }

  @Test
  void roundTripIsExactTo1eMinus5() {
    SplittableRandom r = new SplittableRandom(42);
    List<CornerBox> boxes = new ArrayList<>();
    List<CornerBox> anchors = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      double y = r.nextDouble(-100, 1200);
      double x = r.nextDouble(-100, 1200);
      boxes.add(new CornerBox(y, x, y + r.nextDouble(1, 600), x + r.nextDouble(1, 600)));
      double ay = r.nextDouble(-200, 1200);
      double ax = r.nextDouble(-200, 1200);
      anchors.add(new CornerBox(ay, ax, ay + r.nextDouble(16, 724), ax + r.nextDouble(16, 724)));
    }
    for (FasterRcnnBoxCoder coder : List.of(FasterRcnnBoxCoder.nasnetDefaults(), FasterRcnnBoxCoder.unscaled())) {
      ImmutableList<CornerBox> back = coder.decodeAll(coder.encodeAll(boxes, anchors), anchors);
      for (int i = 0; i < boxes.size(); i++) {
        CornerBox b = boxes.get(i);
        CornerBox d = back.get(i);
        assertThat(d.ymin()).as("box %s", i).isCloseTo(b.ymin(), within(1e-5));
        assertThat(d.xmin()).as("box %s", i).isCloseTo(b.xmin(), within(1e-5));
        assertThat(d.ymax()).as("box %s", i).isCloseTo(b.ymax(), within(1e-5));
        assertThat(d.xmax()).as("box %s", i).isCloseTo(b.xmax(), within(1e-5));
      }
    }
  }

  @Test
  void epsilonKeepsZeroSizeBoxesFinite() {
    BoxCode c = FasterRcnnBoxCoder.nasnetDefaults().encode(new CornerBox(5, 5, 5, 5), new CornerBox(0, 0, 10, 10));
    assertThat(c.th()).isCloseTo(5 * Math.log(1e-8 / (10 + 1e-8)), within(1e-9));
    assertThat(c.ty()).isCloseTo(0, within(1e-12));
  }

  @Test
  void rejectsInvertedBoxesAndBadScales() {
    FasterRcnnBoxCoder coder = FasterRcnnBoxCoder.nasnetDefaults();
    assertThatThrownBy(() -> coder.encode(new CornerBox(10, 0, 0, 10), new CornerBox(0, 0, 10, 10)))
        .hasMessageContaining("inverted");
    assertThatThrownBy(() -> new FasterRcnnBoxCoder(10, 0, 5, 5)).hasMessageContaining("xScale").hasMessageContaining("0");
    assertThatThrownBy(() -> coder.encodeAll(List.of(new CornerBox(0, 0, 1, 1)), List.of()))
        .hasMessageContaining("1 boxes and 0 anchors");
  }
}
