package dev.nasnet.detection.eval;

import dev.nasnet.detection.data.CocoAnnotation;
import dev.nasnet.detection.data.CocoCategory;
import dev.nasnet.detection.data.CocoDataset;
import dev.nasnet.detection.data.CocoDetection;
import dev.nasnet.detection.data.CocoImage;
import dev.nasnet.detection.data.XywhBox;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A small ground truth plus detections built in code; GT ids count from 1 unless given. Boxes are xywh. */
final class Fixture {

  private final Set<Long> images = new LinkedHashSet<>();
  private final Set<Integer> categories = new LinkedHashSet<>();
  private final List<CocoAnnotation> annotations = new ArrayList<>();
  private final List<CocoDetection> detections = new ArrayList<>();

  static Fixture create() {
    return new Fixture();
  }

  Fixture images(long... ids) {
    for (long id : ids) {
      images.add(id);
    }
    return this;
  }

  Fixture categories(int... ids) {
    for (int id : ids) {
      categories.add(id);
    }
    return this;
  }

  Fixture gt(long image, int category, double x, double y, double w, double h) {
    XywhBox box = new XywhBox(x, y, w, h);
    return annotation(new CocoAnnotation(annotations.size() + 1, image, category, box, box.area(), false, false));
  }

  Fixture annotation(CocoAnnotation annotation) {
    images.add(annotation.imageId());
    categories.add(annotation.categoryId());
    annotations.add(annotation);
    return this;
  }

  Fixture det(long image, int category, double x, double y, double w, double h, double score) {
    images.add(image);
    detections.add(new CocoDetection(image, category, new XywhBox(x, y, w, h), score));
    return this;
  }

  CocoDataset dataset() {
    List<CocoImage> imageList = images.stream().map(id -> new CocoImage(id, "", 0, 0)).toList();
    List<CocoCategory> categoryList = categories.stream().map(id -> new CocoCategory(id, "c" + id, "")).toList();
    return CocoDataset.of("fixture", imageList, categoryList, annotations);
  }

  List<CocoDetection> detections() {
    return detections;
  }

  CocoSummary summary() {
    return evaluate().summary();
  }

  CocoEvaluation evaluate() {
    return CocoEvaluator.withDefaults().evaluate(dataset(), detections);
  }
}
