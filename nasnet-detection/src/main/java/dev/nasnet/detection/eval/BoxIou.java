package dev.nasnet.detection.eval;

import dev.nasnet.detection.data.XywhBox;

/** IoU of two boxes the way pycocotools' {@code bbIou} computes it (continuous coordinates, no +1). */
final class BoxIou {

  private BoxIou() {}

  /**
   * @param crowd for a crowd GT the overlap is divided by the detection's own area, so a detection inside a crowd
   *     region scores high however large the region is
   */
  static double iou(XywhBox dt, XywhBox gt, boolean crowd) {
    double w = Math.min(dt.x() + dt.width(), gt.x() + gt.width()) - Math.max(dt.x(), gt.x());
    if (w <= 0) {
      return 0;
    }
    double h = Math.min(dt.y() + dt.height(), gt.y() + gt.height()) - Math.max(dt.y(), gt.y());
    if (h <= 0) {
      return 0;
    }
    double inter = w * h;
    double dtArea = dt.width() * dt.height();
    double union = crowd ? dtArea : dtArea + gt.width() * gt.height() - inter;
    return inter / union;
  }
}
