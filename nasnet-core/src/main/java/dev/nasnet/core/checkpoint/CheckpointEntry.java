package dev.nasnet.core.checkpoint;

import java.util.Arrays;

/**
 * One tensor in a checkpoint: its name, type, shape, where its bytes lie in which data shard, and the masked CRC32C
 * TensorFlow stored for those bytes.
 */
public record CheckpointEntry(String name, String dtype, long[] shape, int shard, long offset, long size,
    int maskedCrc32c) {
  public CheckpointEntry {
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  public long elements() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  @Override
  public String toString() {
    return name + " " + dtype + Arrays.toString(shape);
  }
}
