/**
 * Published weights into our networks: Keras' HDF5 files read in pure Java, mapped to slim's variable names, and
 * slim checkpoints and archives, each checked against the model before anything is assigned.
 */
package dev.nasnet.core.weights;
