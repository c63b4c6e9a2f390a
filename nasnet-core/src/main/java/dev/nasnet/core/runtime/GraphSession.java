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
      gs.session = new Session(gs.graph, options.toConfigProto());
      return new Built<>(gs, model);
    } catch (RuntimeException | Error e) {
      gs.close();
      throw e;
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
