package dev.nasnet.search.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterSecretTest {
  @TempDir Path dir;

  private Path file(String content, String perms) throws Exception {
    Path f = dir.resolve("secret");
    Files.writeString(f, content);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
    return f;
  }

  @Test
  void aSecretFileOnlyItsOwnerReadsIsReadWithoutItsTrailingNewline() throws Exception {
    ClusterSecret s = ClusterSecret.read(file("0123456789abcdef0123\n", "rw-------"));
    assertThat(s.isPresent()).isTrue();
    assertThat(s.clusterName("n")).isEqualTo(ClusterSecret.of("0123456789abcdef0123".getBytes()).clusterName("n"));
  }

  @Test
  void aSecretFileOthersCanReadIsRefused() throws Exception {
    Path f = file("0123456789abcdef0123", "rw-r--r--");
    assertThatThrownBy(() -> ClusterSecret.read(f)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cluster secret file " + f + " is readable by group or others; run: chmod 600 " + f);
  }

  @Test
  void anEmptyOrShortSecretIsRefused() throws Exception {
    Path f = file("  \n", "rw-------");
    assertThatThrownBy(() -> ClusterSecret.read(f)).hasMessageContaining("holds 0 bytes; at least 16 are needed")
        .hasMessageContaining("openssl rand -hex 32");
    assertThatThrownBy(() -> ClusterSecret.read(dir.resolve("missing")))
        .hasMessageContaining("cluster secret file " + dir.resolve("missing") + " does not exist");
  }
}
