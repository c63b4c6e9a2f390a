package dev.nasnet.core.weights;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.nasnet.core.model.NasNetConfig;
import dev.nasnet.core.model.Stem;
import dev.nasnet.core.spec.Cells;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small NASNet made by Keras' generic constructor (tools/keras-reference/make_fixtures.py): its weight files, a
 * fixed input and Keras' logits and pooled features for it.
 */
record KerasFixture(String name, JsonObject meta, Path dir) {
  static KerasFixture load(String name) {
    Path dir = resources();
    try {
      return new KerasFixture(name, JsonParser.parseString(Files.readString(dir.resolve(name + ".json")))
          .getAsJsonObject(), dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path resources() {
    try {
      return Path.of(KerasFixture.class.getResource("/keras/images.json").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  Path file(String suffix) {
    return dir.resolve(name + suffix);
  }

  int size() {
    return meta.getAsJsonArray("input_shape").get(0).getAsInt();
  }

  int classes() {
    return meta.get("classes").getAsInt();
  }

  /** Our builder's equivalent of the Keras arguments, Keras' pool padding, no aux head. */
  NasNetConfig config() {
    int penultimate = meta.get("penultimate_filters").getAsInt();
    return NasNetConfig.builder().name(name).cells(Cells.nasnetANormal(), Cells.nasnetAReduction())
        .stem(Stem.IMAGENET).imageSize(size()).numCells(3 * meta.get("num_blocks").getAsInt())
        .numConvFilters(penultimate / 24).stemMultiplier(meta.get("stem_block_filters").getAsInt() / 32.0)
        .skipReductionLayerInput(meta.get("skip_reduction").getAsBoolean()).numClasses(classes()).build().keras();
  }

  float[][][][] input() {
    int batch = meta.get("batch").getAsInt();
    float[] flat = floats(file(".input.f32"));
    int s = size();
    float[][][][] x = new float[batch][s][s][3];
    int i = 0;
    for (float[][][] img : x) {
      for (float[][] row : img) {
        for (float[] px : row) {
          for (int c = 0; c < 3; c++) {
            px[c] = flat[i++];
          }
        }
      }
    }
    return x;
  }

  float[][] logits() {
    return rows(floats(file(".logits.f32")), classes());
  }

  float[][] features() {
    return rows(floats(file(".features.f32")), meta.get("features").getAsInt());
  }

  static float[][] rows(float[] flat, int width) {
    float[][] out = new float[flat.length / width][width];
    for (int r = 0; r < out.length; r++) {
      System.arraycopy(flat, r * width, out[r], 0, width);
    }
    return out;
  }

  static float[] floats(Path file) {
    try {
      ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
      float[] out = new float[b.remaining() / 4];
      b.asFloatBuffer().get(out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static double maxAbsDifference(float[][] a, float[][] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
      }
    }
    return max;
  }
}
