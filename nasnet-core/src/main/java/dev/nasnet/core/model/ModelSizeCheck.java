package dev.nasnet.core.model;

import dev.nasnet.core.graph.Mode;
import dev.nasnet.core.graph.ModelVariable;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * Refuses networks that cannot be built or cannot fit, with a message naming the setting to change, before
 * TensorFlow overflows an int32 dimension or a session allocates more memory than the machine has (where the kernel
 * kills the JVM without a word).
 */
final class ModelSizeCheck {
  /** Channel counts beyond this overflow TensorFlow's int32 shape arithmetic in the largest convolutions. */
  static final long MAX_CHANNELS = 1L << 20;
  /** Bytes per parameter a training graph holds: the weight, its gradient, a momentum slot, a moving average. */
  private static final int TRAINING_COPIES = 4;

  private ModelSizeCheck() {}

  /** Before any op: the widest layer's channels and the image size. */
  static void checkDimensions(NasNetConfig c) {
    double widest = c.numConvFilters() * Math.pow(c.filterScalingRate(), c.numReductionLayers())
        * Math.max(c.normalCell().outputs().size(), 1) * Math.max(1, c.stemMultiplier());
    if (widest > MAX_CHANNELS) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "network '%s' would have %,.0f channels in its "
          + "last cells (numConvFilters %d, penultimate filters %d); at most %,d are supported: lower "
          + "numConvFilters (--filters)", c.name(), widest, c.numConvFilters(), (long) Math.min(widest, 1e18),
          MAX_CHANNELS));
    }
    if (c.imageSize() > 16_384) {
      throw new IllegalArgumentException("imageSize " + c.imageSize() + " is larger than 16384 pixels");
    }
  }

  /** The aux head's 5x5/3 VALID pool needs a 5x5 map at the cell before the second reduction. */
  static void checkAuxHeadInput(NasNetConfig c) {
    int side = c.stem() == Stem.IMAGENET ? ceilHalf(ceilHalf((c.imageSize() - 3) / 2 + 1)) : c.imageSize();
    int reductionsBefore = Math.min(1, c.numReductionLayers());
    for (int i = 0; i < reductionsBefore; i++) {
      side = ceilHalf(side);
    }
    if (side < 5) {
      int need = c.stem() == Stem.IMAGENET ? 67 : 9;
      throw new IllegalArgumentException("network '" + c.name() + "': the aux head pools 5x5 over the "
          + side + "x" + side + " map that imageSize " + c.imageSize() + " gives before the second reduction; "
          + "use images of at least " + need + " pixels or auxHead(false) (--no-aux)");
    }
  }

  /** After the symbolic build, before any session: the variables must fit in this machine's memory. */
  static void checkMemory(NasNetConfig c, Mode mode, List<ModelVariable> variables) {
    long parameters = 0;
    for (ModelVariable v : variables) {
      parameters += v.size();
    }
    long bytes = parameters * Float.BYTES * (mode.isTraining() ? TRAINING_COPIES : 1);
    long machine = physicalMemory();
    if (machine > 0 && bytes > machine / 2) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "network '%s' (%s) has %,d parameters: %.1f GiB "
          + "of variables%s, more than half of this machine's %.1f GiB; lower numConvFilters (--filters) or "
          + "numCells (--cells)", c.name(), c.notation(), parameters, bytes / GIB,
          mode.isTraining() ? " with gradients, momentum and moving averages" : "", machine / GIB));
    }
  }

  private static final double GIB = 1024.0 * 1024 * 1024;

  private static long physicalMemory() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return -1;
  }

  private static int ceilHalf(int x) {
    return (x + 1) / 2;
  }
}
