package dev.nasnet.detection.rpn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nasnet.detection.boxes.BoxCode;
import dev.nasnet.detection.boxes.BoxOps;
import dev.nasnet.detection.boxes.CornerBox;
import dev.nasnet.detection.boxes.FasterRcnnBoxCoder;
import dev.nasnet.detection.boxes.GridAnchorGenerator;
import dev.nasnet.detection.targets.ArgMaxMatcher;
import dev.nasnet.detection.targets.BalancedPositiveNegativeSampler;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The RPN's targets over the shapes preset's anchor grid (64 px, stride 2, 9 anchors a cell): what the Object
 * Detection API assigns, checked from the definition rather than against a second implementation.
 */
class RpnTargetAssignerTest {
  private static final int SIZE = 64;
  private static final CornerBox WINDOW = new CornerBox(0, 0, SIZE, SIZE);
  private static final FasterRcnnBoxCoder CODER = FasterRcnnBoxCoder.nasnetDefaults();
  private static final List<CornerBox> ANCHORS = GridAnchorGenerator.nasnetDefaults().withBaseSize(32, 32)
      .withStride(2, 2).withOffset(1, 1).withScales(0.25, 0.5, 1.0).generate(SIZE / 2, SIZE / 2);
  private static final List<CornerBox> TRUTH = List.of(new CornerBox(4, 6, 20, 30), new CornerBox(30, 28, 60, 50),
      new CornerBox(40, 2, 52, 14));

  private final RpnTargetAssigner assigner = new RpnTargetAssigner(ANCHORS, WINDOW, ArgMaxMatcher.rpn(),
      BalancedPositiveNegativeSampler.rpn(), CODER);

  @Test
  void samplesABalancedBatchOfAnchorsInsideTheImageWeightedByItsSize() {
    RpnTargets t = assigner.assign(TRUTH, 7);
    int sampled = t.positives() + t.negatives();
    assertThat(sampled).isEqualTo(256);
    assertThat(t.positives()).isBetween(TRUTH.size(), 128);
    int positives = 0;
    int weighted = 0;
    for (int a = 0; a < ANCHORS.size(); a++) {
      CornerBox anchor = ANCHORS.get(a);
      boolean inside = anchor.ymin() >= 0 && anchor.xmin() >= 0 && anchor.ymax() <= SIZE && anchor.xmax() <= SIZE;
      if (!inside) {
        assertThat(t.classWeights()[a]).as("anchor %s crosses the image", a).isZero();
      }
      if (t.classWeights()[a] != 0) {
        weighted++;
        assertThat(t.classWeights()[a]).isEqualTo(1f / sampled);
      }
      if (t.labels()[a] == 1) {
        positives++;
        assertThat(t.boxWeights()[a]).isEqualTo(1f / sampled);
        // A positive's code decodes to the ground-truth box it matched: one it overlaps by IoU 0.7, or its best.
        double[] c = new double[4];
        for (int k = 0; k < 4; k++) {
          c[k] = t.boxTargets()[a * 4 + k];
        }
        CornerBox decoded = CODER.decode(new BoxCode(c[0], c[1], c[2], c[3]), anchor);
        assertThat(TRUTH.stream().mapToDouble(gt -> BoxOps.iou(gt, decoded)).max().orElseThrow())
            .as("anchor %s decodes to a ground-truth box", a).isCloseTo(1.0, within(1e-5));
      } else {
        assertThat(t.boxWeights()[a]).isZero();
        assertThat(Arrays.copyOfRange(t.boxTargets(), a * 4, a * 4 + 4)).containsOnly(0f);
      }
    }
    assertThat(weighted).isEqualTo(sampled);
    assertThat(positives).isEqualTo(t.positives());
  }

  @Test
  void everyGroundTruthBoxKeepsItsBestAnchorWhenAllPositivesFitTheBatch() {
    RpnTargets t = assigner.assign(TRUTH, 3);
    assertThat(t.positives()).isLessThan(128);
    for (CornerBox gt : TRUTH) {
      int best = -1;
      for (int a = 0; a < ANCHORS.size(); a++) {
        CornerBox anchor = ANCHORS.get(a);
        boolean inside = anchor.ymin() >= 0 && anchor.xmin() >= 0 && anchor.ymax() <= SIZE && anchor.xmax() <= SIZE;
        if (inside && (best < 0 || BoxOps.iou(gt, anchor) > BoxOps.iou(gt, ANCHORS.get(best)))) {
          best = a;
        }
      }
      assertThat(t.labels()[best]).as("best anchor %s of %s", best, gt).isEqualTo(1);
    }
  }

  @Test
  void theSeedFixesTheNegativesAndAnEmptyImageIsAllNegatives() {
    assertThat(assigner.assign(TRUTH, 11).classWeights()).containsExactly(assigner.assign(TRUTH, 11).classWeights());
    assertThat(assigner.assign(TRUTH, 11).classWeights()).isNotEqualTo(assigner.assign(TRUTH, 12).classWeights());
    RpnTargets empty = assigner.assign(List.of(), 5);
    assertThat(empty.positives()).isZero();
    assertThat(empty.negatives()).isEqualTo(256);
    assertThat(empty.labels()).containsOnly(0);
    // One assigner serves every image; the one-off form gives the same targets.
    RpnTargets once = RpnTargets.assign(ANCHORS, TRUTH, WINDOW, ArgMaxMatcher.rpn(),
        BalancedPositiveNegativeSampler.rpn(), CODER, 7);
    assertThat(once.classWeights()).containsExactly(assigner.assign(TRUTH, 7).classWeights());
    assertThat(once.boxTargets()).containsExactly(assigner.assign(TRUTH, 7).boxTargets());
  }

  @Test
  void noAnchorsIsRefusedUpFront() {
    assertThatThrownBy(() -> new RpnTargetAssigner(List.of(), WINDOW, ArgMaxMatcher.rpn(),
        BalancedPositiveNegativeSampler.rpn(), CODER)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no anchors");
  }
}
