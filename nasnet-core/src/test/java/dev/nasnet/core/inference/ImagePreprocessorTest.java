package dev.nasnet.core.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Our in-graph preprocessing against arrays TensorFlow 2.21 made in Python (tools/keras-reference). */
class ImagePreprocessorTest {
  private static ImagePreprocessor inception32;
  @TempDir Path dir;

  @BeforeAll
  static void open() {
    inception32 = new ImagePreprocessor(Preprocessing.INCEPTION, 32);
  }

  @AfterAll
  static void close() {
    inception32.close();
  }

  static Path fixtures() throws URISyntaxException {
    return Path.of(ImagePreprocessorTest.class.getResource("/keras/images.json").toURI()).getParent();
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({"png, inception, 32, 1e-5", "png, inception, 40, 1e-5", "png, keras, 32, 1e-5", "png, keras, 40, 1e-5",
      // JPEG: the same libjpeg-turbo decoder in both TensorFlows; allow one 8-bit step (2/255) should IDCT builds differ.
      "jpg, inception, 32, 0.008", "jpg, keras, 40, 0.008"})
  void matchesTensorFlowInPython(String ext, String mode, int size, double tolerance) throws Exception {
    Path image = fixtures().resolve("image." + ext);
    float[] expected = floats(fixtures().resolve("image." + ext + "." + mode + size + ".f32"));
    try (ImagePreprocessor p = new ImagePreprocessor(Preprocessing.parse(mode), size)) {
      float[] ours = flat(p.apply(image));
      assertThat(ours).hasSameSizeAs(expected);
      assertThat(maxDiff(ours, expected)).isLessThanOrEqualTo(tolerance);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"gray.png", "palette.png", "gray16.png", "rgba.png", "cmyk.jpg"})
  void otherColourModelsAreConvertedAsTensorFlowConvertsThem(String name) throws Exception {
    JsonObject meta = JsonParser.parseString(Files.readString(fixtures().resolve("images.json"))).getAsJsonObject();
    assertThat(meta.get(name).getAsString()).isEqualTo("decoded");
    float[] expected = floats(fixtures().resolve(name + ".inception32.f32"));
    assertThat(maxDiff(flat(inception32.apply(fixtures().resolve(name))), expected)).isLessThanOrEqualTo(
        name.endsWith(".jpg") ? 0.008 : 1e-5);
  }

  @Test
  void badFilesAreRefusedByName() throws Exception {
    byte[] png = Files.readAllBytes(fixtures().resolve("image.png"));
    byte[] jpg = Files.readAllBytes(fixtures().resolve("image.jpg"));
    Path empty = Files.createFile(dir.resolve("empty.png"));
    Path text = Files.writeString(dir.resolve("notes.jpg"), "hello, not an image");
    Path cutJpeg = Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(jpg, jpg.length * 3 / 4));
    Path cutPng = Files.write(dir.resolve("cut.png"), Arrays.copyOf(png, png.length / 2));
    Path headerOnly = Files.write(dir.resolve("header.png"), Arrays.copyOf(png, 20));
    assertThatThrownBy(() -> inception32.apply(dir.resolve("missing.png"))).hasMessageContaining("missing.png")
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> inception32.apply(empty)).hasMessageContaining("empty.png").hasMessageContaining("empty");
    assertThatThrownBy(() -> inception32.apply(text)).hasMessageContaining("notes.jpg")
        .hasMessageContaining("not a PNG, JPEG, GIF or BMP");
    assertThatThrownBy(() -> inception32.apply(cutJpeg)).isInstanceOf(IOException.class)
        .hasMessageContaining("cut.jpg").hasMessageContaining("truncated or corrupt");
    assertThatThrownBy(() -> inception32.apply(cutPng)).isInstanceOf(IOException.class)
        .hasMessageContaining("cut.png");
    assertThatThrownBy(() -> inception32.apply(headerOnly)).hasMessageContaining("header.png")
        .hasMessageContaining("truncated");
  }

  @Test
  void onePixelImagesAreRefusedByName() throws Exception {
    for (int[] wh : new int[][] {{40, 1}, {1, 40}}) {
      Path file = dir.resolve("thin-" + wh[0] + "x" + wh[1] + ".png");
      ImageIO.write(new BufferedImage(wh[0], wh[1], BufferedImage.TYPE_INT_RGB), "png", file.toFile());
      assertThatThrownBy(() -> inception32.apply(file)).hasMessageContaining(file.getFileName().toString())
          .hasMessageContaining(wh[0] + "x" + wh[1]).hasMessageContaining("at least 2x2");
    }
  }

  @Test
  void aHugeDeclaredSizeIsRefusedFromTheHeaderAlone() throws Exception {
    // A PNG whose IHDR declares 30000x30000: refused before any decoding.
    byte[] png = Files.readAllBytes(fixtures().resolve("image.png"));
    ByteBuffer b = ByteBuffer.wrap(png.clone()).order(ByteOrder.BIG_ENDIAN);
    b.putInt(16, 30000).putInt(20, 30000);
    Path huge = Files.write(dir.resolve("huge.png"), b.array());
    long start = System.nanoTime();
    assertThatThrownBy(() -> inception32.apply(huge)).hasMessageContaining("huge.png")
        .hasMessageContaining("30000x30000").hasMessageContaining("limit");
    try (ImagePreprocessor generous = new ImagePreprocessor(Preprocessing.INCEPTION, 32, 1_000_000_000L)) {
      // Past the limit the decoder meets the wrong CRC / missing data and still names the file.
      assertThatThrownBy(() -> generous.apply(huge)).hasMessageContaining("huge.png");
    }
    assertThat(System.nanoTime() - start).isLessThan(30_000_000_000L);
  }

  static float[] flat(float[][][] x) {
    float[] out = new float[x.length * x[0].length * 3];
    int i = 0;
    for (float[][] row : x) {
      for (float[] px : row) {
        for (float v : px) {
          out[i++] = v;
        }
      }
    }
    return out;
  }

  static float[] floats(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[b.remaining() / 4];
    b.asFloatBuffer().get(out);
    return out;
  }

  static double maxDiff(float[] a, float[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
