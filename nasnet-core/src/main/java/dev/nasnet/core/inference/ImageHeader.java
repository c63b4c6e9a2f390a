package dev.nasnet.core.inference;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An image file's format and declared size, read from its first bytes without decoding any pixel, so a bad or huge
 * file is refused by name before anything expensive happens.
 */
public record ImageHeader(Path file, String format, int width, int height) {
  /** Declared sizes above this many pixels are refused unless asked (a 30000x30000 PNG can be 1 MB on disk). */
  public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

  private static final int HEAD = 64 * 1024;

  public long pixels() {
    return (long) width * height;
  }

  /**
   * Reads and checks the header: the file exists, is a PNG, JPEG, GIF or BMP, at least 2x2 and at most
   * {@code maxPixels}.
   *
   * @throws IOException naming the file and what is wrong with it
   */
  public static ImageHeader read(Path file, long maxPixels) throws IOException {
    if (!Files.exists(file)) {
      throw new IOException("image file " + file + " does not exist");
    }
    if (!Files.isRegularFile(file)) {
      throw new IOException("image " + file + " is not a regular file");
    }
    byte[] b;
    try (InputStream in = Files.newInputStream(file)) {
      b = in.readNBytes(HEAD);
    }
    if (b.length == 0) {
      throw new IOException("image file " + file + " is empty (0 bytes)");
    }
    ImageHeader h;
    if (startsWith(b, 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n')) {
      h = png(file, b);
    } else if (startsWith(b, 0xff, 0xd8, 0xff)) {
      h = jpeg(file, b);
    } else if (startsWith(b, 'G', 'I', 'F', '8')) {
      h = new ImageHeader(file, "GIF", le16(file, b, 6), le16(file, b, 8));
    } else if (startsWith(b, 'B', 'M')) {
      need(file, b, 26, "BMP header");
      ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
      h = new ImageHeader(file, "BMP", bb.getInt(18), Math.abs(bb.getInt(22)));
    } else {
      throw new IOException("file " + file + " is not a PNG, JPEG, GIF or BMP image (it starts with "
          + String.format("%02x %02x %02x %02x", b[0], b.length > 1 ? b[1] : 0, b.length > 2 ? b[2] : 0,
              b.length > 3 ? b[3] : 0) + ")");
    }
    if (h.width < 2 || h.height < 2) {
      throw new IOException("image " + file + " is " + h.width + "x" + h.height + " pixels; at least 2x2 is needed");
    }
    if (h.pixels() > maxPixels) {
      throw new IOException("image " + file + " declares " + h.width + "x" + h.height + " = " + h.pixels()
          + " pixels, more than the limit of " + maxPixels + "; raise the limit if the image is genuine");
    }
    return h;
  }

  private static ImageHeader png(Path file, byte[] b) throws IOException {
    need(file, b, 26, "PNG IHDR chunk");
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN);
    if (bb.getInt(12) != 0x49484452) { // "IHDR"
      throw new IOException("PNG " + file + " has no IHDR chunk first: corrupt");
    }
    return new ImageHeader(file, "PNG", bb.getInt(16), bb.getInt(20));
  }

  /** Walks the JPEG markers to the first start-of-frame, which holds the size. */
  private static ImageHeader jpeg(Path file, byte[] b) throws IOException {
    int i = 2;
    while (i + 9 < b.length) {
      if ((b[i] & 0xff) != 0xff) {
        throw new IOException("JPEG " + file + " has a broken marker at offset " + i);
      }
      int marker = b[i + 1] & 0xff;
      if (marker == 0xff) {
        i++;
        continue;
      }
      int length = ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
      boolean startOfFrame = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
      if (startOfFrame) {
        int height = ((b[i + 5] & 0xff) << 8) | (b[i + 6] & 0xff);
        int width = ((b[i + 7] & 0xff) << 8) | (b[i + 8] & 0xff);
        return new ImageHeader(file, "JPEG", width, height);
      }
      i += 2 + length;
    }
    throw new IOException("JPEG " + file + " has no frame header in its first " + b.length
        + " bytes: truncated or corrupt");
  }

  private static int le16(Path file, byte[] b, int at) throws IOException {
    need(file, b, at + 2, "GIF header");
    return (b[at] & 0xff) | ((b[at + 1] & 0xff) << 8);
  }

  private static void need(Path file, byte[] b, int n, String what) throws IOException {
    if (b.length < n) {
      throw new IOException("image " + file + " is " + b.length + " bytes, too short for its " + what
          + ": truncated");
    }
  }

  private static boolean startsWith(byte[] b, int... prefix) {
    if (b.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((b[i] & 0xff) != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
