package dev.nasnet.detection;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import com.google.common.primitives.ImmutableDoubleArray;
import dev.nasnet.core.model.NasNetConfig;
import dev.nasnet.core.model.Stem;
import dev.nasnet.detection.boxes.GridAnchorGenerator;
import dev.nasnet.detection.data.CocoCategory;
import dev.nasnet.detection.targets.BalancedPositiveNegativeSampler;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A Faster R-CNN on a NASNet backbone, as the Object Detection API's {@code faster_rcnn_nas} builds it. Images of any
 * size are resized to the backbone's square input ({@code fixed_shape_resizer}); the backbone is cut after
 * {@code splitCell} and any network the builder makes (user cells included) works.
 *
 * @param backbone the network; its {@code imageSize} is the detector's input side, its classifier is not built
 * @param rpnDepth the RPN's 3x3 conv depth (512)
 * @param rpnMinibatch anchors sampled per image for the RPN loss (256), {@code rpnPositiveFraction} of them positive
 * @param proposalNmsIou first-stage NMS IoU (0.7)
 * @param maxProposals proposals per image after NMS (500, or 50 in the low-proposal config)
 * @param cropSize {@code crop_and_resize} side of each proposal's feature crop (17)
 * @param secondStageBatch proposals sampled per image for the box classifier (64, or 49)
 * @param categories the detected classes in class-index order, with the ids written to COCO results
 */
public record FasterRcnnConfig(String name, NasNetConfig backbone, int splitCell, GridAnchorGenerator anchors,
    int rpnDepth, int rpnMinibatch, double rpnPositiveFraction, double proposalNmsIou, int maxProposals,
    int cropSize, int secondStageBatch, double secondStagePositiveFraction, LossWeights lossWeights,
    PostProcessing postProcessing, ImmutableList<CocoCategory> categories) {

  public FasterRcnnConfig {
    Preconditions.checkNotNull(backbone, "backbone");
    Preconditions.checkArgument(backbone.imageChannels() == 3, "the detector takes RGB images; backbone '%s' has %s "
        + "input channels", backbone.name(), backbone.imageChannels());
    Preconditions.checkArgument(splitCell >= 1 && splitCell < backbone.numCells() - 1,
        "split cell must be in 1..%s for backbone '%s', got %s", backbone.numCells() - 2, backbone.name(), splitCell);
    Preconditions.checkArgument(rpnDepth > 0 && cropSize > 0, "RPN depth and crop size must be positive");
    Preconditions.checkArgument(maxProposals > 0, "maxProposals must be positive, got %s", maxProposals);
    Preconditions.checkArgument(proposalNmsIou > 0 && proposalNmsIou <= 1, "proposal NMS IoU must be in (0, 1]");
    new BalancedPositiveNegativeSampler(rpnMinibatch, rpnPositiveFraction, false);
    new BalancedPositiveNegativeSampler(secondStageBatch, secondStagePositiveFraction, true);
    Preconditions.checkArgument(!categories.isEmpty(), "a detector needs at least one category");
    Set<Integer> ids = new HashSet<>();
    for (CocoCategory c : categories) {
      Preconditions.checkArgument(ids.add(c.id()), "category id %s appears twice", c.id());
    }
    // The classifier head is ours; the backbone's own would only waste memory.
    backbone = backbone.toBuilder().numClasses(0).auxHead(false).build();
  }

  public int numClasses() {
    return categories.size();
  }

  public int inputSize() {
    return backbone.imageSize();
  }

  public BalancedPositiveNegativeSampler rpnSampler() {
    return new BalancedPositiveNegativeSampler(rpnMinibatch, rpnPositiveFraction, false);
  }

  public BalancedPositiveNegativeSampler secondStageSampler() {
    return new BalancedPositiveNegativeSampler(secondStageBatch, secondStagePositiveFraction, true);
  }

  /** The class index of a category id, or -1. */
  public int classIndexOf(int categoryId) {
    for (int i = 0; i < categories.size(); i++) {
      if (categories.get(i).id() == categoryId) {
        return i;
      }
    }
    return -1;
  }

  /**
   * {@code faster_rcnn_nas_coco}: NASNet-A Large at 1200x1200, split at Cell_11 (4032 channels at stride 16), 500
   * proposals, 64 sampled per image.
   */
  public static FasterRcnnConfig nasCoco(List<CocoCategory> categories) {
    return builder().name("faster_rcnn_nas")
        .backbone(NasNetConfig.large().toBuilder().imageSize(1200).build()).splitCell(11)
        .categories(categories).build();
  }

  /** {@code faster_rcnn_nas_lowproposals_coco}: as {@link #nasCoco} with 50 proposals and 49 sampled. */
  public static FasterRcnnConfig nasCocoLowProposals(List<CocoCategory> categories) {
    return nasCoco(categories).toBuilder().name("faster_rcnn_nas_lowproposals").maxProposals(50)
        .secondStageBatch(49).build();
  }

  /**
   * A CPU-friendly NASNet-A Mobile detector (ours; the OD API has no mobile NASNet config): 320x320 input, split at
   * Cell_7 (1056 channels at stride 16, a 20x20 grid), anchors of 64, 128 and 256 px, a 256-deep RPN conv, 50
   * proposals and 49 sampled.
   */
  public static FasterRcnnConfig mobileCpu(List<CocoCategory> categories) {
    return builder().name("faster_rcnn_nas_mobile_cpu")
        .backbone(NasNetConfig.mobile().toBuilder().imageSize(320).build()).splitCell(7)
        .anchors(GridAnchorGenerator.nasnetDefaults().withScales(0.25, 0.5, 1.0)).rpnDepth(256).maxProposals(50)
        .secondStageBatch(49).categories(categories).build();
  }

  /**
   * A small detector for the synthetic shapes data: a CIFAR-stem NASNet-A 2 @ 192 at {@code imageSize}, split at
   * Cell_3 (stride 2), anchors of 6 to 45 px (scales 0.25, 0.5, 1 of 32), a 64-deep RPN conv, 8x8 crops, 32
   * proposals and 16 sampled. It trains with {@link DetectorTrainingConfig#regularizationFor}'s shapes values.
   */
  public static FasterRcnnConfig shapes(int imageSize, List<CocoCategory> categories) {
    NasNetConfig backbone = NasNetConfig.cifar().toBuilder().name("nasnet_shapes").stem(Stem.CIFAR)
        .imageSize(imageSize).notation(2, 192).seed(3).build();
    return builder().name("faster_rcnn_nas_shapes").backbone(backbone).splitCell(3)
        .anchors(new GridAnchorGenerator(ImmutableDoubleArray.of(0.25, 0.5, 1.0), ImmutableDoubleArray.of(0.5, 1.0, 2.0),
            32, 32, 2, 2, 1, 1))
        .rpnDepth(64).maxProposals(32).cropSize(8).secondStageBatch(16).categories(categories).build();
  }

  /** A preset by name: nas, nas-lowproposals, mobile-cpu, shapes (at 64 px). */
  public static FasterRcnnConfig preset(String name, List<CocoCategory> categories) {
    return switch (name) {
      case "nas", "faster_rcnn_nas" -> nasCoco(categories);
      case "nas-lowproposals", "faster_rcnn_nas_lowproposals" -> nasCocoLowProposals(categories);
      case "mobile-cpu", "faster_rcnn_nas_mobile_cpu" -> mobileCpu(categories);
      case "shapes", "faster_rcnn_nas_shapes" -> shapes(64, categories);
      default -> throw new IllegalArgumentException("unknown detector preset '" + name
          + "'; known: nas, nas-lowproposals, mobile-cpu, shapes");
    };
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder with the faster_rcnn_nas_coco values for everything a preset does not set. */
  public static final class Builder {
    private String name = "faster_rcnn_nas";
    private NasNetConfig backbone;
    private int splitCell = -1;
    private GridAnchorGenerator anchors = GridAnchorGenerator.nasnetDefaults();
    private int rpnDepth = 512;
    private int rpnMinibatch = 256;
    private double rpnPositiveFraction = 0.5;
    private double proposalNmsIou = 0.7;
    private int maxProposals = 500;
    private int cropSize = 17;
    private int secondStageBatch = 64;
    private double secondStagePositiveFraction = 0.25;
    private LossWeights lossWeights = LossWeights.nasnetDefaults();
    private PostProcessing postProcessing = PostProcessing.nasnetDefaults();
    private List<CocoCategory> categories = List.of();

    private Builder() {}

    private Builder(FasterRcnnConfig c) {
      name = c.name;
      backbone = c.backbone;
      splitCell = c.splitCell;
      anchors = c.anchors;
      rpnDepth = c.rpnDepth;
      rpnMinibatch = c.rpnMinibatch;
      rpnPositiveFraction = c.rpnPositiveFraction;
      proposalNmsIou = c.proposalNmsIou;
      maxProposals = c.maxProposals;
      cropSize = c.cropSize;
      secondStageBatch = c.secondStageBatch;
      secondStagePositiveFraction = c.secondStagePositiveFraction;
      lossWeights = c.lossWeights;
      postProcessing = c.postProcessing;
      categories = c.categories;
    }

    public Builder name(String v) {
      name = v;
      return this;
    }

    public Builder backbone(NasNetConfig v) {
      backbone = v;
      return this;
    }

    public Builder splitCell(int v) {
      splitCell = v;
      return this;
    }

    public Builder anchors(GridAnchorGenerator v) {
      anchors = v;
      return this;
    }

    public Builder rpnDepth(int v) {
      rpnDepth = v;
      return this;
    }

    public Builder rpnMinibatch(int size, double positiveFraction) {
      rpnMinibatch = size;
      rpnPositiveFraction = positiveFraction;
      return this;
    }

    public Builder rpnMinibatch(int size) {
      rpnMinibatch = size;
      return this;
    }

    public Builder rpnPositiveFraction(double v) {
      rpnPositiveFraction = v;
      return this;
    }

    public Builder proposalNmsIou(double v) {
      proposalNmsIou = v;
      return this;
    }

    public Builder maxProposals(int v) {
      maxProposals = v;
      return this;
    }

    public Builder cropSize(int v) {
      cropSize = v;
      return this;
    }

    public Builder secondStageBatch(int v) {
      secondStageBatch = v;
      return this;
    }

    public Builder secondStagePositiveFraction(double v) {
      secondStagePositiveFraction = v;
      return this;
    }

    public Builder lossWeights(LossWeights v) {
      lossWeights = v;
      return this;
    }

    public Builder postProcessing(PostProcessing v) {
      postProcessing = v;
      return this;
    }

    public Builder categories(List<CocoCategory> v) {
      categories = v;
      return this;
    }

    public FasterRcnnConfig build() {
      return new FasterRcnnConfig(name, backbone, splitCell, anchors, rpnDepth, rpnMinibatch, rpnPositiveFraction,
          proposalNmsIou, maxProposals, cropSize, secondStageBatch, secondStagePositiveFraction, lossWeights,
          postProcessing, ImmutableList.copyOf(categories));
    }
  }
}
