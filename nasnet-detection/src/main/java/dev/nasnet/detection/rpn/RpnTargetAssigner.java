package dev.nasnet.detection.rpn;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import com.google.common.primitives.ImmutableIntArray;
import dev.nasnet.detection.boxes.BoxCode;
import dev.nasnet.detection.boxes.BoxOps;
import dev.nasnet.detection.boxes.CornerBox;
import dev.nasnet.detection.boxes.FasterRcnnBoxCoder;
import dev.nasnet.detection.targets.ArgMaxMatcher;
import dev.nasnet.detection.targets.BalancedPositiveNegativeSampler;
import dev.nasnet.detection.targets.Match;
import dev.nasnet.detection.targets.Minibatch;
import java.util.List;

/**
 * Assigns {@link RpnTargets} over one fixed set of anchors in one image window, as a detector's training does for every
 * image: the anchors that cross the window are pruned once, here, instead of once per image (that scan was the largest
 * part of a shapes-preset step's target assignment). Immutable and safe to share between threads.
 */
public final class RpnTargetAssigner {
  private final ImmutableList<CornerBox> anchors;
  private final ImmutableIntArray inside;
  private final ImmutableList<CornerBox> candidates;
  private final ArgMaxMatcher matcher;
  private final BalancedPositiveNegativeSampler sampler;
  private final FasterRcnnBoxCoder coder;

  /** @param window the image, in the anchors' pixel frame */
  public RpnTargetAssigner(List<CornerBox> anchors, CornerBox window, ArgMaxMatcher matcher,
      BalancedPositiveNegativeSampler sampler, FasterRcnnBoxCoder coder) {
    Preconditions.checkArgument(!anchors.isEmpty(), "no anchors");
    this.anchors = ImmutableList.copyOf(anchors);
    this.inside = BoxOps.insideWindowIndices(anchors, window);
    ImmutableList.Builder<CornerBox> kept = ImmutableList.builderWithExpectedSize(inside.length());
    inside.forEach(i -> kept.add(this.anchors.get(i)));
    this.candidates = kept.build();
    this.matcher = Preconditions.checkNotNull(matcher, "matcher");
    this.sampler = Preconditions.checkNotNull(sampler, "sampler");
    this.coder = Preconditions.checkNotNull(coder, "coder");
  }

  /**
   * @param groundTruth the image's boxes, in the anchors' frame (may be empty: every sampled anchor is background)
   * @param seed the sampler's seed (e.g. derived from the step and image)
   */
  public RpnTargets assign(List<CornerBox> groundTruth, long seed) {
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
