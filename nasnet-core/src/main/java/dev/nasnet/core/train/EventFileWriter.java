package dev.nasnet.core.train;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.zip.CRC32C;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

/**
 * Writes scalar summaries as a TensorBoard event file ({@code events.out.tfevents.*}): TFRecord framing (length,
 * masked CRC-32C of the length, the {@code Event} proto, masked CRC-32C of the data), flushed after each write.
 */
public final class EventFileWriter implements AutoCloseable {
  private final Path file;
  private final OutputStream out;

  public EventFileWriter(Path dir) throws IOException {
    Files.createDirectories(dir);
    long now = System.currentTimeMillis();
    this.file = dir.resolve("events.out.tfevents." + now / 1000 + ".nasnet-java." + ProcessHandle.current().pid());
    this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    write(Event.newBuilder().setWallTime(now / 1000.0).setFileVersion("brain.Event:2").build());
  }

  public Path file() {
    return file;
  }

  /** Writes each (tag, value) at {@code step}. */
  public void scalars(long step, Map<String, Double> values) throws IOException {
    Summary.Builder summary = Summary.newBuilder();
    values.forEach((tag, v) -> summary.addValue(Summary.Value.newBuilder().setTag(tag).setSimpleValue(v.floatValue())));
    write(Event.newBuilder().setWallTime(System.currentTimeMillis() / 1000.0).setStep(step).setSummary(summary)
        .build());
  }

  private void write(Event event) throws IOException {
    byte[] data = event.toByteArray();
    ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    header.putLong(data.length);
    header.putInt(maskedCrc(header.array(), 0, 8));
    ByteBuffer footer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    footer.putInt(maskedCrc(data, 0, data.length));
    out.write(header.array());
    out.write(data);
    out.write(footer.array());
    out.flush();
  }

  static int maskedCrc(byte[] b, int off, int len) {
    CRC32C crc = new CRC32C();
    crc.update(b, off, len);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + 0xa282ead8;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
