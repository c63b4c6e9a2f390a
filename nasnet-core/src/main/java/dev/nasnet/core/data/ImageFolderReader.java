package dev.nasnet.core.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Reads an image folder: one sub-folder per class (sorted by name: the class index), JPEG and PNG files inside,
 * each resized to {@code size x size} RGB (bilinear, aspect ratio not kept). An empty class folder, a file that
 * cannot be decoded, or a folder with no classes fails with the path at fault.
 */
public final class ImageFolderReader {
  private ImageFolderReader() {}

  /** The result: the images and the class names in index order. */
  public record Folder(ImageDataset data, List<String> classNames) {}

  public static Folder read(Path root, int size) {
    if (!Files.isDirectory(root)) {
      throw new DataFormatException("image folder " + root + " does not exist or is not a directory");
    }
    List<Path> classes;
    try (Stream<Path> s = Files.list(root)) {
      classes = s.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      throw new DataFormatException("cannot list " + root + ": " + e.getMessage(), e);
    }
    if (classes.isEmpty()) {
      throw new DataFormatException(root + " has no class sub-folders (expected one folder of images per class)");
    }
    List<byte[]> images = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int c = 0; c < classes.size(); c++) {
      Path dir = classes.get(c);
      names.add(dir.getFileName().toString());
      List<Path> files;
      try (Stream<Path> s = Files.list(dir)) {
        files = s.filter(p -> isImage(p.getFileName().toString())).sorted().toList();
      } catch (IOException e) {
        throw new DataFormatException("cannot list " + dir + ": " + e.getMessage(), e);
      }
      if (files.isEmpty()) {
        throw new DataFormatException("class folder " + dir + " holds no .jpg, .jpeg or .png files");
      }
      for (Path f : files) {
        images.add(load(f, size));
        labels.add(c);
      }
    }
    int bytes = size * size * 3;
    byte[] pixels = new byte[images.size() * bytes];
    for (int i = 0; i < images.size(); i++) {
      System.arraycopy(images.get(i), 0, pixels, i * bytes, bytes);
    }
    return new Folder(new ImageDataset(pixels, labels.stream().mapToInt(Integer::intValue).toArray(), size, size, 3,
        classes.size()), List.copyOf(names));
  }

  private static boolean isImage(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
  }

  private static byte[] load(Path file, int size) {
    BufferedImage img;
    try {
      img = ImageIO.read(file.toFile());
    } catch (IOException e) {
      throw new DataFormatException("cannot read image " + file + ": " + e.getMessage(), e);
    }
    if (img == null) {
      throw new DataFormatException("cannot decode image " + file + ": not a valid JPEG or PNG");
    }
    BufferedImage scaled = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = scaled.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(img, 0, 0, size, size, null);
    g.dispose();
    byte[] out = new byte[size * size * 3];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int p = scaled.getRGB(x, y);
        int o = (y * size + x) * 3;
        out[o] = (byte) (p >> 16);
        out[o + 1] = (byte) (p >> 8);
        out[o + 2] = (byte) p;
      }
    }
    return out;
  }
}
