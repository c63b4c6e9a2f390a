package dev.nasnet.search.proxy;

import com.google.common.base.Preconditions;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.nasnet.core.data.IdxReader;

/**
 * The proxy task a child network is trained on during a search (the paper trains children briefly on CIFAR-10 and
 * rewards validation accuracy): an IDX image dataset, how many training and validation images to use, the child's
 * size "N @ F", and a short training schedule. Optionally the reward is scaled MnasNet-style by
 * {@code (cost / target) ^ exponent} for multiply-adds and/or measured latency, so cheaper cells win ties.
 *
 * @param dataDir directory of IDX files (train-images/labels); Fashion-MNIST from Debian by default
 * @param trainImages training images taken from the training file (the first ones after a seeded shuffle)
 * @param validationImages images held out of the training file for the reward, never trained on
 * @param cellsPerStack N
 * @param penultimateFilters F, a multiple of 24
 * @param epochs passes over the training images
 * @param batchSize training batch size
 * @param learningRate peak of a cosine schedule with a short warm-up, momentum 0.9 (Nesterov)
 * @param seed split, initialisation and data order
 * @param macTarget multiply-adds target, 0 for no penalty
 * @param latencyTargetMs batch-1 inference latency target in ms, 0 for no penalty (and no measurement)
 * @param penaltyExponent w in {@code (cost / target) ^ w}; MnasNet's soft constraint uses -0.07
 * @param devices devices a child trains on, data-parallel (towers over virtual CPU devices, or GPUs when the
 *     session sees them); 1 unless set, also for tasks saved before the field existed
 */
public record ProxyTask(String dataDir, int trainImages, int validationImages, int cellsPerStack,
    int penultimateFilters, double epochs, int batchSize, double learningRate, long seed, double macTarget,
    double latencyTargetMs, double penaltyExponent, int devices) {
  public ProxyTask {
    devices = devices == 0 ? 1 : devices; // JSON written before the field existed reads as 0
    Preconditions.checkArgument(devices >= 1 && devices <= 64, "devices must be in 1..64, got %s", devices);
    Preconditions.checkArgument(batchSize % devices == 0, "batch size %s must divide evenly over %s devices",
        batchSize, devices);
    Preconditions.checkArgument(trainImages > 0, "trainImages must be positive, got %s", trainImages);
    Preconditions.checkArgument(validationImages > 0, "validationImages must be positive, got %s", validationImages);
    Preconditions.checkArgument(cellsPerStack > 0, "N must be positive, got %s", cellsPerStack);
    Preconditions.checkArgument(penultimateFilters > 0 && penultimateFilters % 24 == 0,
        "F must be a positive multiple of 24, got %s", penultimateFilters);
    Preconditions.checkArgument(epochs > 0, "epochs must be positive, got %s", epochs);
    Preconditions.checkArgument(batchSize > 0, "batchSize must be positive, got %s", batchSize);
    Preconditions.checkArgument(learningRate > 0, "learningRate must be positive, got %s", learningRate);
    Preconditions.checkArgument(macTarget >= 0 && latencyTargetMs >= 0, "cost targets must be >= 0");
    Preconditions.checkArgument(penaltyExponent <= 0, "penaltyExponent must be <= 0 (a penalty), got %s",
        penaltyExponent);
  }

  /** Fashion-MNIST: 10,000 training and 2,000 validation images, a 1 @ 192 child, 2 epochs of batch 64. */
  public static ProxyTask fashionMnist() {
    return new ProxyTask(IdxReader.FASHION_MNIST_DIR.toString(), 10_000, 2_000, 1, 192, 2, 64, 0.05, 1, 0, 0,
        -0.07, 1);
  }

  public ProxyTask withData(String dir, int train, int validation) {
    return new ProxyTask(dir, train, validation, cellsPerStack, penultimateFilters, epochs, batchSize, learningRate,
        seed, macTarget, latencyTargetMs, penaltyExponent, devices);
  }

  public ProxyTask withChild(int n, int f) {
    return new ProxyTask(dataDir, trainImages, validationImages, n, f, epochs, batchSize, learningRate, seed,
        macTarget, latencyTargetMs, penaltyExponent, devices);
  }

  public ProxyTask withTraining(double e, int batch, double lr) {
    return new ProxyTask(dataDir, trainImages, validationImages, cellsPerStack, penultimateFilters, e, batch, lr, seed,
        macTarget, latencyTargetMs, penaltyExponent, devices);
  }

  public ProxyTask withPenalty(double macs, double latencyMs, double exponent) {
    return new ProxyTask(dataDir, trainImages, validationImages, cellsPerStack, penultimateFilters, epochs, batchSize,
        learningRate, seed, macs, latencyMs, exponent, devices);
  }

  public ProxyTask withSeed(long s) {
    return new ProxyTask(dataDir, trainImages, validationImages, cellsPerStack, penultimateFilters, epochs, batchSize,
        learningRate, s, macTarget, latencyTargetMs, penaltyExponent, devices);
  }

  public ProxyTask withDevices(int n) {
    return new ProxyTask(dataDir, trainImages, validationImages, cellsPerStack, penultimateFilters, epochs, batchSize,
        learningRate, seed, macTarget, latencyTargetMs, penaltyExponent, n);
  }

  public JsonObject toJson() {
    return new Gson().toJsonTree(this).getAsJsonObject();
  }

  public static ProxyTask fromJson(JsonObject o) {
    ProxyTask t = new Gson().fromJson(o, ProxyTask.class);
    if (t == null || t.dataDir() == null) {
      throw new IllegalArgumentException("not a proxy task: " + o);
    }
    return t;
  }
}
