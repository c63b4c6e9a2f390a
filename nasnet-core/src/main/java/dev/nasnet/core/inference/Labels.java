package dev.nasnet.core.inference;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Human-readable class names in logit order. Ships the 1000 ImageNet classes (the order of Keras, TF-slim after its
 * "background" class 0, and torchvision; WordNet lemmas, see {@code imagenet-1000-classes.README.md} beside the
 * resource for source and licence); reads a user's file with one label per line for other class counts.
 */
public final class Labels {
  private static final String IMAGENET_RESOURCE = "imagenet-1000-classes.tsv";
  private static volatile Labels imagenet;

  private final ImmutableList<String> names;

  private Labels(List<String> names) {
    this.names = ImmutableList.copyOf(names);
  }

  /** The 1000 ImageNet classes, index 0 = "tench, Tinca tinca". */
  public static Labels imagenet() {
    if (imagenet == null) {
      imagenet = new Labels(readImagenet());
    }
    return imagenet;
  }

  /** Slim's 1001 classes: "background", then the 1000 ImageNet classes. */
  public static Labels imagenetWithBackground() {
    List<String> names = new ArrayList<>();
    names.add("background");
    names.addAll(imagenet().names);
    return new Labels(names);
  }

  /** The labels a model with {@code numClasses} outputs gets by default: ImageNet's for 1000 or 1001, else numbers. */
  public static Labels forClasses(int numClasses) {
    if (numClasses == 1000) {
      return imagenet();
    }
    if (numClasses == 1001) {
      return imagenetWithBackground();
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < numClasses; i++) {
      names.add("class " + i);
    }
    return new Labels(names);
  }

  /** One label per line, in class order; blank lines are refused so the count cannot silently shift. */
  public static Labels read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
      lines.remove(lines.size() - 1); // a trailing newline is not a class
    }
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        throw new IOException("label file " + file + " has a blank line " + (i + 1) + "; one label per line");
      }
    }
    if (lines.isEmpty()) {
      throw new IOException("label file " + file + " has no labels");
    }
    return new Labels(lines.stream().map(String::strip).toList());
  }

  public static Labels of(List<String> names) {
    return new Labels(names);
  }

  public int size() {
    return names.size();
  }

  public String label(int index) {
    Preconditions.checkElementIndex(index, names.size(), "class index");
    return names.get(index);
  }

  /** Checks that these labels fit a model with {@code numClasses} outputs. */
  public Labels checkFits(int numClasses, String where) {
    if (names.size() != numClasses) {
      throw new IllegalArgumentException(where + " has " + names.size() + " labels but the model has " + numClasses
          + " classes");
    }
    return this;
  }

  private static List<String> readImagenet() {
    try (InputStream in = Labels.class.getResourceAsStream(IMAGENET_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + IMAGENET_RESOURCE + " is missing from the nasnet-core jar");
      }
      List<String> names = new ArrayList<>();
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      r.readLine(); // header: index, synset, label
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String[] cols = line.split("\t", 3);
        if (Integer.parseInt(cols[0]) != names.size()) {
          throw new IllegalStateException(IMAGENET_RESOURCE + " is out of order at index " + cols[0]);
        }
        names.add(cols[2]);
      }
      if (names.size() != 1000) {
        throw new IllegalStateException(IMAGENET_RESOURCE + " has " + names.size() + " classes, not 1000");
      }
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
