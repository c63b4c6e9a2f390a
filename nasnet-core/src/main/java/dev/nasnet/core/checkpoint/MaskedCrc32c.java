package dev.nasnet.core.checkpoint;

import java.util.zip.CRC32C;

/**
 * CRC32C as TensorFlow stores it (in tensor bundles and LevelDB table blocks): rotated right by 15 bits plus a
 * constant, so that a CRC of data that itself holds CRCs is not degenerate.
 */
final class MaskedCrc32c {
  private static final int MASK_DELTA = 0xa282ead8;

  private MaskedCrc32c() {}

  /** The masked CRC32C of {@code length} bytes of {@code data} from {@code offset}. */
  static int of(byte[] data, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + MASK_DELTA;
  }
}
