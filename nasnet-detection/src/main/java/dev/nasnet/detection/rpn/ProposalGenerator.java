package dev.nasnet.detection.rpn;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import com.google.common.primitives.ImmutableIntArray;
import dev.nasnet.detection.boxes.BoxCode;
import dev.nasnet.detection.boxes.BoxOps;
import dev.nasnet.detection.boxes.CornerBox;
import dev.nasnet.detection.boxes.FasterRcnnBoxCoder;
import dev.nasnet.detection.boxes.ScoredBox;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one image's RPN outputs into proposals as the Object Detection API does: decode every anchor's box codes, take
 * the object probability as the score, clip to the image, drop boxes that clipping left empty, then NMS (IoU 0.7,
 * score threshold 0) down to at most {@code maxProposals}. Proposals are constants for the second stage (no gradient
 * flows back through them).
 */
public record ProposalGenerator(FasterRcnnBoxCoder coder, double nmsIou, int maxProposals) {
  public ProposalGenerator {
    Preconditions.checkArgument(maxProposals > 0, "maxProposals must be positive, got %s", maxProposals);
  }

  /**
   * @param objectProbability per anchor, the softmax's object column
   * @param codes per anchor {@code ty, tx, th, tw}, flattened [anchors * 4]
   */
  public ImmutableList<ScoredBox> generate(List<CornerBox> anchors, float[] objectProbability, float[] codes,
      CornerBox window) {
    Preconditions.checkArgument(objectProbability.length == anchors.size() && codes.length == anchors.size() * 4,
        "%s anchors need as many scores and 4 codes each, got %s scores and %s codes", anchors.size(),
        objectProbability.length, codes.length);
    List<CornerBox> boxes = new ArrayList<>(anchors.size());
    for (int a = 0; a < anchors.size(); a++) {
      BoxCode code = new BoxCode(codes[4 * a], codes[4 * a + 1], codes[4 * a + 2], codes[4 * a + 3]);
      boxes.add(BoxOps.clip(coder.decode(code, anchors.get(a)), window));
    }
    ImmutableIntArray kept = BoxOps.nonDegenerateIndices(boxes, 0);
    List<CornerBox> candidates = new ArrayList<>(kept.length());
    double[] scores = new double[kept.length()];
    for (int i = 0; i < kept.length(); i++) {
      candidates.add(boxes.get(kept.get(i)));
      scores[i] = objectProbability[kept.get(i)];
    }
    ImmutableIntArray chosen = BoxOps.nonMaxSuppression(candidates, scores, nmsIou, Double.NEGATIVE_INFINITY,
        maxProposals);
    ImmutableList.Builder<ScoredBox> out = ImmutableList.builder();
    chosen.forEach(i -> out.add(new ScoredBox(candidates.get(i), scores[i])));
    return out.build();
  }
}
