package dev.nasnet.detection.synthetic;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import dev.nasnet.detection.data.CocoAnnotation;
import dev.nasnet.detection.data.CocoCategory;
import dev.nasnet.detection.data.CocoDataset;
import dev.nasnet.detection.data.CocoDatasetWriter;
import dev.nasnet.detection.data.CocoImage;
import dev.nasnet.detection.data.XywhBox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * A deterministic synthetic detection dataset: RGB images of rectangles, ellipses and triangles of many sizes and
 * saturated colours on noisy textured backgrounds, with exact boxes. The same config, count and seed always give the
 * same pixels and annotations.
 *
 * <p>Shapes never overlap and keep a gap of {@link #GAP} pixels, so every shape stays fully visible and its box is
 * tight on its own pixels. Image ids and annotation ids start at 1; areas are box areas; nothing is crowd.
 */
public final class ShapesDataset {

  /** Shape colours have channels at least this far apart; see {@link NoisyBackground}. */
  public static final int MIN_SHAPE_CHANNEL_SPREAD = 100;

  /** Minimum number of background pixels between two shapes' boxes. */
  public static final int GAP = 2;

  private static final int PLACEMENT_ATTEMPTS = 30;
  private static final String ANNOTATIONS_FILE = "annotations.json";

  private final ShapesConfig config;
  private final ImmutableList<SyntheticImage> images;
  private final CocoDataset coco;

  private ShapesDataset(ShapesConfig config, List<SyntheticImage> images, CocoDataset coco) {
    this.config = config;
    this.images = ImmutableList.copyOf(images);
    this.coco = coco;
  }

  public static ShapesDataset generate(ShapesConfig config, int numImages, long seed) {
    Preconditions.checkNotNull(config, "config");
    Preconditions.checkArgument(numImages >= 0, "numImages must be >= 0, got %s", numImages);
    SplittableRandom root = new SplittableRandom(seed);
    List<SyntheticImage> images = new ArrayList<>(numImages);
    List<CocoAnnotation> annotations = new ArrayList<>();
    for (int i = 0; i < numImages; i++) {
      long imageId = i + 1;
      // A split stream per image: image k does not depend on how many draws earlier images used.
      SyntheticImage image = drawImage(config, imageId, root.split());
      images.add(image);
      for (SyntheticObject o : image.objects()) {
        annotations.add(CocoAnnotation.ofBox(annotations.size() + 1, imageId, o.kind().categoryId(), o.box()));
      }
    }
    List<CocoCategory> categories = new ArrayList<>();
    for (ShapeKind kind : ShapeKind.values()) {
      categories.add(kind.category());
    }
    CocoDataset coco = CocoDataset.of("shapes(seed " + seed + ")",
        images.stream().map(SyntheticImage::info).toList(), categories, annotations);
    return new ShapesDataset(config, images, coco);
  }

  private static SyntheticImage drawImage(ShapesConfig config, long imageId, SplittableRandom random) {
    int w = config.imageWidth();
    int h = config.imageHeight();
    int[] pixels = NoisyBackground.paint(w, h, random);
    int wanted = random.nextInt(config.maxObjects() + 1);
    List<SyntheticObject> objects = new ArrayList<>();
    for (int n = 0; n < wanted; n++) {
      for (int attempt = 0; attempt < PLACEMENT_ATTEMPTS; attempt++) {
        SyntheticObject placed = tryPlace(config, pixels, objects, random);
        if (placed != null) {
          objects.add(placed);
          break;
        }
      }
    }
    CocoImage info = new CocoImage(imageId, String.format("%06d.png", imageId), w, h);
    return new SyntheticImage(info, pixels, objects);
  }

  /** Draws one random shape into {@code pixels} if it fits without coming near another; otherwise returns null. */
  private static SyntheticObject tryPlace(ShapesConfig config, int[] pixels, List<SyntheticObject> existing,
      SplittableRandom random) {
    int w = config.imageWidth();
    int h = config.imageHeight();
    ShapeKind kind = ShapeKind.values()[random.nextInt(ShapeKind.values().length)];
    int shapeW = randomSize(config, w, random);
    int shapeH = randomSize(config, h, random);
    int left = random.nextInt(w - shapeW + 1);
    int top = random.nextInt(h - shapeH + 1);
    boolean[][] mask = ShapeRaster.mask(kind, shapeW, shapeH, random);
    int minX = Integer.MAX_VALUE;
    int minY = Integer.MAX_VALUE;
    int maxX = -1;
    int maxY = -1;
    for (int y = 0; y < shapeH; y++) {
      for (int x = 0; x < shapeW; x++) {
        if (mask[y][x]) {
          minX = Math.min(minX, x);
          maxX = Math.max(maxX, x);
          minY = Math.min(minY, y);
          maxY = Math.max(maxY, y);
        }
      }
    }
    int rgb = randomShapeColour(random);
    if (maxX < 0) {
      return null;
    }
    XywhBox box = new XywhBox(left + minX, top + minY, maxX - minX + 1, maxY - minY + 1);
    for (SyntheticObject o : existing) {
      if (tooClose(box, o.box())) {
        return null;
      }
    }
    for (int y = 0; y < shapeH; y++) {
      for (int x = 0; x < shapeW; x++) {
        if (mask[y][x]) {
          pixels[(top + y) * w + left + x] = rgb;
        }
      }
    }
    return new SyntheticObject(kind, box, rgb);
  }

  private static int randomSize(ShapesConfig config, int imageSide, SplittableRandom random) {
    int max = Math.min(config.maxShapeSize(), imageSide);
    return config.minShapeSize() + random.nextInt(max - config.minShapeSize() + 1);
  }

  private static int randomShapeColour(SplittableRandom random) {
    while (true) {
      int r = random.nextInt(256);
      int g = random.nextInt(256);
      int b = random.nextInt(256);
      if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) >= MIN_SHAPE_CHANNEL_SPREAD) {
        return (r << 16) | (g << 8) | b;
      }
    }
  }

  /** True when the boxes overlap or have fewer than GAP pixels between them. */
  private static boolean tooClose(XywhBox a, XywhBox b) {
    return a.x() < b.maxX() + GAP && b.x() < a.maxX() + GAP && a.y() < b.maxY() + GAP && b.y() < a.maxY() + GAP;
  }

  public ShapesConfig config() {
    return config;
  }

  public ImmutableList<SyntheticImage> images() {
    return images;
  }

  /** The ground truth: one image entry per image (file names {@code 000001.png}, ...), categories 1..3. */
  public CocoDataset coco() {
    return coco;
  }

  /**
   * Writes each image as a PNG named by its COCO {@code file_name} and the annotations as {@code annotations.json}
   * into {@code directory} (created if missing).
   *
   * @return the annotations file
   */
  public Path writeTo(Path directory) throws IOException {
    Preconditions.checkNotNull(directory, "directory");
    Files.createDirectories(directory);
    for (SyntheticImage image : images) {
      Path file = directory.resolve(image.info().fileName());
      if (!ImageIO.write(image.toBufferedImage(), "png", file.toFile())) {
        throw new IOException("no PNG writer available for " + file);
      }
    }
    Path annotations = directory.resolve(ANNOTATIONS_FILE);
    CocoDatasetWriter.write(coco, annotations);
    return annotations;
  }
}
