package dev.nasnet.search.report;

import java.io.IOException;
import java.nio.file.Path;

/** Writes one architecture into a directory in whatever forms people read it (DSL JSON, drawings...). */
@FunctionalInterface
public interface ArchitectureWriter<A> {
  void write(A architecture, Path dir) throws IOException;
}
