package dev.nasnet.core.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a {@link MetricsLog} CSV as two PNG panels against epochs: the loss (train and validation), and top-1
 * accuracy where the run reports it or else its other metrics (a detector's loss terms).
 */
public final class LearningCurvePlot {
  public static final String FILE = "learning_curves.png";

  private LearningCurvePlot() {}

  public static Path write(Path csv, Path png, String title) throws IOException {
    List<String> lines = Files.readAllLines(csv);
    if (lines.isEmpty()) {
      throw new IOException(csv + " is empty: no header to plot");
    }
    List<String> header = List.of(lines.get(0).split(",", -1));
    int epochCol = header.indexOf("epoch");
    int splitCol = header.indexOf("split");
    int lossCol = header.indexOf(MetricsLog.LOSS);
    if (epochCol < 0 || splitCol < 0 || lossCol < 0) {
      throw new IOException(csv + " lacks an epoch, split or loss column: " + header);
    }
    List<String[]> rows = lines.stream().skip(1).filter(l -> !l.isBlank()).map(l -> l.split(",", -1)).toList();
    XYChart loss = chart(title + ": loss", "loss");
    for (String split : List.of("train", "validation")) {
      add(loss, split, rows, epochCol, splitCol, split, lossCol);
    }
    XYChart second;
    int top1 = header.indexOf("top1");
    if (top1 >= 0) {
      second = chart(title + ": top-1 accuracy", "accuracy");
      for (String split : List.of("train", "validation")) {
        add(second, split, rows, epochCol, splitCol, split, top1);
      }
    } else {
      second = chart(title + ": loss terms (train)", "value");
      int lr = header.indexOf("learning_rate");
      for (int c = lossCol + 1; c < (lr < 0 ? header.size() : lr); c++) {
        add(second, header.get(c), rows, epochCol, splitCol, "train", c);
      }
    }
    BitmapEncoder.saveBitmap(List.of(loss, second), 1, 2, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    return png;
  }

  private static XYChart chart(String title, String y) {
    XYChart c = new XYChartBuilder().width(640).height(420).title(title).xAxisTitle("epoch").yAxisTitle(y).build();
    c.getStyler().setMarkerSize(4);
    return c;
  }

  private static void add(XYChart c, String name, List<String[]> rows, int epochCol, int splitCol, String split,
      int col) {
    List<double[]> points = new ArrayList<>();
    for (String[] f : rows) {
      if (f.length > col && f[splitCol].equals(split) && !f[col].isEmpty()) {
        points.add(new double[] {Double.parseDouble(f[epochCol]), Double.parseDouble(f[col])});
      }
    }
    if (!points.isEmpty()) {
      c.addSeries(name, points.stream().mapToDouble(p -> p[0]).toArray(), points.stream().mapToDouble(p -> p[1])
          .toArray()).setMarker(SeriesMarkers.CIRCLE);
    }
  }
}
