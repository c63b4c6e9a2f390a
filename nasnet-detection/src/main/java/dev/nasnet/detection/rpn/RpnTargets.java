package dev.nasnet.detection.rpn;

import com.google.common.base.Preconditions;
import com.google.common.primitives.ImmutableIntArray;
import dev.nasnet.detection.boxes.BoxCode;
import dev.nasnet.detection.boxes.BoxOps;
import dev.nasnet.detection.boxes.CornerBox;
import dev.nasnet.detection.boxes.FasterRcnnBoxCoder;
import dev.nasnet.detection.targets.ArgMaxMatcher;
import dev.nasnet.detection.targets.BalancedPositiveNegativeSampler;
import dev.nasnet.detection.targets.Match;
import dev.nasnet.detection.targets.Minibatch;
import java.util.ArrayList;
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
   * @param window the image, in the anchors' pixel frame
   * @param seed the sampler's seed (e.g. derived from the step and image)
   */
  public static RpnTargets assign(List<CornerBox> anchors, List<CornerBox> groundTruth, CornerBox window,
      ArgMaxMatcher matcher, BalancedPositiveNegativeSampler sampler, FasterRcnnBoxCoder coder, long seed) {
    Preconditions.checkArgument(!anchors.isEmpty(), "no anchors");
    ImmutableIntArray inside = BoxOps.insideWindowIndices(anchors, window);
    List<CornerBox> candidates = new ArrayList<>(inside.length());
    for (int i = 0; i < inside.length(); i++) {
      candidates.add(anchors.get(inside.get(i)));
    }
    int n = anchors.size();
    int[] labels = new int[n];
    float[] classWeights = new float[n];
    float[] boxTargets = new float[n * 4];
    float[] boxWeights = new float[n];
    if (candidates.isEmpty()) {
      return new RpnTargets(labels, classWeights, boxTargets, boxWeights, 0, 0);
    }
    Match match = matcher.matchByIou(groundTruth, candidates);
    Minibatch batch = sampler.sample(match, seed);
    float weight = 1f / Math.max(1, batch.size());
    for (int k = 0; k < batch.negatives().length(); k++) {
      classWeights[inside.get(batch.negatives().get(k))] = weight;
    }
    for (int k = 0; k < batch.positives().length(); k++) {
      int c = batch.positives().get(k);
      int a = inside.get(c);
      labels[a] = 1;
      classWeights[a] = weight;
      boxWeights[a] = weight;
      BoxCode code = coder.encode(groundTruth.get(match.matchedRow(c)), anchors.get(a));
      System.arraycopy(code.toFloatArray(), 0, boxTargets, a * 4, 4);
    }
    return new RpnTargets(labels, classWeights, boxTargets, boxWeights, batch.positives().length(),
        batch.negatives().length());
  }
}
