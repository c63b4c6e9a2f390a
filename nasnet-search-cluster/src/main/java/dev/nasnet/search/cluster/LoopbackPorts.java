package dev.nasnet.search.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Free consecutive ports, for a controller and its workers on one machine (tests, {@code bench-cluster}). */
public final class LoopbackPorts {
  private LoopbackPorts() {}

  /** The first of {@code n} consecutive ports that are free now (another process may still take one later). */
  public static int freeBlock(int n) {
    for (int tries = 0; tries < 100; tries++) {
      int first;
      try (ServerSocket s = new ServerSocket(0)) {
        first = s.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open a local port", e);
      }
      boolean free = first + n < 65535;
      for (int i = 1; free && i < n; i++) {
        free = isFree(first + i);
      }
      if (free) {
        return first;
      }
    }
    throw new IllegalStateException("found no " + n + " consecutive free ports in 100 tries");
  }

  private static boolean isFree(int port) {
    try (ServerSocket probe = new ServerSocket(port)) {
      return probe.getLocalPort() == port;
    } catch (IOException e) {
      return false;
    }
  }
}
