package dev.nasnet.core.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelsTest {
  @TempDir Path dir;

  @Test
  void imagenetHasItsThousandClassesInKerasOrderAndSlimAddsBackground() {
    Labels keras = Labels.forClasses(1000);
    assertThat(keras.size()).isEqualTo(1000);
    assertThat(keras.label(0)).isEqualTo("tench, Tinca tinca");
    assertThat(keras.label(281)).startsWith("tabby");
    assertThat(keras.label(999)).startsWith("toilet tissue");
    Labels slim = Labels.forClasses(1001);
    assertThat(slim.label(0)).isEqualTo("background");
    assertThat(slim.label(282)).isEqualTo(keras.label(281));
    assertThat(Labels.forClasses(3).label(2)).isEqualTo("class 2");
  }

  @Test
  void userFilesNeedOneLabelPerClass() throws IOException {
    Path ok = Files.writeString(dir.resolve("ok.txt"), "cat\ndog\n");
    assertThat(Labels.read(ok).label(1)).isEqualTo("dog");
    assertThatThrownBy(() -> Labels.read(ok).checkFits(3, "ok.txt")).hasMessageContaining("ok.txt has 2 labels")
        .hasMessageContaining("3 classes");
    Path gap = Files.writeString(dir.resolve("gap.txt"), "cat\n\ndog\n");
    assertThatThrownBy(() -> Labels.read(gap)).hasMessageContaining("gap.txt").hasMessageContaining("line 2");
  }
}
