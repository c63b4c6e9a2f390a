package dev.nasnet.detection.boxes;

import com.google.common.base.Preconditions;

/**
 * One box regression target or prediction relative to an anchor, in the Faster R-CNN box coder's order
 * {@code [ty, tx, th, tw]} (the order the RPN and box-classifier heads emit their 4 numbers).
 */
public record BoxCode(double ty, double tx, double th, double tw) {

  public BoxCode {
    Preconditions.checkArgument(Double.isFinite(ty) && Double.isFinite(tx) && Double.isFinite(th)
        && Double.isFinite(tw), "box code must be finite, got [%s, %s, %s, %s]", ty, tx, th, tw);
  }

  /** {@code [ty, tx, th, tw]} as floats, the layout a TF tensor of shape [N, 4] takes row by row. */
  public float[] toFloatArray() {
    return new float[] {(float) ty, (float) tx, (float) th, (float) tw};
  }
}
