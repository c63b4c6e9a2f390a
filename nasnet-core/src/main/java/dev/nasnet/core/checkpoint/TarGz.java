package dev.nasnet.core.checkpoint;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * Reads the regular files of a gzip-compressed tar archive (ustar and GNU headers) into memory, keeping those whose
 * base name {@code wanted} accepts. Enough for slim's release tarballs; links, sparse files and long names other than
 * GNU's are not needed there and are skipped.
 */
final class TarGz {
  private static final int BLOCK = 512;

  private TarGz() {}

  static Map<String, byte[]> read(Path archive, Predicate<String> wanted) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    long offset = 0;
    try (InputStream in = new BufferedInputStream(new GZIPInputStream(Files.newInputStream(archive), 1 << 16))) {
      String longName = null;
      while (true) {
        byte[] header = in.readNBytes(BLOCK);
        if (header.length == 0 || isZero(header)) {
          return files;
        }
        if (header.length < BLOCK) {
          throw new CheckpointException("'" + archive + "': tar header cut off at offset " + offset);
        }
        if (!checksumMatches(header)) {
          throw new CheckpointException("'" + archive + "': bad tar header checksum at offset " + offset
              + ": not a tar archive or corrupt");
        }
        String name = longName != null ? longName : string(header, 345, 155).isEmpty() ? string(header, 0, 100)
            : string(header, 345, 155) + "/" + string(header, 0, 100);
        longName = null;
        long size = octal(header, 124, 12, archive, offset);
        char type = (char) header[156];
        offset += BLOCK;
        long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
        String base = name.substring(name.lastIndexOf('/') + 1);
        if (type == 'L') {
          longName = new String(readExactly(in, size, archive, offset), StandardCharsets.UTF_8).replace("\0", "");
          skip(in, padded - size, archive, offset);
        } else if ((type == '0' || type == 0) && wanted.test(base)) {
          if (size > Integer.MAX_VALUE - 16) {
            throw new CheckpointException("'" + archive + "': member '" + name + "' is " + size
                + " bytes, too large to hold in memory; unpack the archive and give the checkpoint prefix");
          }
          files.put(base, readExactly(in, size, archive, offset));
          skip(in, padded - size, archive, offset);
        } else {
          skip(in, padded, archive, offset);
        }
        offset += padded;
      }
    } catch (EOFException e) {
      throw new CheckpointException("'" + archive + "' ends early near offset " + offset
          + " of its tar stream: truncated", e);
    } catch (IOException e) {
      throw new CheckpointException("cannot read '" + archive + "' as .tar.gz near offset " + offset + ": "
          + e.getMessage(), e);
    }
  }

  private static byte[] readExactly(InputStream in, long size, Path archive, long offset) throws IOException {
    byte[] data = in.readNBytes((int) size);
    if (data.length < size) {
      throw new CheckpointException("'" + archive + "' ends inside the member at offset " + offset + " ("
          + data.length + " of " + size + " bytes): truncated");
    }
    return data;
  }

  private static void skip(InputStream in, long n, Path archive, long offset) throws IOException {
    long left = n;
    while (left > 0) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new CheckpointException("'" + archive + "' ends inside the member at offset " + offset
              + ": truncated");
        }
        skipped = 1;
      }
      left -= skipped;
    }
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean checksumMatches(byte[] header) {
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (header[i] & 0xff);
    }
    String stored = string(header, 148, 8).trim();
    try {
      return !stored.isEmpty() && Long.parseLong(stored, 8) == sum;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static long octal(byte[] header, int at, int length, Path archive, long offset) {
    String s = string(header, at, length).trim();
    try {
      return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    } catch (NumberFormatException e) {
      throw new CheckpointException("'" + archive + "': bad size field '" + s + "' in the tar header at offset "
          + offset);
    }
  }

  private static String string(byte[] header, int at, int length) {
    int end = at;
    while (end < at + length && header[end] != 0) {
      end++;
    }
    return new String(header, at, end - at, StandardCharsets.US_ASCII);
  }
}
