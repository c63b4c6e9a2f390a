package dev.nasnet.core.model;

import com.google.common.base.Preconditions;
import dev.nasnet.core.graph.PoolPadding;
import dev.nasnet.core.spec.CellSpec;
import dev.nasnet.core.spec.Cells;
import java.util.ArrayList;
import java.util.List;

/**
 * The architecture of a NASNet-style network: the two cells, the stem, how many cells and filters, the head. What
 * regularises training (drop path, dropout, weight decay, batch-norm decay) is a training setting,
 * {@link Regularization}. Presets reproduce slim's configs; {@link #toBuilder()} varies them.
 *
 * @param reductionCell the cell placed at each reduction, or null to stride the normal cell there instead (PNASNet)
 * @param imageChannels 3 for RGB, 1 for grayscale data such as Fashion-MNIST
 * @param numCells normal cells in all (3N in the paper's "N @ F" notation with two reductions)
 * @param numConvFilters F of the first stack; the penultimate layer has {@link #penultimateFilters()}
 * @param batchNormEpsilon added to the variance in every batch norm (slim: 1e-3 ImageNet, 1e-5 CIFAR)
 * @param numClasses 0 for a headless network that ends at the global pool
 * @param poolPadding {@link PoolPadding#SAME} as slim (the presets); {@link PoolPadding#ZEROS} computes what Keras'
 *     NASNetMobile/NASNetLarge compute, see {@link #keras()}
 */
public record NasNetConfig(
    String name,
    CellSpec normalCell,
    CellSpec reductionCell,
    Stem stem,
    int imageSize,
    int imageChannels,
    int numCells,
    int numConvFilters,
    double stemMultiplier,
    double filterScalingRate,
    int numReductionLayers,
    boolean skipReductionLayerInput,
    boolean auxHead,
    float batchNormEpsilon,
    PoolPadding poolPadding,
    int numClasses,
    long seed) {

  public NasNetConfig {
    Preconditions.checkNotNull(name, "name");
    Preconditions.checkNotNull(normalCell, "normalCell");
    Preconditions.checkNotNull(stem, "stem");
    Preconditions.checkNotNull(poolPadding, "poolPadding");
    Preconditions.checkArgument(imageSize >= 8, "imageSize must be at least 8, got %s", imageSize);
    Preconditions.checkArgument(stem != Stem.IMAGENET || imageSize >= 32,
        "the ImageNet stem needs images of at least 32 pixels, got %s", imageSize);
    Preconditions.checkArgument(imageChannels > 0, "imageChannels must be positive, got %s", imageChannels);
    Preconditions.checkArgument(numCells > 0, "numCells must be positive, got %s", numCells);
    Preconditions.checkArgument(numConvFilters > 0, "numConvFilters must be positive, got %s", numConvFilters);
    Preconditions.checkArgument(stemMultiplier > 0, "stemMultiplier must be positive, got %s", stemMultiplier);
    Preconditions.checkArgument(filterScalingRate > 0, "filterScalingRate must be positive, got %s",
        filterScalingRate);
    Preconditions.checkArgument(numReductionLayers >= 0 && numReductionLayers <= numCells,
        "numReductionLayers must be in 0..numCells, got %s", numReductionLayers);
    Preconditions.checkArgument(batchNormEpsilon > 0, "batch-norm epsilon must be positive, got %s",
        batchNormEpsilon);
    Preconditions.checkArgument(numClasses >= 0, "numClasses must not be negative, got %s", numClasses);
  }

  /** NASNet-A Mobile (4 @ 1056) at 224, slim's {@code mobile_imagenet_config}, 1000 classes. */
  public static NasNetConfig mobile() {
    return builder().name("nasnet_a_mobile").cells(Cells.nasnetANormal(), Cells.nasnetAReduction())
        .stem(Stem.IMAGENET).imageSize(224).numCells(12).numConvFilters(44).stemMultiplier(1.0)
        .skipReductionLayerInput(false).batchNormEpsilon(1e-3f).build();
  }

  /** NASNet-A Large (6 @ 4032) at 331, slim's {@code large_imagenet_config}, 1000 classes. */
  public static NasNetConfig large() {
    return builder().name("nasnet_a_large").cells(Cells.nasnetANormal(), Cells.nasnetAReduction())
        .stem(Stem.IMAGENET).imageSize(331).numCells(18).numConvFilters(168).stemMultiplier(3.0)
        .skipReductionLayerInput(true).batchNormEpsilon(1e-3f).build();
  }

  /** NASNet-A (6 @ 768) for 32x32 images, slim's {@code cifar_config}, 10 classes. */
  public static NasNetConfig cifar() {
    return builder().name("nasnet_a_cifar").cells(Cells.nasnetANormal(), Cells.nasnetAReduction())
        .stem(Stem.CIFAR).imageSize(32).numCells(18).numConvFilters(32).stemMultiplier(3.0)
        .skipReductionLayerInput(false).batchNormEpsilon(1e-5f).numClasses(10).build();
  }

  /** PNASNet-5 Large at 331 (slim {@code large_imagenet_config} of pnasnet.py), 1000 classes. */
  public static NasNetConfig pnasnetLarge() {
    return builder().name("pnasnet_5_large").cells(Cells.pnasnet5(), null).stem(Stem.IMAGENET).imageSize(331)
        .numCells(12).numConvFilters(216).stemMultiplier(3.0).skipReductionLayerInput(true)
        .batchNormEpsilon(1e-3f).build();
  }

  /** PNASNet-5 Mobile at 224, 1000 classes. */
  public static NasNetConfig pnasnetMobile() {
    return pnasnetLarge().toBuilder().name("pnasnet_5_mobile").imageSize(224).numCells(9).numConvFilters(54)
        .stemMultiplier(1.0).build();
  }

  /** A preset by name: mobile, large, cifar, pnasnet-large, pnasnet-mobile. */
  public static NasNetConfig preset(String name) {
    return switch (name.toLowerCase(java.util.Locale.ROOT)) {
      case "mobile", "nasnet_a_mobile" -> mobile();
      case "large", "nasnet_a_large" -> large();
      case "cifar", "nasnet_a_cifar" -> cifar();
      case "pnasnet-large", "pnasnet_large", "pnasnet_5_large" -> pnasnetLarge();
      case "pnasnet-mobile", "pnasnet_mobile", "pnasnet_5_mobile" -> pnasnetMobile();
      default -> throw new IllegalArgumentException("unknown preset '" + name
          + "'; known: mobile, large, cifar, pnasnet-large, pnasnet-mobile");
    };
  }

  /**
   * This network as Keras applications build it: the same weights, strided pools over explicit zero padding
   * ({@link PoolPadding#ZEROS}), no aux head. {@code mobile().keras()} computes what Keras' {@code NASNetMobile}
   * computes, to float precision.
   */
  public NasNetConfig keras() {
    return toBuilder().poolPadding(PoolPadding.ZEROS).auxHead(false).build();
  }

  /** Whether reductions use a separate reduction cell (NASNet) or the strided normal cell (PNASNet). */
  public boolean hasReductionCell() {
    return reductionCell != null;
  }

  /** The cell indices before which a reduction happens: slim's {@code calc_reduction_layers}. */
  public List<Integer> reductionIndices() {
    List<Integer> indices = new ArrayList<>();
    for (int k = 1; k <= numReductionLayers; k++) {
      indices.add((int) ((double) k / (numReductionLayers + 1) * numCells));
    }
    return indices;
  }

  /** Cells that drop path's depth scaling counts: normal cells, separate reduction cells, ImageNet stem cells. */
  public int totalNumCells() {
    return numCells + (hasReductionCell() ? numReductionLayers : 0) + (stem == Stem.IMAGENET ? 2 : 0);
  }

  /** Cells per stack: N in the paper's "N @ F" notation. */
  public int cellsPerStack() {
    return numCells / (numReductionLayers + 1);
  }

  /** Channels of the last cell's output when every block adds: F in "N @ F" (1056 Mobile, 4032 Large). */
  public int penultimateFilters() {
    return (int) (normalCell.outputs().size() * numConvFilters * Math.pow(filterScalingRate, numReductionLayers));
  }

  /** "N @ F", the paper's notation. */
  public String notation() {
    return cellsPerStack() + " @ " + penultimateFilters();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder with slim's defaults for the fields a preset does not set. */
  public static final class Builder {
    private String name = "nasnet";
    private CellSpec normalCell = Cells.nasnetANormal();
    private CellSpec reductionCell = Cells.nasnetAReduction();
    private Stem stem = Stem.IMAGENET;
    private int imageSize = 224;
    private int imageChannels = 3;
    private int numCells = 12;
    private int numConvFilters = 44;
    private double stemMultiplier = 1.0;
    private double filterScalingRate = 2.0;
    private int numReductionLayers = 2;
    private boolean skipReductionLayerInput;
    private boolean auxHead = true;
    private float batchNormEpsilon = 1e-3f;
    private PoolPadding poolPadding = PoolPadding.SAME;
    private int numClasses = 1000;
    private long seed = 1;

    private Builder() {}

    private Builder(NasNetConfig c) {
      name = c.name;
      normalCell = c.normalCell;
      reductionCell = c.reductionCell;
      stem = c.stem;
      imageSize = c.imageSize;
      imageChannels = c.imageChannels;
      numCells = c.numCells;
      numConvFilters = c.numConvFilters;
      stemMultiplier = c.stemMultiplier;
      filterScalingRate = c.filterScalingRate;
      numReductionLayers = c.numReductionLayers;
      skipReductionLayerInput = c.skipReductionLayerInput;
      auxHead = c.auxHead;
      batchNormEpsilon = c.batchNormEpsilon;
      poolPadding = c.poolPadding;
      numClasses = c.numClasses;
      seed = c.seed;
    }

    public Builder name(String v) {
      name = v;
      return this;
    }

    /** The normal cell and the reduction cell; a null reduction cell strides the normal cell instead. */
    public Builder cells(CellSpec normal, CellSpec reduction) {
      normalCell = normal;
      reductionCell = reduction;
      return this;
    }

    public Builder normalCell(CellSpec v) {
      normalCell = v;
      return this;
    }

    /** The reduction cell, or null to stride the normal cell at reductions instead (PNASNet). */
    public Builder reductionCell(CellSpec v) {
      reductionCell = v;
      return this;
    }

    public Builder stem(Stem v) {
      stem = v;
      return this;
    }

    public Builder imageSize(int v) {
      imageSize = v;
      return this;
    }

    public Builder imageChannels(int v) {
      imageChannels = v;
      return this;
    }

    public Builder numCells(int v) {
      numCells = v;
      return this;
    }

    public Builder numConvFilters(int v) {
      numConvFilters = v;
      return this;
    }

    /**
     * Sets the size by the paper's "N @ F": N cells per stack and F filters in the penultimate layer, which must be a
     * multiple of (output states of the normal cell) x rate^reductions.
     */
    public Builder notation(int cellsPerStack, int penultimateFilters) {
      int per = (int) (normalCell.outputs().size() * Math.pow(filterScalingRate, numReductionLayers));
      Preconditions.checkArgument(penultimateFilters % per == 0,
          "penultimate filters %s must be a multiple of %s for this cell and %s reductions", penultimateFilters, per,
          numReductionLayers);
      numCells = cellsPerStack * (numReductionLayers + 1);
      numConvFilters = penultimateFilters / per;
      return this;
    }

    public Builder stemMultiplier(double v) {
      stemMultiplier = v;
      return this;
    }

    public Builder filterScalingRate(double v) {
      filterScalingRate = v;
      return this;
    }

    public Builder numReductionLayers(int v) {
      numReductionLayers = v;
      return this;
    }

    public Builder skipReductionLayerInput(boolean v) {
      skipReductionLayerInput = v;
      return this;
    }

    public Builder auxHead(boolean v) {
      auxHead = v;
      return this;
    }

    public Builder batchNormEpsilon(float v) {
      batchNormEpsilon = v;
      return this;
    }

    public Builder poolPadding(PoolPadding v) {
      poolPadding = v;
      return this;
    }

    public Builder numClasses(int v) {
      numClasses = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public NasNetConfig build() {
      return new NasNetConfig(name, normalCell, reductionCell, stem, imageSize, imageChannels, numCells, numConvFilters,
          stemMultiplier, filterScalingRate, numReductionLayers, skipReductionLayerInput, auxHead, batchNormEpsilon,
          poolPadding, numClasses, seed);
    }
  }
}
