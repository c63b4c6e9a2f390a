package dev.nasnet.core.data;

import com.google.common.base.Preconditions;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Turns an in-memory data set into batches: shuffled per epoch, augmented and normalised, prepared on a background
 * thread a few batches ahead so the training session does not wait for data.
 *
 * <p>Everything is a function of (seed, epoch, position): epoch {@code e} is the permutation drawn from
 * {@code seed ^ e}, and an image's crop, flip and cutout come from (seed, epoch, its index). So {@link #batches(long)}
 * started at any global batch number yields exactly what an uninterrupted run saw there, which is what makes a
 * resumed training run repeat the original.
 */
public final class DataPipeline {
  private final ImageDataset data;
  private final int batchSize;
  private final boolean shuffle;
  private final boolean dropRemainder;
  private final Augmentation augmentation;
  private final Normalization normalization;
  private final long seed;
  private final int prefetch;

  private DataPipeline(Builder b) {
    this.data = b.data;
    this.batchSize = b.batchSize;
    this.shuffle = b.shuffle;
    this.dropRemainder = b.dropRemainder;
    this.augmentation = b.augmentation;
    this.normalization = b.normalization;
    this.seed = b.seed;
    this.prefetch = b.prefetch;
    Preconditions.checkArgument(normalization.mean().length == data.channels(),
        "normalisation has %s channels, the data %s", normalization.mean().length, data.channels());
    Preconditions.checkArgument(batchesPerEpoch() > 0, "batch size %s leaves no batch in %s images", batchSize,
        data.size());
  }

  public static Builder builder(ImageDataset data) {
    return new Builder(data);
  }

  public ImageDataset data() {
    return data;
  }

  public int batchSize() {
    return batchSize;
  }

  public int batchesPerEpoch() {
    return dropRemainder ? data.size() / batchSize : (data.size() + batchSize - 1) / batchSize;
  }

  /** Batch number {@code global} (epoch = global / batchesPerEpoch), computed on the calling thread. */
  public Batch batch(long global) {
    int perEpoch = batchesPerEpoch();
    int epoch = (int) (global / perEpoch);
    int index = (int) (global % perEpoch);
    int[] order = order(epoch);
    int from = index * batchSize;
    int n = Math.min(batchSize, data.size() - from);
    int h = data.height();
    int w = data.width();
    int c = data.channels();
    float[] images = new float[n * h * w * c];
    int[] labels = new int[n];
    for (int k = 0; k < n; k++) {
      int i = order[from + k];
      labels[k] = data.labels()[i];
      write(i, epoch, images, k * h * w * c);
    }
    return new Batch(images, labels, h, w, c, epoch, index);
  }

  /**
   * Batches from global number {@code start} on, without end, prepared on a daemon thread. Closing the returned
   * iterator stops the thread.
   */
  public Prefetcher batches(long start) {
    return new Prefetcher(start);
  }

  /** One pass over the data in order, no augmentation beyond what was configured, for evaluation. */
  public Iterable<Batch> epochInOrder() {
    return () -> new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < batchesPerEpoch();
      }

      @Override
      public Batch next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return batch(next++);
      }
    };
  }

  private int[] order(int epoch) {
    return shuffle ? EpochOrder.shuffled(data.size(), seed, epoch) : EpochOrder.identity(data.size());
  }

  private void write(int image, int epoch, float[] out, int offset) {
    int h = data.height();
    int w = data.width();
    int c = data.channels();
    int dy = 0;
    int dx = 0;
    boolean flip = false;
    int cutY = -1;
    int cutX = -1;
    if (!augmentation.isNone()) {
      SplittableRandom r = new SplittableRandom(seed * 31 + epoch * 1_000_003L + image);
      int p = augmentation.padding();
      dy = p == 0 ? 0 : r.nextInt(2 * p + 1) - p;
      dx = p == 0 ? 0 : r.nextInt(2 * p + 1) - p;
      flip = augmentation.horizontalFlip() && r.nextBoolean();
      if (augmentation.cutoutSize() > 0) {
        cutY = r.nextInt(h);
        cutX = r.nextInt(w);
      }
    }
    int half = augmentation.cutoutSize() / 2;
    for (int y = 0; y < h; y++) {
      int sy = y + dy;
      for (int x = 0; x < w; x++) {
        int sx = (flip ? w - 1 - x : x) + dx;
        boolean cut = cutY >= 0 && Math.abs(y - cutY) <= half && Math.abs(x - cutX) <= half
            && (augmentation.cutoutSize() % 2 == 1 || (y - cutY < half && x - cutX < half));
        for (int k = 0; k < c; k++) {
          float v;
          if (cut) {
            v = 0f;
          } else if (sy < 0 || sy >= h || sx < 0 || sx >= w) {
            v = normalization.apply(0, k);
          } else {
            v = normalization.apply(data.pixel(image, sy, sx, k), k);
          }
          out[offset + (y * w + x) * c + k] = v;
        }
      }
    }
  }

  /** An endless iterator of batches filled by a background thread. */
  public final class Prefetcher implements Iterator<Batch>, BatchSource<Batch> {
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(prefetch);
    private final Thread thread;
    private volatile boolean closed;

    private Prefetcher(long start) {
      thread = new Thread(() -> {
        try {
          for (long g = start; !closed; g++) {
            Object item;
            try {
              item = batch(g);
            } catch (RuntimeException e) {
              item = e;
            }
            while (!closed && !queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
              // Waiting for the consumer.
            }
            if (item instanceof RuntimeException) {
              return;
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "nasnet-data-prefetch");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public boolean hasNext() {
      return !closed;
    }

    @Override
    public Batch next() {
      try {
        Object item = queue.take();
        if (item instanceof RuntimeException e) {
          throw new IllegalStateException("preparing a batch failed: " + e.getMessage(), e);
        }
        return (Batch) item;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for a batch", e);
      }
    }

    @Override
    public void close() {
      closed = true;
      thread.interrupt();
    }
  }

  /** Options; defaults: batch 32, shuffled, remainder dropped, no augmentation, pixels to [-1, 1], 4 ahead. */
  public static final class Builder {
    private final ImageDataset data;
    private int batchSize = 32;
    private boolean shuffle = true;
    private boolean dropRemainder = true;
    private Augmentation augmentation = Augmentation.NONE;
    private Normalization normalization;
    private long seed = 1;
    private int prefetch = 4;

    private Builder(ImageDataset data) {
      this.data = data;
      this.normalization = Normalization.symmetric(data.channels());
    }

    public Builder batchSize(int v) {
      Preconditions.checkArgument(v > 0, "batch size must be positive, got %s", v);
      batchSize = v;
      return this;
    }

    public Builder shuffle(boolean v) {
      shuffle = v;
      return this;
    }

    public Builder dropRemainder(boolean v) {
      dropRemainder = v;
      return this;
    }

    public Builder augmentation(Augmentation v) {
      augmentation = v;
      return this;
    }

    public Builder normalization(Normalization v) {
      normalization = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder prefetch(int v) {
      Preconditions.checkArgument(v > 0, "prefetch must be positive, got %s", v);
      prefetch = v;
      return this;
    }

    /** An evaluation pipeline: in order, every image, no augmentation. */
    public Builder forEvaluation() {
      shuffle = false;
      dropRemainder = false;
      augmentation = Augmentation.NONE;
      return this;
    }

    public DataPipeline build() {
      return new DataPipeline(this);
    }
  }
}
