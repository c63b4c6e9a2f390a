/**
 * Networks from cells: the architecture config and its presets, the builder that stacks cells as slim does, the built
 * model with its endpoints, summaries and size checks, and the training-time {@code Regularization}.
 */
package dev.nasnet.core.model;
