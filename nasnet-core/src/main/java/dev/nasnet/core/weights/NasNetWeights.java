package dev.nasnet.core.weights;

import com.google.common.collect.ImmutableList;
import dev.nasnet.core.checkpoint.CheckpointReader;
import dev.nasnet.core.checkpoint.Checkpoints;
import dev.nasnet.core.checkpoint.Checkpoints.RestoreReport;
import dev.nasnet.core.graph.ModelVariable;
import dev.nasnet.core.model.NasNetModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Loads published NASNet weights into any network the builder makes, whatever file they come in: Keras applications'
 * HDF5 files ({@code NASNet-mobile.h5}, {@code NASNet-large.h5}, their {@code -no-top} variants, and Keras 3
 * {@code .weights.h5}), slim checkpoints by prefix, or slim's released {@code .tar.gz} read without unpacking.
 *
 * <pre>{@code
 * try (NasNetClassifier net = NasNetClassifier.create(NasNetConfig.mobile().keras())) {
 *   NasNetWeights.restore(net.session(), net.model(), Path.of("NASNet-mobile.h5"));
 *   net.save(Path.of("nasnet-mobile/model.ckpt"));   // the same weights as a slim-named checkpoint
 * }
 * }</pre>
 *
 * Keras layer names are translated to slim variable names by one table ({@code KerasNames}); every variable of the
 * model must be found in the file with its exact shape, and every weighted layer of the file must have a place in
 * the model, or the load fails naming the first layer or variable that does not fit and both shapes, before any
 * variable is changed. A Keras top ({@code predictions}) is skipped for a headless model.
 */
public final class NasNetWeights {
  private static final Logger LOG = LoggerFactory.getLogger(NasNetWeights.class);

  private NasNetWeights() {}

  /** Restores {@code weights} (any {@link WeightsFormat}) into {@code model}'s variables in {@code session}. */
  public static RestoreReport restore(Session session, NasNetModel model, Path weights) {
    long start = System.nanoTime();
    WeightsFormat format = WeightsFormat.detect(weights);
    RestoreReport report = switch (format) {
      case KERAS_H5, KERAS_WEIGHTS_H5 -> restoreKeras(session, model, KerasWeightFile.read(weights));
      case CHECKPOINT -> Checkpoints.restore(session, model.variables(), weights);
      case CHECKPOINT_TAR_GZ -> Checkpoints.restore(session, model.variables(), CheckpointReader.openTarGz(weights),
          Checkpoints.NamePolicy.PREFER_MOVING_AVERAGE);
    };
    LOG.info("loaded {} variables from {} ({}) in {} ms", report.restored().size(), weights, format,
        (System.nanoTime() - start) / 1_000_000);
    return report;
  }

  /** The file's weights under the model's slim names, checked against the model; nothing is assigned. */
  public static Map<String, float[]> fromKeras(KerasWeightFile file, NasNetModel model) {
    List<ModelVariable> variables = model.variables();
    Map<String, ModelVariable> byName = new LinkedHashMap<>();
    variables.forEach(v -> byName.put(v.name(), v));
    KerasNames names = KerasNames.forModel(model.config(), List.copyOf(byName.keySet()));
    Map<String, float[]> values = new LinkedHashMap<>();
    for (KerasWeightFile.Layer layer : file.layers()) {
      Optional<String> scope = names.scopeOf(layer.name());
      if (scope.isEmpty()) {
        if (layer.name().equals("predictions") && model.config().numClasses() == 0) {
          LOG.info("{}: skipping the classifier layer 'predictions' for headless model '{}'", file.file(),
              model.config().name());
          continue;
        }
        throw new WeightsException("'" + file.file() + "' has layer '" + layer.name() + "' (" + shapes(layer)
            + "), which has no place in model '" + model.config().name() + "' (" + model.config().notation() + ", "
            + model.config().numClasses() + " classes): weights for another architecture");
      }
      for (KerasWeightFile.Weight w : layer.weights()) {
        String name = scope.get() + "/" + KerasNames.variableOf(w.kind());
        ModelVariable v = byName.get(name);
        if (v == null) {
          throw new WeightsException("'" + file.file() + "': weight '" + w.kind() + "' of layer '" + layer.name()
              + "' maps to '" + name + "', which model '" + model.config().name() + "' does not have");
        }
        if (!Arrays.equals(v.shape(), w.shape())) {
          String classes = name.startsWith("final_layer/FC/")
              ? ": the file has " + w.shape()[w.shape().length - 1] + " classes, the model "
                  + model.config().numClasses()
              : ": weights for another architecture or size";
          throw new WeightsException("'" + file.file() + "': layer '" + layer.name() + "' weight '" + w.kind()
              + "' has shape " + Arrays.toString(w.shape()) + " but model variable '" + name + "' has "
              + Arrays.toString(v.shape()) + classes);
        }
        values.put(name, w.values());
      }
    }
    for (ModelVariable v : variables) {
      if (!values.containsKey(v.name()) && !v.name().startsWith("aux_")) {
        String hint = v.name().startsWith("final_layer/FC/")
            ? ": the file has no classifier layer ('predictions'), as '-no-top' files do; build the model with "
                + "numClasses(0) for features"
            : ": weights for another architecture or size";
        throw new WeightsException("'" + file.file() + "' has nothing for model variable '" + v.name() + "' "
            + Arrays.toString(v.shape()) + hint);
      }
    }
    return values;
  }

  /**
   * Checks {@code file}'s SHA-256 against {@code expectedHex} (case-insensitive) before anything reads it.
   *
   * @throws WeightsException naming the file and both digests when they differ
   */
  public static void verifySha256(Path file, String expectedHex) {
    String expected = expectedHex.trim().toLowerCase(Locale.ROOT);
    if (!expected.matches("[0-9a-f]{64}")) {
      throw new WeightsException("--sha256 must be 64 hex digits, got '" + expectedHex + "'");
    }
    String actual = sha256(file);
    if (!actual.equals(expected)) {
      throw new WeightsException("'" + file + "' has SHA-256 " + actual + ", expected " + expected
          + ": a different or damaged file");
    }
  }

  /** The SHA-256 of a file, or of a checkpoint's index and data files in order when given a prefix. */
  public static String sha256(Path file) {
    List<Path> parts = new ArrayList<>();
    if (Files.isRegularFile(file)) {
      parts.add(file);
    } else {
      parts.add(CheckpointReader.indexFile(file));
      parts.addAll(CheckpointReader.open(file).dataFiles());
    }
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (Path p : parts) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(p), digest)) {
          in.transferTo(java.io.OutputStream.nullOutputStream());
        }
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new WeightsException("cannot read '" + file + "' for its SHA-256: " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  private static RestoreReport restoreKeras(Session session, NasNetModel model, KerasWeightFile file) {
    Map<String, float[]> values = fromKeras(file, model);
    List<ModelVariable> targets = new ArrayList<>();
    List<TFloat32> tensors = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    try {
      for (ModelVariable v : model.variables()) {
        float[] data = values.get(v.name());
        if (data == null) {
          skipped.add(v.name());
          continue;
        }
        targets.add(v);
        tensors.add(TFloat32.tensorOf(Shape.of(v.shape()), DataBuffers.of(data, true, false)));
      }
      Checkpoints.assign(session, targets, tensors);
    } finally {
      tensors.forEach(Tensor::close);
    }
    return new RestoreReport(targets.stream().map(ModelVariable::name).collect(ImmutableList.toImmutableList()),
        ImmutableList.copyOf(skipped), ImmutableList.of(), ImmutableList.of());
  }

  private static String shapes(KerasWeightFile.Layer layer) {
    return layer.weights().stream().map(w -> w.kind() + " " + Arrays.toString(w.shape()))
        .collect(java.util.stream.Collectors.joining(", "));
  }
}
