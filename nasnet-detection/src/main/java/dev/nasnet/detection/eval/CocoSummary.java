package dev.nasnet.detection.eval;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The 12 numbers of {@code COCOeval.summarize()} for bbox. -1 means "no GT to measure against" (pycocotools' value
 * when a bucket is empty). The AR caps are {@code maxDets} (1, 10, 100 by default).
 *
 * @param ap AP at IoU .50:.95, all areas, 100 detections (pycocotools hard-codes 100 here)
 */
public record CocoSummary(
    double ap,
    double ap50,
    double ap75,
    double apSmall,
    double apMedium,
    double apLarge,
    double ar1,
    double ar10,
    double ar100,
    double arSmall,
    double arMedium,
    double arLarge,
    double iouMin,
    double iouMax,
    ImmutableList<Integer> maxDets) {

  public CocoSummary {
    Preconditions.checkArgument(maxDets.size() == 3, "maxDets must hold 3 caps, got %s", maxDets);
  }

  /** The 12 values in pycocotools' {@code stats} order. */
  public ImmutableList<Double> stats() {
    return ImmutableList.of(ap, ap50, ap75, apSmall, apMedium, apLarge, ar1, ar10, ar100, arSmall, arMedium,
        arLarge);
  }

  /** The 12 lines {@code COCOeval.summarize()} prints, newline-separated, numbers rounded as Python does. */
  public String format() {
    String range = fixed(iouMin, 2) + ":" + fixed(iouMax, 2);
    int last = maxDets.get(2);
    StringBuilder out = new StringBuilder();
    line(out, true, range, "all", 100, ap);
    line(out, true, "0.50", "all", last, ap50);
    line(out, true, "0.75", "all", last, ap75);
    line(out, true, range, "small", last, apSmall);
    line(out, true, range, "medium", last, apMedium);
    line(out, true, range, "large", last, apLarge);
    line(out, false, range, "all", maxDets.get(0), ar1);
    line(out, false, range, "all", maxDets.get(1), ar10);
    line(out, false, range, "all", last, ar100);
    line(out, false, range, "small", last, arSmall);
    line(out, false, range, "medium", last, arMedium);
    line(out, false, range, "large", last, arLarge);
    return out.toString();
  }

  private static void line(StringBuilder out, boolean precision, String iou, String area, int maxDet,
      double value) {
    String title = precision ? "Average Precision" : "Average Recall";
    out.append(' ').append(padRight(title, 18)).append(' ').append(precision ? "(AP)" : "(AR)")
        .append(" @[ IoU=").append(padRight(iou, 9))
        .append(" | area=").append(padLeft(area, 6))
        .append(" | maxDets=").append(padLeft(Integer.toString(maxDet), 3))
        .append(" ] = ").append(fixed(value, 3)).append('\n');
  }

  /** Python's {@code format(x, '.Nf')}: the exact binary value rounded half-even (Java's %f rounds differently). */
  static String fixed(double value, int decimals) {
    return new BigDecimal(value).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
  }

  private static String padRight(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }

  private static String padLeft(String s, int width) {
    return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
  }
}
