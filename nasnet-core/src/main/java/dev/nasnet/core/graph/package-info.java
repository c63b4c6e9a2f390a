/**
 * Turns specs into TensorFlow ops: the op library, the cell compiler, layers with slim's variable names, batch norm,
 * drop path and the build context. Used by the model builder; users touch {@code OpLibrary} to add their own ops.
 */
package dev.nasnet.core.graph;
