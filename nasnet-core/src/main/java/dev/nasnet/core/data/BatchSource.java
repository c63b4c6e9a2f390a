package dev.nasnet.core.data;

/**
 * Batches in training order from a given step on, without end; closing it stops whatever prepares them. The
 * training loop reads one per step, whatever a batch is (images and labels, or a detector's samples).
 */
public interface BatchSource<B> extends AutoCloseable {
  B next();

  @Override
  void close();
}
