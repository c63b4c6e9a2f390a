package dev.nasnet.detection.synthetic;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import dev.nasnet.detection.data.CocoImage;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;

/** One generated image: its COCO entry, its pixels and the objects drawn on it. Pixels are copied in and out. */
public final class SyntheticImage {

  private final CocoImage info;
  private final int[] rgb;
  private final ImmutableList<SyntheticObject> objects;

  SyntheticImage(CocoImage info, int[] rgb, List<SyntheticObject> objects) {
    Preconditions.checkArgument(rgb.length == info.width() * info.height(),
        "image %s: %s pixels for a %s x %s image", info.id(), rgb.length, info.width(), info.height());
    this.info = info;
    this.rgb = rgb.clone();
    this.objects = ImmutableList.copyOf(objects);
  }

  public CocoImage info() {
    return info;
  }

  public int width() {
    return info.width();
  }

  public int height() {
    return info.height();
  }

  public ImmutableList<SyntheticObject> objects() {
    return objects;
  }

  /** The pixel at column x, row y as {@code 0xRRGGBB}. */
  public int rgbAt(int x, int y) {
    Preconditions.checkElementIndex(x, width(), "x");
    Preconditions.checkElementIndex(y, height(), "y");
    return rgb[y * width() + x];
  }

  /** A new TYPE_INT_RGB image; changing it does not change this one. */
  public BufferedImage toBufferedImage() {
    BufferedImage image = new BufferedImage(width(), height(), BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, width(), height(), rgb, 0, width());
    return image;
  }

  /** Row-major {@code [height, width, 3]} RGB bytes, the layout of a uint8 image tensor. */
  public byte[] toRgbBytes() {
    byte[] out = new byte[rgb.length * 3];
    for (int i = 0; i < rgb.length; i++) {
      out[3 * i] = (byte) (rgb[i] >> 16);
      out[3 * i + 1] = (byte) (rgb[i] >> 8);
      out[3 * i + 2] = (byte) rgb[i];
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SyntheticImage other && info.equals(other.info) && Arrays.equals(rgb, other.rgb)
        && objects.equals(other.objects);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * info.hashCode() + Arrays.hashCode(rgb)) + objects.hashCode();
  }

  @Override
  public String toString() {
    return "SyntheticImage[" + info + ", " + objects.size() + " objects]";
  }
}
