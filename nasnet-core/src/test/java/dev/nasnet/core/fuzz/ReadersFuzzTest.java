package dev.nasnet.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nasnet.core.TinyConfigs;
import dev.nasnet.core.checkpoint.CheckpointEntry;
import dev.nasnet.core.checkpoint.CheckpointException;
import dev.nasnet.core.checkpoint.CheckpointReader;
import dev.nasnet.core.data.DataFormatException;
import dev.nasnet.core.data.IdxReader;
import dev.nasnet.core.inference.NasNetClassifier;
import dev.nasnet.core.spec.CellSpecJson;
import dev.nasnet.core.spec.Cells;
import dev.nasnet.core.spec.InvalidCellSpecException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** 1,000 seeded mutations each of a checkpoint's two files, a cell JSON and an IDX pair, through their readers. */
class ReadersFuzzTest {
  private static final Logger LOG = LoggerFactory.getLogger(ReadersFuzzTest.class);
  private static final int CASES = 1000;
  private static final Duration PER_CASE = Duration.ofSeconds(10);
  @TempDir Path dir;

  @Test
  void checkpointIndexAndData() throws IOException {
    Path good = dir.resolve("good/model.ckpt");
    try (NasNetClassifier net = NasNetClassifier.create(TinyConfigs.cifar())) {
      net.save(good);
    }
    byte[] index = Files.readAllBytes(CheckpointReader.indexFile(good));
    byte[] data = Files.readAllBytes(Path.of(good + ".data-00000-of-00001"));
    Path bad = dir.resolve("bad/model.ckpt");
    Files.createDirectories(bad.getParent());
    Path badIndex = CheckpointReader.indexFile(bad);
    Path badData = Path.of(bad + ".data-00000-of-00001");
    var expected = Mutations.ownException("model.ckpt", List.of(CheckpointException.class));
    Files.write(badData, data);
    int[] i = Mutations.check("checkpoint .index", index, CASES, 1, PER_CASE, m -> {
      Files.write(badIndex, m);
      readAll(bad);
    }, expected);
    Files.write(badIndex, index);
    int[] d = Mutations.check("checkpoint .data", data, CASES, 2, PER_CASE, m -> {
      Files.write(badData, m);
      readAll(bad);
    }, expected);
    LOG.info("checkpoint fuzz: .index {} loaded / {} refused, .data {} loaded / {} refused", i[0], i[1], d[0], d[1]);
    assertThat(i[0] + i[1]).isEqualTo(CASES);
    // Every change to the data is caught by a checksum or the size checks; only a change that leaves every tensor's
    // bytes intact (appending past the last tensor) loads.
    assertThat(d[1]).isGreaterThan(CASES * 9 / 10);
  }

  @Test
  void cellJson() {
    byte[] json = CellSpecJson.toJson(Cells.nasnetAReduction()).getBytes(StandardCharsets.UTF_8);
    int[] r = Mutations.check("cell JSON", json, CASES, 3, PER_CASE,
        m -> CellSpecJson.fromJson(new String(m, StandardCharsets.UTF_8)),
        t -> t instanceof InvalidCellSpecException);
    LOG.info("cell JSON fuzz: {} loaded / {} refused", r[0], r[1]);
    assertThat(r[1]).isPositive();
  }

  @Test
  void idxImagesAndLabels() throws IOException {
    int n = 20;
    ByteBuffer images = ByteBuffer.allocate(16 + n * 28 * 28).putInt(0x803).putInt(n).putInt(28).putInt(28);
    for (int k = 0; k < n * 28 * 28; k++) {
      images.put((byte) k);
    }
    ByteBuffer labels = ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
    for (int k = 0; k < n; k++) {
      labels.put((byte) (k % 10));
    }
    Path imageFile = dir.resolve("images-idx3-ubyte");
    Path labelFile = dir.resolve("labels-idx1-ubyte");
    Files.write(imageFile, images.array());
    Files.write(labelFile, labels.array());
    var expected = Mutations.ownException("idx", List.of(DataFormatException.class));
    int[] a = Mutations.check("IDX images", images.array(), CASES, 4, PER_CASE, m -> {
      Files.write(imageFile, m);
      IdxReader.read(imageFile, labelFile, 10);
    }, expected);
    Files.write(imageFile, images.array());
    int[] b = Mutations.check("IDX labels", labels.array(), CASES, 5, PER_CASE, m -> {
      Files.write(labelFile, m);
      IdxReader.read(imageFile, labelFile, 10);
    }, expected);
    LOG.info("IDX fuzz: images {} loaded / {} refused, labels {} loaded / {} refused", a[0], a[1], b[0], b[1]);
    assertThat(a[1]).isPositive();
    assertThat(b[1]).isPositive();
  }

  private static void readAll(Path prefix) {
    CheckpointReader reader = CheckpointReader.open(prefix);
    for (CheckpointEntry e : reader.entries().values()) {
      reader.readFloats(e.name());
    }
  }
}
