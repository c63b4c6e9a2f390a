package dev.nasnet.detection.rpn;

import dev.nasnet.detection.boxes.CornerBox;
import dev.nasnet.detection.boxes.FasterRcnnBoxCoder;
import dev.nasnet.detection.targets.ArgMaxMatcher;
import dev.nasnet.detection.targets.BalancedPositiveNegativeSampler;
import java.util.List;

/**
 * The region proposal network's training targets for one image, over all anchors: object/background labels, the
 * encoded boxes of positive anchors, and per-anchor loss weights. As the Object Detection API does: anchors not wholly
 * inside the image are left out (weight 0), the rest are matched by IoU (0.7 / 0.3, each ground-truth box keeps its
 * best anchor), a balanced minibatch is sampled, and both losses are normalised by the number of sampled anchors.
 *
 * @param labels 1 for a positive anchor, 0 otherwise
 * @param classWeights 1 / sampled for sampled anchors, 0 otherwise
 * @param boxTargets {@code [anchors * 4]} codes {@code ty, tx, th, tw} of positive anchors (0 elsewhere)
 * @param boxWeights 1 / sampled for positive anchors, 0 otherwise
 */
public record RpnTargets(int[] labels, float[] classWeights, float[] boxTargets, float[] boxWeights, int positives,
    int negatives) {

  /**
   * The targets of one image; a trainer that assigns many over the same anchors keeps a {@link RpnTargetAssigner}.
   *
   * @param window the image, in the anchors' pixel frame
   * @param seed the sampler's seed (e.g. derived from the step and image)
   */
  public static RpnTargets assign(List<CornerBox> anchors, List<CornerBox> groundTruth, CornerBox window,
      ArgMaxMatcher matcher, BalancedPositiveNegativeSampler sampler, FasterRcnnBoxCoder coder, long seed) {
    return new RpnTargetAssigner(anchors, window, matcher, sampler, coder).assign(groundTruth, seed);
  }
}
