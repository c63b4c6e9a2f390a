package dev.nasnet.detection.data;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableListMultimap;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedSet;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A COCO-format ground truth: images, categories and box annotations, checked for consistency. Annotation order is
 * kept as given because it decides ties in evaluation, as it does in pycocotools.
 */
public final class CocoDataset {

  private final String source;
  private final ImmutableList<CocoImage> images;
  private final ImmutableList<CocoCategory> categories;
  private final ImmutableList<CocoAnnotation> annotations;
  private final ImmutableMap<Long, CocoImage> imagesById;
  private final ImmutableMap<Integer, CocoCategory> categoriesById;
  private final ImmutableListMultimap<Long, CocoAnnotation> annotationsByImage;

  private CocoDataset(String source, List<CocoImage> images, List<CocoCategory> categories,
      List<CocoAnnotation> annotations) {
    this.source = source;
    this.images = ImmutableList.copyOf(images);
    this.categories = ImmutableList.copyOf(categories);
    this.annotations = ImmutableList.copyOf(annotations);
    ImmutableMap.Builder<Long, CocoImage> imageMap = ImmutableMap.builder();
    Set<Long> seenImages = new HashSet<>();
    for (CocoImage image : this.images) {
      if (!seenImages.add(image.id())) {
        throw new CocoFormatException(source + ": image id " + image.id() + " appears more than once");
      }
      imageMap.put(image.id(), image);
    }
    ImmutableMap.Builder<Integer, CocoCategory> categoryMap = ImmutableMap.builder();
    Set<Integer> seenCategories = new HashSet<>();
    for (CocoCategory category : this.categories) {
      if (!seenCategories.add(category.id())) {
        throw new CocoFormatException(source + ": category id " + category.id() + " appears more than once");
      }
      categoryMap.put(category.id(), category);
    }
    this.imagesById = imageMap.build();
    this.categoriesById = categoryMap.build();
    Set<Long> seenAnnotations = new HashSet<>();
    ImmutableListMultimap.Builder<Long, CocoAnnotation> byImage = ImmutableListMultimap.builder();
    for (int i = 0; i < this.annotations.size(); i++) {
      CocoAnnotation a = this.annotations.get(i);
      String where = source + ", annotations[" + i + "] (id " + a.id() + ")";
      if (!seenAnnotations.add(a.id())) {
        throw new CocoFormatException(where + ": annotation id " + a.id() + " appears more than once");
      }
      if (!imagesById.containsKey(a.imageId())) {
        throw new CocoFormatException(where + ": image_id " + a.imageId() + " is not in the images list");
      }
      if (!categoriesById.containsKey(a.categoryId())) {
        throw new CocoFormatException(where + ": category_id " + a.categoryId() + " is not in the categories list");
      }
      byImage.put(a.imageId(), a);
    }
    this.annotationsByImage = byImage.build();
  }

  /**
   * Builds a dataset from parts, with the same checks as {@link #read}.
   *
   * @param source a name for messages, such as a file path
   * @throws CocoFormatException for duplicate ids or annotations that point at an unknown image or category
   */
  public static CocoDataset of(String source, List<CocoImage> images, List<CocoCategory> categories,
      List<CocoAnnotation> annotations) {
    Preconditions.checkNotNull(source, "source");
    Preconditions.checkNotNull(images, "images");
    Preconditions.checkNotNull(categories, "categories");
    Preconditions.checkNotNull(annotations, "annotations");
    return new CocoDataset(source, images, categories, annotations);
  }

  /**
   * Reads a COCO instances file ({@code images}, {@code annotations}, {@code categories}). Each annotation needs
   * {@code id, image_id, category_id, bbox, area, iscrowd} (pycocotools fails later without area or iscrowd).
   *
   * @throws CocoFormatException naming the file and the entry when the content is unusable
   */
  public static CocoDataset read(Path file) throws IOException {
    return CocoDatasetParser.parse(file);
  }

  /** As {@link #read(Path)}, from a reader; {@code source} names it in messages. */
  public static CocoDataset read(Reader reader, String source) {
    return CocoDatasetParser.parse(reader, source);
  }

  public String source() {
    return source;
  }

  public ImmutableList<CocoImage> images() {
    return images;
  }

  public ImmutableList<CocoCategory> categories() {
    return categories;
  }

  public ImmutableList<CocoAnnotation> annotations() {
    return annotations;
  }

  public Optional<CocoImage> image(long id) {
    return Optional.ofNullable(imagesById.get(id));
  }

  public Optional<CocoCategory> category(int id) {
    return Optional.ofNullable(categoriesById.get(id));
  }

  public boolean hasImage(long id) {
    return imagesById.containsKey(id);
  }

  /** This image's annotations in file order. */
  public ImmutableList<CocoAnnotation> annotationsOf(long imageId) {
    return annotationsByImage.get(imageId);
  }

  /** Image ids in ascending order, the order in which pycocotools concatenates per-image results. */
  public ImmutableSortedSet<Long> sortedImageIds() {
    return ImmutableSortedSet.copyOf(imagesById.keySet());
  }

  /** Category ids in ascending order, pycocotools' category order. */
  public ImmutableSortedSet<Integer> sortedCategoryIds() {
    return ImmutableSortedSet.copyOf(categoriesById.keySet());
  }

  @Override
  public String toString() {
    return "CocoDataset[" + source + ": " + images.size() + " images, " + categories.size() + " categories, "
        + annotations.size() + " annotations]";
  }
}
