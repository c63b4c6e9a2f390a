/**
 * TensorFlow's checkpoint format read and written in Java with every checksum checked, and the run directory's
 * crash-safe state: {@code state.json}, atomic writes, and the rule for new, resumed and overwritten runs.
 */
package dev.nasnet.core.checkpoint;
