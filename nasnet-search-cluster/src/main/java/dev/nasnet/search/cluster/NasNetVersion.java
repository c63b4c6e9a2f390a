package dev.nasnet.search.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The library version this JVM runs, from the build; controller and workers must agree on it. */
public final class NasNetVersion {
  private static final String VERSION = load();

  private NasNetVersion() {}

  public static String current() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = NasNetVersion.class.getResourceAsStream("/dev/nasnet/search/version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
