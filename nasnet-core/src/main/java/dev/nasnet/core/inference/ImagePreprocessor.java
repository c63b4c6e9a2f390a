package dev.nasnet.core.inference;

import dev.nasnet.core.runtime.GraphSession;
import com.google.common.base.Preconditions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.image.DecodeImage;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;

/**
 * Turns image files into a network's input with TensorFlow's own ops (decode, crop, resize), so a JPEG or PNG gives
 * the tensor TensorFlow in Python gives. Grayscale, palette, 16-bit, alpha and CMYK images are converted to 8-bit
 * RGB as TensorFlow's decoders convert them. The file's header is checked in Java first ({@link ImageHeader}): a
 * missing, empty, non-image, 1-pixel or oversized file is refused by name before any graph work; a file that is cut
 * off or corrupt fails in the decoder, also by name.
 *
 * <p>Holds a small graph and session of its own; close it.
 */
public final class ImagePreprocessor implements AutoCloseable {
  /** The share of each side slim's evaluation preprocessing keeps. */
  public static final double CENTRAL_FRACTION = 0.875;

  private final Preprocessing mode;
  private final int size;
  private final long maxPixels;
  private final GraphSession graph;
  private final Io io;

  /** The encoded file in, the preprocessed pixels out. */
  private record Io(Placeholder<TString> contents, Operand<TFloat32> output) {}

  public ImagePreprocessor(Preprocessing mode, int size) {
    this(mode, size, ImageHeader.DEFAULT_MAX_PIXELS);
  }

  /** @param maxPixels the largest declared width x height accepted */
  public ImagePreprocessor(Preprocessing mode, int size, long maxPixels) {
    Preconditions.checkArgument(size >= 2, "output size must be at least 2, got %s", size);
    Preconditions.checkArgument(maxPixels >= 4, "maxPixels must be at least 4, got %s", maxPixels);
    this.mode = Preconditions.checkNotNull(mode, "mode");
    this.size = size;
    this.maxPixels = maxPixels;
    GraphSession.Built<Io> built = GraphSession.build(g -> {
      Ops tf = Ops.create(g);
      Placeholder<TString> contents = tf.withName("contents").placeholder(TString.class,
          Placeholder.shape(Shape.scalar()));
      Operand<TUint8> rgb = tf.image.decodeImage(contents, TUint8.class, DecodeImage.channels(3L),
          DecodeImage.expandAnimations(false));
      return new Io(contents, mode == Preprocessing.INCEPTION ? inception(tf, rgb, size) : keras(tf, rgb, size));
    });
    graph = built.holder();
    io = built.model();
  }

  /** The model input size this preprocessor produces. */
  public int size() {
    return size;
  }

  public Preprocessing mode() {
    return mode;
  }

  /** [size][size][3] floats in [-1, 1]. */
  public float[][][] apply(Path file) throws IOException {
    try (TFloat32 t = tensor(file)) {
      return StdArrays.array3dCopyOf(t);
    }
  }

  /** The preprocessed image as a [size, size, 3] tensor; the caller closes it. */
  public TFloat32 tensor(Path file) throws IOException {
    ImageHeader.read(file, maxPixels);
    byte[] bytes = Files.readAllBytes(file);
    try (TString in = TString.tensorOfBytes(org.tensorflow.ndarray.NdArrays.scalarOfObject(bytes));
        Result r = graph.session().runner().feed(io.contents(), in).fetch(io.output()).run()) {
      TFloat32 out = (TFloat32) r.get(0);
      TFloat32 copy = TFloat32.tensorOf(out.shape());
      out.copyTo(copy);
      return copy;
    } catch (TensorFlowException | IllegalArgumentException e) {
      // TensorFlow Java reports a decoder's refusal as TFInvalidArgumentException, an IllegalArgumentException.
      throw new IOException("cannot decode image " + file + ": " + firstLine(e.getMessage())
          + " (truncated or corrupt?)", e);
    }
  }

  /** slim's inception_preprocessing for evaluation, op for op. */
  private static Operand<TFloat32> inception(Ops tf, Operand<TUint8> rgb, int size) {
    Operand<TFloat32> image = tf.math.mul(tf.dtypes.cast(rgb, TFloat32.class), tf.constant((float) (1.0 / 255)));
    // tf.image.central_crop: start = int((side - side * fraction) / 2) computed in float64, size = side - 2 * start.
    Operand<TInt32> shape = tf.shape(image);
    Operand<TInt32> hw = tf.slice(shape, tf.constant(new int[] {0}), tf.constant(new int[] {2}));
    Operand<TFloat64> sides = tf.dtypes.cast(hw, TFloat64.class);
    Operand<TInt32> start = tf.dtypes.cast(tf.math.div(tf.math.sub(sides, tf.math.mul(sides,
        tf.constant(CENTRAL_FRACTION))), tf.constant(2.0)), TInt32.class);
    Operand<TInt32> extent = tf.math.sub(hw, tf.math.mul(start, tf.constant(2)));
    Operand<TFloat32> cropped = tf.slice(image, tf.concat(List.of(start, tf.constant(new int[] {0})), tf.constant(0)),
        tf.concat(List.of(extent, tf.constant(new int[] {-1})), tf.constant(0)));
    Operand<TFloat32> resized = tf.image.resizeBilinear(tf.expandDims(cropped, tf.constant(0)),
        tf.constant(new int[] {size, size}), ResizeBilinear.alignCorners(false), ResizeBilinear.halfPixelCenters(false));
    Operand<TFloat32> scaled = tf.math.mul(tf.math.sub(resized, tf.constant(0.5f)), tf.constant(2.0f));
    return tf.squeeze(scaled, org.tensorflow.op.core.Squeeze.axis(List.of(0L)));
  }

  /** tf.image.resize (bilinear, half-pixel centres) of the 0..255 image, then x / 127.5 - 1. */
  private static Operand<TFloat32> keras(Ops tf, Operand<TUint8> rgb, int size) {
    Operand<TFloat32> image = tf.dtypes.cast(rgb, TFloat32.class);
    Operand<TFloat32> resized = tf.image.resizeBilinear(tf.expandDims(image, tf.constant(0)),
        tf.constant(new int[] {size, size}), ResizeBilinear.alignCorners(false), ResizeBilinear.halfPixelCenters(true));
    Operand<TFloat32> scaled = tf.math.sub(tf.math.div(resized, tf.constant(127.5f)), tf.constant(1f));
    return tf.squeeze(scaled, org.tensorflow.op.core.Squeeze.axis(List.of(0L)));
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "TensorFlow could not decode it";
    }
    String line = message.strip().split("\n", 2)[0];
    return line.replaceAll("\\{\\{[^}]*\\}\\}\\s*", "");
  }

  @Override
  public void close() {
    graph.close();
  }
}
