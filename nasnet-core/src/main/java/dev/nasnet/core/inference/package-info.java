/**
 * Using a network: {@code NasNetClassifier} (build, load weights, classify, export), image decoding and
 * preprocessing with TensorFlow's own ops, labels and predictions.
 */
package dev.nasnet.core.inference;
