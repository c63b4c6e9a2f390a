package dev.nasnet.core.graph;

/**
 * How a cell's strided pooling ops treat the border. The two conventions agree inside the image and differ only in
 * windows that overhang it; through a whole NASNet that still moves the logits visibly (docs/results.md).
 */
public enum PoolPadding {
  /**
   * TF-slim's, which the published checkpoints were trained with: {@code SAME} padding where padded cells take no
   * part (a max ignores them, a mean leaves them out of the count).
   */
  SAME,
  /**
   * Keras applications' {@code NASNetMobile}/{@code NASNetLarge}: a strided pool sees the input padded with explicit
   * zeros (as {@code SAME} would place them) and pools {@code VALID}, so zeros enter the max and the mean's count.
   * Use it to compute exactly what a Keras model computes on the same weights.
   */
  ZEROS
}
