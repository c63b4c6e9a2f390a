package dev.nasnet.core.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Checks once that TensorFlow's native runtime loads, so an entry point fails with one sentence naming the Maven
 * artifact to add instead of a raw {@code UnsatisfiedLinkError: no jnitensorflow}. The library's jars need
 * {@code org.tensorflow:tensorflow-core-native} with the classifier of the platform at run time; they do not bring it
 * themselves, so the application picks CPU or GPU.
 */
public final class TensorFlowRuntime {
  private static volatile boolean loaded;

  private TensorFlowRuntime() {}

  /**
   * Loads the native runtime if not yet loaded.
   *
   * @throws IllegalStateException naming the dependency to add when it cannot be loaded
   */
  public static void require() {
    if (loaded) {
      return;
    }
    try {
      org.tensorflow.TensorFlow.version();
      loaded = true;
    } catch (UnsatisfiedLinkError | NoClassDefFoundError | ExceptionInInitializerError e) {
      throw new IllegalStateException(missingMessage(e), e);
    }
  }

  /** A new graph, after {@link #require()}: what the library's entry points use instead of {@code new Graph()}. */
  public static org.tensorflow.Graph newGraph() {
    require();
    return new org.tensorflow.Graph();
  }

  static String missingMessage(Throwable cause) {
    String version = apiVersion();
    return "TensorFlow's native runtime is not on the class path (" + cause.getClass().getSimpleName() + ": "
        + cause.getMessage() + "). Add org.tensorflow:tensorflow-core-native:" + version + " with the classifier of "
        + "this platform, e.g. <classifier>linux-x86_64</classifier> for the CPU (also macosx-arm64, "
        + "windows-x86_64), or linux-x86_64-gpu for CUDA 12 with cuDNN 9 (this project's -P gpu profile). "
        + "nasnet-core, nasnet-search and nasnet-detection need it at run time; the nasnet CLI jar bundles the CPU one.";
  }

  /** TensorFlow Java's version, read from its jar's Maven metadata. */
  private static String apiVersion() {
    try (InputStream in = TensorFlowRuntime.class.getResourceAsStream(
        "/META-INF/maven/org.tensorflow/tensorflow-core-api/pom.properties")) {
      if (in == null) {
        return "<the tensorflow-core-api version>";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "<the tensorflow-core-api version>");
    } catch (IOException e) {
      return "<the tensorflow-core-api version>";
    }
  }
}
