package dev.nasnet.detection.synthetic;

import dev.nasnet.detection.data.CocoCategory;

/** The shape classes of {@link ShapesDataset}, with their COCO category ids (1-based, as COCO label maps are). */
public enum ShapeKind {
  RECTANGLE(1, "rectangle"),
  ELLIPSE(2, "ellipse"),
  TRIANGLE(3, "triangle");

  private final int categoryId;
  private final String label;

  ShapeKind(int categoryId, String label) {
    this.categoryId = categoryId;
    this.label = label;
  }

  public int categoryId() {
    return categoryId;
  }

  public String label() {
    return label;
  }

  public CocoCategory category() {
    return new CocoCategory(categoryId, label, "shape");
  }
}
