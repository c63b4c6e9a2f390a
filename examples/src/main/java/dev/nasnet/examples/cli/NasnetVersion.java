package dev.nasnet.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code -V/--version}: the POM's version, filtered into {@code nasnet-version.properties} at build time. */
final class NasnetVersion implements IVersionProvider {
  @Override
  public String[] getVersion() throws IOException {
    Properties p = new Properties();
    try (InputStream in = NasnetVersion.class.getResourceAsStream("/nasnet-version.properties")) {
      if (in == null) {
        throw new IOException("nasnet-version.properties is missing from the jar");
      }
      p.load(in);
    }
    return new String[] {"nasnet-java " + p.getProperty("version") + " (TensorFlow Java "
        + p.getProperty("tensorflow.version") + ")"};
  }
}
