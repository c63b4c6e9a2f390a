package dev.nasnet.detection.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RgbImageTest {
  @TempDir
  Path dir;

  @Test
  void wrongChannelCountsAndUnreadableFilesAreNamed() throws Exception {
    assertThatThrownBy(() -> RgbImage.of("scan.raw", 4, 4, 1, new byte[16])).hasMessageContaining("scan.raw")
        .hasMessageContaining("1 channels");
    assertThatThrownBy(() -> RgbImage.of("x", 4, 4, 3, new byte[40])).hasMessageContaining("48 bytes, got 40");
    Path text = dir.resolve("notes.png");
    Files.writeString(text, "not an image");
    assertThatThrownBy(() -> RgbImage.read(text)).hasMessageContaining("notes.png");
    assertThatThrownBy(() -> RgbImage.read(dir.resolve("missing.png"))).hasMessageContaining("missing.png");
  }

  @Test
  void cmykJpegsDecode() throws Exception {
    // Written by Pillow in CMYK (tools/keras-reference); the JDK's own JPEG reader refuses these.
    Path file = Path.of(getClass().getResource("/images/cmyk.jpg").toURI());
    RgbImage image = RgbImage.read(file);
    assertThat(image.width()).isEqualTo(61);
    assertThat(image.height()).isEqualTo(45);
    long sum = 0;
    for (byte b : image.rgb()) {
      sum += b & 0xff;
    }
    // The picture is a colour gradient, mid-grey on average: neither black nor white after conversion.
    assertThat(sum / (double) image.rgb().length).isBetween(40.0, 215.0);
  }

  @Test
  void greyFilesBecomeRgbAndFlippingMirrorsColumns() throws Exception {
    BufferedImage grey = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
    grey.getRaster().setSample(0, 0, 0, 200);
    Path file = dir.resolve("grey.png");
    ImageIO.write(grey, "png", file.toFile());
    RgbImage rgb = RgbImage.read(file);
    assertThat(rgb.width()).isEqualTo(3);
    assertThat(rgb.rgb()[0] & 0xff).isEqualTo(rgb.rgb()[1] & 0xff).isEqualTo(rgb.rgb()[2] & 0xff).isGreaterThan(100);
    RgbImage flipped = rgb.flipHorizontally();
    assertThat(flipped.rgb()[2 * 3] & 0xff).isEqualTo(rgb.rgb()[0] & 0xff);
    assertThat(flipped.flipHorizontally().rgb()).isEqualTo(rgb.rgb());
  }
}
