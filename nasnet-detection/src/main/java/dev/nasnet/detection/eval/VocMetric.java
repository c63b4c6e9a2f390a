package dev.nasnet.detection.eval;

/** How PASCAL VOC turns a precision/recall curve into AP. */
public enum VocMetric {
  /** VOC2007: mean over recall 0, 0.1, ..., 1 of the best precision at that recall or above. */
  VOC07_11_POINT,
  /** VOC2010 and later: area under the monotone precision envelope, summed where recall changes. */
  VOC12_ALL_POINT
}
