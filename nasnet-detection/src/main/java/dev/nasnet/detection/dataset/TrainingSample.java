package dev.nasnet.detection.dataset;

import com.google.common.base.Preconditions;
import dev.nasnet.detection.image.RgbImage;

/** One training image with its checked ground truth, of the same size. */
public record TrainingSample(RgbImage image, DetectionExample truth) {
  public TrainingSample {
    Preconditions.checkArgument(image.width() == truth.width() && image.height() == truth.height(),
        "%s: the image is %sx%s but its annotations say %sx%s", truth.image(), image.width(), image.height(),
        truth.width(), truth.height());
  }
}
