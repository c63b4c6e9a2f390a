package dev.nasnet.core.runtime;

import java.util.function.Function;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/**
 * A graph and the one session that runs it, created, built and closed together: the session is closed before its
 * graph, and a build that fails closes both, so no native memory outlives an exception. Every session the library
 * creates (classifier, evaluator, trainers, detector, controller) comes from here, with {@link SessionOptions}.
 */
public final class GraphSession implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GraphSession.class);
  /**
   * The thread split (intra x inter) of the first session opened here. TensorFlow sizes its CPU thread pools once per
   * process, from the first session's options, and every later session shares them.
   */
  private static final java.util.concurrent.atomic.AtomicReference<String> PROCESS_THREADS =
      new java.util.concurrent.atomic.AtomicReference<>();
  private static final java.util.Set<String> WARNED = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final Graph graph;
  private Session session;

  private GraphSession() {
    this.graph = TensorFlowRuntime.newGraph();
  }

  /**
   * Builds {@code builder} into a new graph and opens its session; when the builder or the session fails, everything
   * opened so far is closed before the exception leaves.
   *
   * @return the holder and what the builder returned
   */
  public static <T> Built<T> build(Function<Graph, T> builder) {
    return build(builder, SessionOptions.defaults());
  }

  /** As {@link #build(Function)}, the session run with {@code options}. */
  public static <T> Built<T> build(Function<Graph, T> builder, SessionOptions options) {
    GraphSession gs = new GraphSession();
    try {
      T model = builder.apply(gs.graph);
      noteThreads(options);
      gs.session = new Session(gs.graph, options.toConfigProto());
      return new Built<>(gs, model);
    } catch (RuntimeException | Error e) {
      gs.close();
      throw e;
    }
  }

  private static void noteThreads(SessionOptions options) {
    String split = options.intraOpThreads() + " x " + options.interOpThreads();
    String first = PROCESS_THREADS.updateAndGet(v -> v == null ? split : v);
    if (!first.equals(split) && WARNED.add(split)) {
      LOG.warn("a session asks for {} threads (intra-op x inter-op), but this process's thread pools were sized for "
          + "{} by its first session and TensorFlow keeps them; set the threads before the first session is opened",
          split, first);
    }
  }

  /** What {@link #build} returns: the holder (owning graph and session) and the object the builder made. */
  public record Built<T>(GraphSession holder, T model) {}

  public Graph graph() {
    return graph;
  }

  public Session session() {
    return session;
  }

  /** Runs the graph's variable initialisers; closes everything if they fail. */
  public GraphSession initialize() {
    try {
      session.initialize();
      return this;
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public void close() {
    if (session != null) {
      session.close();
    }
    graph.close();
  }
}
