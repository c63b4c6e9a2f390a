package dev.nasnet.detection.secondstage;

import com.google.common.base.Preconditions;
import dev.nasnet.detection.boxes.BoxCode;
import dev.nasnet.detection.boxes.CornerBox;
import dev.nasnet.detection.boxes.FasterRcnnBoxCoder;
import dev.nasnet.detection.targets.ArgMaxMatcher;
import dev.nasnet.detection.targets.BalancedPositiveNegativeSampler;
import dev.nasnet.detection.targets.Match;
import dev.nasnet.detection.targets.Minibatch;
import java.util.ArrayList;
import java.util.List;

/**
 * The box classifier's minibatch for one image, as the Object Detection API samples it: proposals matched to ground
 * truth at IoU 0.5 (everything below is background), a balanced sample (64 at 0.25 positives by default), class labels
 * with 0 for background, and the encoded box of each positive at its ground-truth class only. Both losses are
 * normalised by the number of sampled proposals.
 *
 * @param boxes the sampled proposals, positives first
 * @param labels 0 for background, {@code class + 1} for an object of class index {@code class}
 * @param boxTargets [sampled * numClasses * 4], non-zero only at a positive's class
 * @param boxWeights [sampled * numClasses], {@code 1 / sampled} at a positive's class
 * @param classWeight {@code 1 / sampled}
 */
public record SecondStageTargets(List<CornerBox> boxes, int[] labels, float[] boxTargets, float[] boxWeights,
    float classWeight, int positives) {

  /**
   * @param groundTruthClasses class index (0-based) of each ground-truth box
   */
  public static SecondStageTargets assign(List<CornerBox> proposals, List<CornerBox> groundTruth,
      int[] groundTruthClasses, int numClasses, ArgMaxMatcher matcher, BalancedPositiveNegativeSampler sampler,
      FasterRcnnBoxCoder coder, long seed) {
    Preconditions.checkArgument(groundTruth.size() == groundTruthClasses.length,
        "%s ground-truth boxes but %s classes", groundTruth.size(), groundTruthClasses.length);
    for (int i = 0; i < groundTruthClasses.length; i++) {
      Preconditions.checkArgument(groundTruthClasses[i] >= 0 && groundTruthClasses[i] < numClasses,
          "ground-truth box %s has class %s, expected 0..%s", i, groundTruthClasses[i], numClasses - 1);
    }
    Match match = matcher.matchByIou(groundTruth, proposals);
    Minibatch batch = sampler.sample(match, seed);
    int n = batch.size();
    List<CornerBox> boxes = new ArrayList<>(n);
    int[] labels = new int[n];
    float[] targets = new float[n * numClasses * 4];
    float[] weights = new float[n * numClasses];
    float w = 1f / Math.max(1, n);
    int k = 0;
    for (int i = 0; i < batch.positives().length(); i++, k++) {
      int p = batch.positives().get(i);
      int row = match.matchedRow(p);
      int c = groundTruthClasses[row];
      boxes.add(proposals.get(p));
      labels[k] = c + 1;
      BoxCode code = coder.encode(groundTruth.get(row), proposals.get(p));
      System.arraycopy(code.toFloatArray(), 0, targets, (k * numClasses + c) * 4, 4);
      weights[k * numClasses + c] = w;
    }
    for (int i = 0; i < batch.negatives().length(); i++, k++) {
      boxes.add(proposals.get(batch.negatives().get(i)));
    }
    return new SecondStageTargets(List.copyOf(boxes), labels, targets, weights, w, batch.positives().length());
  }
}
