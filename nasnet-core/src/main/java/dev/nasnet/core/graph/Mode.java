package dev.nasnet.core.graph;

/** Which graph to build: batch norm on batch statistics plus drop path and dropout, or on moving statistics. */
public enum Mode {
  TRAINING,
  INFERENCE;

  public boolean isTraining() {
    return this == TRAINING;
  }
}
