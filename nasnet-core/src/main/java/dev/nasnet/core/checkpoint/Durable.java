package dev.nasnet.core.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;

/** Writing files so that what a rename publishes is on disk: fsync the file, rename, fsync the directory. */
public final class Durable {
  private Durable() {}

  /** Forces a file's bytes and metadata to the storage device. */
  public static void fsync(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  /**
   * Forces a directory's entries (a rename into it) to disk. Some file systems cannot open a directory for sync;
   * there the rename's durability is the file system's own.
   */
  public static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Not supported here (e.g. some non-POSIX file systems); the files themselves were forced.
      org.slf4j.LoggerFactory.getLogger(Durable.class).debug("cannot fsync directory {}: {}", dir, e.toString());
    }
  }

  /** Replaces {@code target} with {@code text}: written to a temporary sibling, fsynced, renamed atomically. */
  public static void writeAtomically(Path target, String text) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = dir.resolve(target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    fsync(tmp);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    fsyncDirectory(dir);
  }
}
