package dev.nasnet.core.checkpoint;

import com.google.common.collect.ImmutableMap;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.BundleEntryProto;
import org.tensorflow.proto.BundleHeaderProto;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Reads a TensorFlow V2 checkpoint ({@code prefix.index} + {@code prefix.data-NNNNN-of-NNNNN}) in plain Java, so a
 * restore can list what a checkpoint holds, pick names (with or without {@code /ExponentialMovingAverage}) and
 * check shapes before touching the graph, and report a broken file by name and offset.
 *
 * <p>The index is a LevelDB-format table without compression: a footer pointing at an index block, whose entries
 * point at data blocks of prefix-compressed keys. The empty key holds the bundle header; every other key is a tensor
 * name whose value is a {@code BundleEntryProto}.
 */
public final class CheckpointReader {
  private static final long TABLE_MAGIC = 0xdb4775248b80fb57L;
  private static final int FOOTER_SIZE = 48;
  private static final int BLOCK_TRAILER_SIZE = 5;

  private final Path prefix;
  private final int numShards;
  private final ImmutableMap<String, CheckpointEntry> entries;
  /** Data shards held in memory (a checkpoint read from an archive), or null to read them from files. */
  private final Map<Integer, byte[]> shardsInMemory;

  private CheckpointReader(Path prefix, int numShards, ImmutableMap<String, CheckpointEntry> entries,
      Map<Integer, byte[]> shardsInMemory) {
    this.prefix = prefix;
    this.numShards = numShards;
    this.entries = entries;
    this.shardsInMemory = shardsInMemory;
  }

  /** Opens the checkpoint whose files start with {@code prefix} (e.g. {@code model.ckpt} for model.ckpt.index). */
  public static CheckpointReader open(Path prefix) {
    Path index = indexFile(prefix);
    if (!Files.isRegularFile(index)) {
      throw new CheckpointException("no checkpoint at '" + prefix + "': " + index + " does not exist");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(index);
    } catch (IOException e) {
      throw new CheckpointException("cannot read " + index + ": " + e.getMessage(), e);
    }
    return parse(prefix, index, bytes, null);
  }

  /**
   * Opens the checkpoint inside a released slim tarball (e.g. {@code nasnet-a_mobile_04_10_2017.tar.gz}) without
   * unpacking it: the archive is streamed once and the index and data files are kept in memory.
   */
  public static CheckpointReader openTarGz(Path archive) {
    Map<String, byte[]> files = TarGz.read(archive, name -> name.contains(".index") || name.contains(".data-"));
    List<String> indexes = files.keySet().stream().filter(n -> n.endsWith(".index")).toList();
    if (indexes.size() != 1) {
      throw new CheckpointException("'" + archive + "' holds " + indexes.size() + " checkpoint index files "
          + indexes + "; expected exactly one (a slim release tarball)");
    }
    String indexName = indexes.get(0);
    String prefixName = indexName.substring(0, indexName.length() - ".index".length());
    Path prefix = archive.resolveSibling(archive.getFileName() + "!/" + prefixName);
    CheckpointReader header = parse(prefix, Path.of(archive + "!/" + indexName), files.get(indexName), Map.of());
    Map<Integer, byte[]> shards = new java.util.HashMap<>();
    for (int shard = 0; shard < header.numShards; shard++) {
      String name = String.format("%s.data-%05d-of-%05d", prefixName, shard, header.numShards);
      byte[] data = files.get(name);
      if (data == null) {
        throw new CheckpointException("'" + archive + "' lacks data file '" + name + "' of its checkpoint");
      }
      shards.put(shard, data);
    }
    return new CheckpointReader(prefix, header.numShards, header.entries, Map.copyOf(shards));
  }

  /** The data files of a checkpoint on disk, in shard order. */
  public List<Path> dataFiles() {
    List<Path> out = new java.util.ArrayList<>();
    for (int shard = 0; shard < numShards; shard++) {
      out.add(dataFile(shard));
    }
    return out;
  }

  public static Path indexFile(Path prefix) {
    return prefix.resolveSibling(prefix.getFileName() + ".index");
  }

  public Path prefix() {
    return prefix;
  }

  /** Every tensor, keyed by name, in the checkpoint's (sorted) order. */
  public ImmutableMap<String, CheckpointEntry> entries() {
    return entries;
  }

  public boolean contains(String name) {
    return entries.containsKey(name);
  }

  /** Reads a float tensor's values in row-major order. */
  public float[] readFloats(String name) {
    CheckpointEntry e = entries.get(name);
    if (e == null) {
      throw new CheckpointException("checkpoint '" + prefix + "' has no tensor '" + name + "'");
    }
    if (!e.dtype().equals(DataType.DT_FLOAT.name())) {
      throw new CheckpointException("tensor '" + name + "' in '" + prefix + "' is " + e.dtype() + ", not DT_FLOAT");
    }
    if (e.size() != e.elements() * 4) {
      throw new CheckpointException("tensor '" + name + "' in '" + prefix + "' has " + e.size() + " bytes for shape "
          + Arrays.toString(e.shape()) + " (expected " + e.elements() * 4 + ")");
    }
    ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(e.size())).order(ByteOrder.LITTLE_ENDIAN);
    if (shardsInMemory != null) {
      byte[] shard = shardsInMemory.get(e.shard());
      if (shard == null || e.offset() + e.size() > shard.length) {
        throw new CheckpointException("tensor '" + name + "' lies at offset " + e.offset() + " (+" + e.size()
            + " bytes) but data shard " + e.shard() + " of " + prefix + " has only "
            + (shard == null ? 0 : shard.length) + " bytes: the file is truncated");
      }
      buf.put(shard, (int) e.offset(), (int) e.size());
      return checkedFloats(e, buf);
    }
    Path data = dataFile(e.shard());
    try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
      if (e.offset() + e.size() > ch.size()) {
        throw new CheckpointException("tensor '" + name + "' lies at offset " + e.offset() + " (+" + e.size()
            + " bytes) but " + data + " has only " + ch.size() + " bytes: the file is truncated");
      }
      long pos = e.offset();
      while (buf.hasRemaining()) {
        int n = ch.read(buf, pos);
        if (n < 0) {
          throw new CheckpointException("unexpected end of " + data + " at offset " + pos);
        }
        pos += n;
      }
    } catch (IOException ex) {
      throw new CheckpointException("cannot read tensor '" + name + "' from " + data + ": " + ex.getMessage(), ex);
    }
    return checkedFloats(e, buf);
  }

  /**
   * The tensor's floats after checking its bytes against the CRC32C TensorFlow stored for them: a flipped byte in
   * the data file fails here instead of becoming a wrong weight.
   */
  private float[] checkedFloats(CheckpointEntry e, ByteBuffer buf) {
    int actual = MaskedCrc32c.of(buf.array(), 0, buf.position());
    if (actual != e.maskedCrc32c()) {
      throw new CheckpointException("checksum mismatch for tensor '" + e.name() + "' in checkpoint '" + prefix
          + "' (data shard " + e.shard() + ", offset " + e.offset() + ", " + e.size() + " bytes): stored CRC32C "
          + Integer.toHexString(e.maskedCrc32c()) + ", computed " + Integer.toHexString(actual)
          + "; the data file is corrupt");
    }
    buf.flip();
    float[] out = new float[(int) e.elements()];
    buf.asFloatBuffer().get(out);
    return out;
  }

  private Path dataFile(int shard) {
    return prefix.resolveSibling(String.format("%s.data-%05d-of-%05d", prefix.getFileName(), shard, numShards));
  }

  private static CheckpointReader parse(Path prefix, Path index, byte[] bytes, Map<Integer, byte[]> shardsInMemory) {
    if (bytes.length < FOOTER_SIZE) {
      throw new CheckpointException(index + " is " + bytes.length + " bytes, shorter than a table footer ("
          + FOOTER_SIZE + "): truncated or not a checkpoint index");
    }
    ByteBuffer footer = ByteBuffer.wrap(bytes, bytes.length - FOOTER_SIZE, FOOTER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    long magic = footer.getLong(bytes.length - 8);
    if (magic != TABLE_MAGIC) {
      throw new CheckpointException(index + ": bad table magic at offset " + (bytes.length - 8)
          + "; not a TensorFlow V2 checkpoint index (or truncated)");
    }
    Cursor c = new Cursor(index, bytes, bytes.length - FOOTER_SIZE);
    c.varint(); // metaindex offset
    c.varint(); // metaindex size
    long indexOffset = c.varint();
    long indexSize = c.varint();
    Map<String, CheckpointEntry> entries = new LinkedHashMap<>();
    int[] shards = {1};
    forEachEntry(index, bytes, indexOffset, indexSize, (key, handle) -> {
      Cursor h = new Cursor(index, handle, 0);
      long off = h.varint();
      long size = h.varint();
      forEachEntry(index, bytes, off, size, (name, value) -> {
        try {
          if (name.isEmpty()) {
            shards[0] = BundleHeaderProto.parseFrom(value).getNumShards();
          } else {
            BundleEntryProto p = BundleEntryProto.parseFrom(value);
            if (p.getSlicesCount() > 0) {
              throw new CheckpointException(index + ": tensor '" + name + "' is stored in slices, not supported");
            }
            entries.put(name, new CheckpointEntry(name, p.getDtype().name(), dims(p.getShape()), p.getShardId(),
                p.getOffset(), p.getSize(), p.getCrc32C()));
          }
        } catch (InvalidProtocolBufferException e) {
          throw new CheckpointException(index + ": corrupt entry for '" + name + "' in block at offset " + off, e);
        }
      });
    });
    return new CheckpointReader(prefix, Math.max(1, shards[0]), ImmutableMap.copyOf(entries), shardsInMemory);
  }

  private interface EntryVisitor {
    void visit(String key, byte[] value);
  }

  private static void forEachEntry(Path file, byte[] bytes, long offset, long size, EntryVisitor visitor) {
    if (offset < 0 || size < 4 || offset + size + BLOCK_TRAILER_SIZE > bytes.length) {
      throw new CheckpointException(file + ": block at offset " + offset + " of size " + size
          + " lies outside the file (" + bytes.length + " bytes): truncated or corrupt");
    }
    int start = (int) offset;
    int end = (int) (offset + size);
    int compression = bytes[end];
    int storedCrc = ByteBuffer.wrap(bytes, end + 1, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    if (MaskedCrc32c.of(bytes, start, (int) size + 1) != storedCrc) {
      throw new CheckpointException(file + ": checksum mismatch in the index block at offset " + offset
          + "; the index file is corrupt");
    }
    if (compression != 0) {
      throw new CheckpointException(file + ": block at offset " + offset + " uses compression type " + compression
          + "; only uncompressed checkpoint indexes are supported");
    }
    int numRestarts = ByteBuffer.wrap(bytes, end - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    int limit = end - 4 - 4 * numRestarts;
    if (numRestarts < 0 || limit < start) {
      throw new CheckpointException(file + ": block at offset " + offset + " has a bad restart count " + numRestarts);
    }
    Cursor c = new Cursor(file, bytes, start);
    byte[] key = new byte[0];
    while (c.pos < limit) {
      int at = c.pos;
      int shared = (int) c.varint();
      int nonShared = (int) c.varint();
      int valueLength = (int) c.varint();
      if (shared > key.length || c.pos + nonShared + valueLength > limit) {
        throw new CheckpointException(file + ": corrupt block entry at offset " + at);
      }
      byte[] next = Arrays.copyOf(key, shared + nonShared);
      System.arraycopy(bytes, c.pos, next, shared, nonShared);
      c.pos += nonShared;
      byte[] value = Arrays.copyOfRange(bytes, c.pos, c.pos + valueLength);
      c.pos += valueLength;
      key = next;
      visitor.visit(new String(key, java.nio.charset.StandardCharsets.UTF_8), value);
    }
  }

  private static long[] dims(TensorShapeProto shape) {
    return shape.getDimList().stream().mapToLong(TensorShapeProto.Dim::getSize).toArray();
  }

  /** Varint decoding over a byte array, with file offsets in its errors. */
  private static final class Cursor {
    private final Path file;
    private final byte[] bytes;
    private int pos;

    Cursor(Path file, byte[] bytes, int pos) {
      this.file = file;
      this.bytes = bytes;
      this.pos = pos;
    }

    long varint() {
      long result = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= bytes.length) {
          throw new CheckpointException(file + ": varint runs past the end at offset " + pos);
        }
        byte b = bytes[pos++];
        result |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return result;
        }
      }
      throw new CheckpointException(file + ": malformed varint ending at offset " + pos);
    }
  }
}
