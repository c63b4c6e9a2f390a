package dev.nasnet.detection.image;

import dev.nasnet.core.runtime.GraphSession;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * Resizes RGB images to a fixed square with the same TensorFlow op and settings the detector's exported graph uses,
 * so training sees exactly the pixels inference will. Returns 0..255 floats, [size * size * 3].
 */
public final class ImageResizer implements AutoCloseable {
  private final int size;
  private final GraphSession graph;
  private final Io io;

  /** Pixels in, resized floats out. */
  private record Io(Placeholder<TUint8> input, Operand<TFloat32> output) {}

  public ImageResizer(int size) {
    this.size = size;
    GraphSession.Built<Io> built = GraphSession.build(g -> {
      Ops tf = Ops.create(g);
      Placeholder<TUint8> input = tf.placeholder(TUint8.class, Placeholder.shape(Shape.of(1, -1, -1, 3)));
      return new Io(input, tf.image.resizeBilinear(tf.dtypes.cast(input, TFloat32.class),
          tf.constant(new int[] {size, size}), ResizeBilinear.halfPixelCenters(false)));
    });
    graph = built.holder();
    io = built.model();
  }

  public float[] resize(RgbImage image) {
    float[] out = new float[size * size * 3];
    if (image.width() == size && image.height() == size) {
      byte[] rgb = image.rgb();
      for (int i = 0; i < out.length; i++) {
        out[i] = rgb[i] & 0xff;
      }
      return out;
    }
    try (TUint8 in = TUint8.tensorOf(Shape.of(1, image.height(), image.width(), 3),
            DataBuffers.of(image.rgb(), true, false));
        Result r = graph.session().runner().feed(io.input(), in).fetch(io.output()).run()) {
      ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(out);
      return out;
    }
  }

  @Override
  public void close() {
    graph.close();
  }
}
