package dev.nasnet.detection;

import dev.nasnet.detection.synthetic.SyntheticImage;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** Test images as the NASNet extractor takes them. */
public final class TestImages {
  private TestImages() {}

  /** Inception-style preprocessing, as the NASNet extractor expects: (2 / 255) x - 1; [1, h, w, 3]. */
  public static TFloat32 pixels(SyntheticImage image) {
    byte[] rgb = image.toRgbBytes();
    float[] x = new float[rgb.length];
    for (int i = 0; i < rgb.length; i++) {
      x[i] = (rgb[i] & 0xff) * (2f / 255f) - 1f;
    }
    return TFloat32.tensorOf(Shape.of(1, image.height(), image.width(), 3), DataBuffers.of(x, true, false));
  }
}
