package dev.nasnet.detection.image;

import dev.nasnet.detection.image.RgbImage;

import dev.nasnet.detection.Detection;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws detections onto a copy of an image: a box per detection in its class's colour and a "label score" tag. Small
 * images are scaled up first (by a whole factor) so the tags stay readable.
 */
public final class DetectionDrawing {
  private static final Color[] PALETTE = {new Color(0xe6194b), new Color(0x3cb44b), new Color(0x4363d8),
      new Color(0xf58231), new Color(0x911eb4), new Color(0x42d4f4), new Color(0xf032e6), new Color(0xbfef45)};

  private DetectionDrawing() {}

  public static BufferedImage draw(RgbImage image, List<Detection> detections) {
    int scale = Math.max(1, (int) Math.ceil(320.0 / Math.max(image.width(), image.height())));
    int w = image.width() * scale;
    int h = image.height() * scale;
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
      g.drawImage(image.toBufferedImage(), 0, 0, w, h, null);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
      g.setStroke(new BasicStroke(2f));
      FontMetrics fm = g.getFontMetrics();
      for (Detection d : detections) {
        Color c = PALETTE[Math.floorMod(d.classIndex(), PALETTE.length)];
        int x0 = (int) Math.round(d.box().xmin() * scale);
        int y0 = (int) Math.round(d.box().ymin() * scale);
        int x1 = (int) Math.round(d.box().xmax() * scale);
        int y1 = (int) Math.round(d.box().ymax() * scale);
        g.setColor(c);
        g.drawRect(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0));
        String tag = String.format(Locale.ROOT, "%s %.2f", d.label(), d.score());
        int tw = fm.stringWidth(tag) + 4;
        int ty = Math.max(0, y0 - fm.getHeight());
        g.fillRect(x0, ty, tw, fm.getHeight());
        g.setColor(Color.WHITE);
        g.drawString(tag, x0 + 2, ty + fm.getAscent());
      }
    } finally {
      g.dispose();
    }
    return out;
  }

  /** Draws and writes a PNG. */
  public static Path writePng(RgbImage image, List<Detection> detections, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (!ImageIO.write(draw(image, detections), "png", file.toFile())) {
      throw new IOException("no PNG writer available for " + file);
    }
    return file;
  }
}
