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

/** Draws metrics.csv as two PNG panels side by side: loss and top-1 accuracy against epochs, train and validation. */
public final class LearningCurvePlot {
  private LearningCurvePlot() {}

  public static Path write(Path csv, Path png, String title) throws IOException {
    List<double[]> train = new ArrayList<>();
    List<double[]> val = new ArrayList<>();
    for (String line : Files.readAllLines(csv)) {
      if (line.startsWith("step") || line.isBlank()) {
        continue;
      }
      String[] f = line.split(",", -1);
      double epoch = Double.parseDouble(f[1]);
      double loss = f[3].isEmpty() ? Double.NaN : Double.parseDouble(f[3]);
      double top1 = f[4].isEmpty() ? Double.NaN : Double.parseDouble(f[4]);
      (f[2].equals("train") ? train : val).add(new double[] {epoch, loss, top1});
    }
    XYChart loss = chart(title + ": loss", "loss");
    XYChart acc = chart(title + ": top-1 accuracy", "accuracy");
    add(loss, "train", train, 1);
    add(loss, "validation", val, 1);
    add(acc, "train", train, 2);
    add(acc, "validation", val, 2);
    BitmapEncoder.saveBitmap(List.of(loss, acc), 1, 2, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    return png;
  }

  private static XYChart chart(String title, String y) {
    XYChart c = new XYChartBuilder().width(640).height(420).title(title).xAxisTitle("epoch").yAxisTitle(y).build();
    c.getStyler().setMarkerSize(4);
    return c;
  }

  private static void add(XYChart c, String name, List<double[]> rows, int col) {
    if (rows.isEmpty()) {
      return;
    }
    double[] x = rows.stream().mapToDouble(r -> r[0]).toArray();
    double[] y = rows.stream().mapToDouble(r -> r[col]).toArray();
    c.addSeries(name, x, y).setMarker(SeriesMarkers.CIRCLE);
  }
}
