package dev.nasnet.core.weights;

import com.google.common.collect.ImmutableList;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The layers of a Keras weights file with their weights, read in pure Java (jhdf). Two layouts:
 *
 * <ul>
 *   <li>legacy HDF5 (Keras 2, and Keras 3's {@code legacy_h5_format}): the root's {@code layer_names} attribute lists
 *       the layers (split into {@code layer_names0}, {@code layer_names1}, ... when long); each layer's group lists
 *       its datasets in {@code weight_names} ({@code stem_conv1/kernel:0} or {@code .../stem_conv1/kernel});
 *   <li>Keras 3 {@code .weights.h5}: {@code layers/<key>/vars/0..n} in the layer's own order, with the layer's name
 *       in the {@code vars} group's {@code name} attribute.
 * </ul>
 *
 * Weight kinds are the Keras attribute names: {@code kernel}, {@code depthwise_kernel}, {@code pointwise_kernel},
 * {@code bias}, {@code gamma}, {@code beta}, {@code moving_mean}, {@code moving_variance}. In the Keras 3 layout
 * weights have no names; they are given the kinds of their layer in order.
 */
public record KerasWeightFile(Path file, WeightsFormat format, ImmutableList<Layer> layers) {

  /** One weight of a layer: its kind, shape and row-major values. */
  public record Weight(String kind, long[] shape, float[] values) {}

  /** A layer that has weights, under its Keras name. */
  public record Layer(String name, ImmutableList<Weight> weights) {}

  public static KerasWeightFile read(Path file) {
    WeightsFormat format = WeightsFormat.detect(file);
    if (format != WeightsFormat.KERAS_H5 && format != WeightsFormat.KERAS_WEIGHTS_H5) {
      throw new WeightsException("'" + file + "' is a " + format + ", not a Keras weights file");
    }
    try (HdfFile hdf = new HdfFile(file)) {
      List<Layer> layers = format == WeightsFormat.KERAS_H5 ? readLegacy(file, hdf) : readV3(file, hdf);
      return new KerasWeightFile(file, format, ImmutableList.copyOf(layers));
    } catch (WeightsException e) {
      throw e;
    } catch (RuntimeException e) {
      // jhdf reports a cut-off or damaged file as one of several runtime exceptions, some without a message.
      throw new WeightsException("cannot read Keras weights '" + file + "': truncated or corrupt HDF5 ("
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
    }
  }

  private static List<Layer> readLegacy(Path file, HdfFile hdf) {
    // Keras writes weights either at the root or under 'model_weights' (a whole saved model).
    Group root = hdf.getChild("model_weights") instanceof Group g ? g : hdf;
    List<String> names = stringList(root, "layer_names");
    if (names.isEmpty()) {
      throw new WeightsException("'" + file + "' has no 'layer_names' attribute: not a Keras HDF5 weights file");
    }
    List<Layer> layers = new ArrayList<>();
    for (String name : names) {
      if (!(root.getChild(name) instanceof Group group)) {
        throw new WeightsException("'" + file + "' lists layer '" + name + "' in layer_names but has no group for it");
      }
      List<Weight> weights = new ArrayList<>();
      for (String weightName : stringList(group, "weight_names")) {
        if (!(group.getByPath(weightName) instanceof Dataset data)) {
          throw new WeightsException("'" + file + "': layer '" + name + "' names weight '" + weightName
              + "' but has no dataset at that path");
        }
        String kind = weightName.substring(weightName.lastIndexOf('/') + 1).replaceFirst(":\\d+$", "");
        weights.add(weight(file, name, kind, data));
      }
      if (!weights.isEmpty()) {
        layers.add(new Layer(name, ImmutableList.copyOf(weights)));
      }
    }
    return layers;
  }

  private static List<Layer> readV3(Path file, HdfFile hdf) {
    if (!(hdf.getChild("layers") instanceof Group all)) {
      throw new WeightsException("'" + file + "' has no 'layers' group: not a Keras 3 .weights.h5 file");
    }
    List<Layer> layers = new ArrayList<>();
    for (Node node : all) {
      if (!(node instanceof Group layer) || !(layer.getChild("vars") instanceof Group vars)
          || vars.getChildren().isEmpty()) {
        continue;
      }
      Attribute nameAttribute = vars.getAttribute("name");
      if (nameAttribute == null) {
        throw new WeightsException("'" + file + "': layer group '" + layer.getName() + "' does not record its layer "
            + "name (written by an older Keras 3); load and re-save it with Keras >= 3.10, or use a legacy .h5 file");
      }
      String name = String.valueOf(nameAttribute.getData());
      List<String> kinds = kindsOf(layer.getName());
      // vars are named 0, 1, ...: sort numerically, not as strings (10 after 9).
      Map<Integer, Dataset> ordered = new TreeMap<>();
      for (Node v : vars) {
        if (v instanceof Dataset d) {
          ordered.put(Integer.parseInt(v.getName()), d);
        }
      }
      if (kinds.size() != ordered.size()) {
        throw new WeightsException("'" + file + "': layer '" + name + "' (" + layer.getName() + ") has "
            + ordered.size() + " weights; a layer of its kind has " + kinds.size() + " " + kinds);
      }
      List<Weight> weights = new ArrayList<>();
      int i = 0;
      for (Dataset d : ordered.values()) {
        weights.add(weight(file, name, kinds.get(i++), d));
      }
      layers.add(new Layer(name, ImmutableList.copyOf(weights)));
    }
    return layers;
  }

  /** The weights of a Keras layer class in the order Keras creates them; the group key is the class's snake name. */
  private static List<String> kindsOf(String groupKey) {
    String kind = groupKey.replaceFirst("_\\d+$", "");
    return switch (kind) {
      case "conv2d" -> List.of("kernel");
      case "separable_conv2d" -> List.of("depthwise_kernel", "pointwise_kernel");
      case "batch_normalization" -> List.of("gamma", "beta", "moving_mean", "moving_variance");
      case "dense" -> List.of("kernel", "bias");
      default -> throw new WeightsException("layer group '" + groupKey + "' is a " + kind
          + ", not a layer NASNet has (conv2d, separable_conv2d, batch_normalization, dense)");
    };
  }

  private static Weight weight(Path file, String layer, String kind, Dataset data) {
    long[] shape = Arrays.stream(data.getDimensions()).asLongStream().toArray();
    Object flat = data.getDataFlat();
    float[] values;
    if (flat instanceof float[] f) {
      values = f;
    } else if (flat instanceof double[] d) {
      values = new float[d.length];
      for (int i = 0; i < d.length; i++) {
        values[i] = (float) d[i];
      }
    } else {
      throw new WeightsException("'" + file + "': weight '" + kind + "' of layer '" + layer + "' holds "
          + data.getJavaType().getSimpleName() + ", not floats");
    }
    long expected = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    if (values.length != expected) {
      throw new WeightsException("'" + file + "': weight '" + kind + "' of layer '" + layer + "' has "
          + values.length + " values for shape " + Arrays.toString(shape) + ": truncated or corrupt");
    }
    return new Weight(kind, shape, values);
  }

  /** A string-list attribute, joined from Keras' chunks ({@code name0}, {@code name1}, ...) when it was split. */
  private static List<String> stringList(Node node, String name) {
    List<String> out = new ArrayList<>();
    Attribute whole = node.getAttribute(name);
    if (whole != null) {
      addStrings(out, whole.getData());
      return out;
    }
    for (int chunk = 0; node.getAttribute(name + chunk) != null; chunk++) {
      addStrings(out, node.getAttribute(name + chunk).getData());
    }
    return out;
  }

  private static void addStrings(List<String> out, Object data) {
    if (data instanceof Object[] array) {
      for (Object o : array) {
        out.add(String.valueOf(o));
      }
    } else if (data != null) {
      out.add(String.valueOf(data));
    }
  }
}
