package dev.nasnet.core.inference;

import java.util.Locale;

/** How an image becomes the network's input; both end in [-1, 1], RGB, at the model's size. */
public enum Preprocessing {
  /**
   * TF-slim's Inception evaluation preprocessing, which the slim checkpoints were evaluated with: pixels to [0, 1],
   * {@code tf.image.central_crop} of 87.5%, TF1 {@code resize_bilinear} (corners not aligned, no half-pixel
   * centres), then {@code (x - 0.5) * 2}.
   */
  INCEPTION,
  /**
   * Keras applications': the whole image resized to the model's size as {@code tf.image.resize} does (bilinear,
   * half-pixel centres), then NASNet's {@code preprocess_input}, {@code x / 127.5 - 1}.
   */
  KERAS;

  /** "inception" or "keras", case-insensitive. */
  public static Preprocessing parse(String name) {
    for (Preprocessing p : values()) {
      if (p.name().equalsIgnoreCase(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown preprocessing '" + name + "'; known: inception, keras");
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
