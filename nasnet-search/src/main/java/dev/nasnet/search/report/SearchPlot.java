package dev.nasnet.search.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The best reward so far against the number of finished trials, one line per strategy, as a PNG. */
public final class SearchPlot {
  private SearchPlot() {}

  public static Path write(Map<String, double[]> bestSoFar, Path png, String title) throws IOException {
    XYChart c = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle("trials finished")
        .yAxisTitle("best reward so far").build();
    c.getStyler().setMarkerSize(4);
    for (Map.Entry<String, double[]> e : bestSoFar.entrySet()) {
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      double[] v = e.getValue();
      for (int i = 0; i < v.length; i++) {
        if (!Double.isNaN(v[i])) { // nothing to draw before the first successful trial
          x.add(i + 1.0);
          y.add(v[i]);
        }
      }
      if (!x.isEmpty()) {
        c.addSeries(e.getKey(), x, y).setMarker(SeriesMarkers.CIRCLE);
      }
    }
    BitmapEncoder.saveBitmap(c, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    return png;
  }
}
