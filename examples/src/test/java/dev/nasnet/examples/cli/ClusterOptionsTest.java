package dev.nasnet.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nasnet.search.cluster.TrialClassAllowList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster options of search and worker: a bad secret, bind address or trial class is named before any work. */
class ClusterOptionsTest {
  @TempDir Path dir;

  private Path secret(String text, String perms) throws Exception {
    Path f = dir.resolve("secret");
    Files.writeString(f, text);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
    return f;
  }

  @Test
  void aWorkerRefusesASecretOthersCanReadOrThatIsTooShort() throws Exception {
    Path open = secret("0123456789abcdef0123456789", "rw-r--r--");
    CliRun r = CliRun.of("worker", "--cluster", "127.0.0.1:5701", "--cluster-secret-file", open.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("error: cluster secret file " + open + " is readable by group or others; run: "
        + "chmod 600 " + open);
    Path shortOne = secret("hunter2", "rw-------");
    CliRun s = CliRun.of("search", "--cluster-port", "5701", "--cluster-secret-file", shortOne.toString(), "--out",
        dir.resolve("s").toString(), "--data", dir.resolve("no-data").toString());
    assertThat(s.code()).isEqualTo(1);
    assertThat(s.err()).contains("cluster secret file " + shortOne + " holds 7 bytes; at least 16 are needed");
  }

  @Test
  void insecureAndASecretExcludeEachOther() throws Exception {
    Path f = secret("0123456789abcdef0123456789", "rw-------");
    CliRun r = CliRun.of("worker", "--cluster", "127.0.0.1:5701", "--cluster-secret-file", f.toString(),
        "--insecure");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("--insecure is for a cluster without a secret");
  }

  @Test
  void aTrialClassOrBindAddressThatCannotBeIsNamedBeforeJoining() {
    CliRun r = CliRun.of("worker", "--cluster", "127.0.0.1:5701", "--trial-class", "com.example.NoSuchTrial");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("trial class com.example.NoSuchTrial is not on this worker's class path");
    CliRun b = CliRun.of("worker", "--cluster", "127.0.0.1:5701", "--bind", "203.0.113.77");
    assertThat(b.code()).isEqualTo(1);
    assertThat(b.err()).contains("--bind 203.0.113.77 is not an address of this machine");
  }

  @Test
  void theSleepTrialOfBenchClusterIsOnTheDefaultAllowList() {
    assertThat(TrialClassAllowList.registeredPlus(List.of()).names()).contains(SleepTrial.class.getName(),
        "dev.nasnet.search.proxy.ProxyTaskTrial");
  }
}
