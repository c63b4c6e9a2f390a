package dev.nasnet.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;

class MetricsLogTest {
  @TempDir Path dir;

  static List<Long> trainSteps(Path csv) {
    try {
      return Files.readAllLines(csv).stream().skip(1).filter(l -> l.contains(",train,"))
          .map(l -> Long.parseLong(l.split(",")[0])).toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void csvRowsAndTensorBoardEventsWithValidChecksums() throws IOException {
    Path events;
    try (MetricsLog log = new MetricsLog(dir, 0, MetricsLog.CLASSIFIER_COLUMNS)) {
      log.append(new MetricsLog.Row(10, 0.5, "train", Map.of("loss", 1.25, "top1", 0.5), 0.1, 300, 2));
      log.append(new MetricsLog.Row(20, 1.0, "validation", Map.of("loss", 0.9, "top1", 0.7, "top5", 0.95), Double.NaN,
          Double.NaN, 4));
    }
    List<String> lines = Files.readAllLines(dir.resolve(MetricsLog.CSV));
    assertThat(lines.get(0)).startsWith("step,epoch,split,loss,top1");
    assertThat(lines.get(1)).startsWith("10,0.5000,train,1.25000,0.500000,,0.100000,300.000");
    try (var files = Files.list(dir)) {
      events = files.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).findFirst()
          .orElseThrow();
    }
    List<Event> read = readRecords(Files.readAllBytes(events));
    assertThat(read.get(0).getFileVersion()).isEqualTo("brain.Event:2");
    assertThat(read.get(1).getStep()).isEqualTo(10);
    assertThat(read.get(1).getSummary().getValueList()).extracting(v -> v.getTag())
        .containsExactly("train/loss", "train/top1", "learning_rate", "train/images_per_second");
    assertThat(read.get(2).getSummary().getValue(2).getSimpleValue()).isEqualTo(0.95f);
  }

  @Test
  void resumingDropsRowsPastTheCheckpoint() throws IOException {
    try (MetricsLog log = new MetricsLog(dir, 0, MetricsLog.CLASSIFIER_COLUMNS)) {
      for (int s = 5; s <= 20; s += 5) {
        log.append(new MetricsLog.Row(s, s / 10.0, "train", Map.of("loss", 1.0, "top1", 0.5), 0.1, 1, 1));
      }
    }
    try (MetricsLog log = new MetricsLog(dir, 10, MetricsLog.CLASSIFIER_COLUMNS)) {
      log.append(new MetricsLog.Row(15, 1.5, "train", Map.of("loss", 1.0, "top1", 0.5), 0.1, 1, 1));
    }
    assertThat(trainSteps(dir.resolve(MetricsLog.CSV))).containsExactly(5L, 10L, 15L);
  }

  private static List<Event> readRecords(byte[] bytes) throws IOException {
    List<Event> out = new ArrayList<>();
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    while (b.hasRemaining()) {
      int start = b.position();
      long len = b.getLong();
      assertThat(b.getInt()).isEqualTo(EventFileWriter.maskedCrc(bytes, start, 8));
      byte[] data = new byte[(int) len];
      b.get(data);
      assertThat(b.getInt()).isEqualTo(EventFileWriter.maskedCrc(data, 0, data.length));
      out.add(Event.parseFrom(data));
    }
    return out;
  }
}
