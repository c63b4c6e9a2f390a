package dev.nasnet.detection.dataset;

import com.google.common.base.Preconditions;
import dev.nasnet.detection.boxes.CornerBox;
import dev.nasnet.detection.data.CocoAnnotation;
import dev.nasnet.detection.data.CocoCategory;
import dev.nasnet.detection.data.CocoDataset;
import dev.nasnet.detection.data.CocoImage;
import dev.nasnet.detection.image.RgbImage;
import dev.nasnet.detection.synthetic.ShapesDataset;
import dev.nasnet.detection.synthetic.SyntheticImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Images with COCO-format ground truth, for training and evaluating a detector: a COCO annotations file with its
 * image folder, or a generated shapes set held in memory. Crowd regions are not trained on (the COCO evaluator still
 * uses them to forgive detections).
 */
public final class DetectionDataset {
  /** Loads the pixels of an image entry. */
  @FunctionalInterface
  public interface ImageSource {
    RgbImage load(CocoImage image) throws IOException;
  }

  private final CocoDataset coco;
  private final ImageSource images;

  public DetectionDataset(CocoDataset coco, ImageSource images) {
    this.coco = Preconditions.checkNotNull(coco, "coco");
    this.images = Preconditions.checkNotNull(images, "images");
  }

  /** A generated shapes set, pixels in memory. */
  public static DetectionDataset of(ShapesDataset shapes) {
    Map<Long, SyntheticImage> byId = new HashMap<>();
    shapes.images().forEach(i -> byId.put(i.info().id(), i));
    return new DetectionDataset(shapes.coco(), info -> RgbImage.of(byId.get(info.id()).toBufferedImage()));
  }

  /**
   * A COCO annotations file; each image's {@code file_name} is resolved in {@code imageDirectory}.
   *
   * @throws IOException naming the file when it is missing or not COCO JSON
   */
  public static DetectionDataset read(Path annotations, Path imageDirectory) throws IOException {
    CocoDataset coco = CocoDataset.read(annotations);
    return new DetectionDataset(coco, info -> RgbImage.read(imageDirectory.resolve(info.fileName())));
  }

  public CocoDataset coco() {
    return coco;
  }

  public List<CocoCategory> categories() {
    return coco.categories();
  }

  public int size() {
    return coco.images().size();
  }

  public CocoImage info(int index) {
    return coco.images().get(index);
  }

  /** @throws UncheckedIOException naming the image file when it cannot be read */
  public RgbImage image(int index) {
    CocoImage info = info(index);
    try {
      RgbImage image = images.load(info);
      if (image.width() != info.width() || image.height() != info.height()) {
        throw new IllegalArgumentException(info.fileName() + " (image " + info.id() + ") is " + image.width() + "x"
            + image.height() + " but the annotations say " + info.width() + "x" + info.height());
      }
      return image;
    } catch (IOException e) {
      throw new UncheckedIOException("image " + info.id() + " (" + info.fileName() + "): " + e.getMessage(), e);
    }
  }

  /**
   * The image and its checked ground truth, classes numbered by their position in {@code classes}.
   *
   * @throws IllegalArgumentException naming the image and annotation when a box is bad or its category is not
   *     among {@code classes}
   */
  public TrainingSample sample(int index, List<CocoCategory> classes) {
    CocoImage info = info(index);
    List<CornerBox> boxes = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (CocoAnnotation a : coco.annotationsOf(info.id())) {
      if (a.crowd()) {
        continue;
      }
      int cls = -1;
      for (int c = 0; c < classes.size(); c++) {
        if (classes.get(c).id() == a.categoryId()) {
          cls = c;
        }
      }
      if (cls < 0) {
        throw new IllegalArgumentException(info.fileName() + " (image " + info.id() + "), annotation " + a.id()
            + ": category " + a.categoryId() + " is not one the detector knows "
            + classes.stream().map(c -> c.id() + " " + c.name()).toList());
      }
      boxes.add(CornerBox.fromXywh(a.bbox()));
      labels.add(cls);
    }
    String name = info.fileName() + " (image " + info.id() + ")";
    DetectionExample truth = DetectionExample.of(name, info.width(), info.height(), 3, boxes,
        labels.stream().mapToInt(Integer::intValue).toArray(), classes.size());
    return new TrainingSample(image(index), truth);
  }
}
