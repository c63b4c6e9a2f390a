package dev.nasnet.detection;

import com.google.common.base.Preconditions;

/** The four losses' weights; faster_rcnn_nas_coco: RPN localization 2, objectness 1, box localization 2, class 1. */
public record LossWeights(float rpnLocalization, float rpnObjectness, float localization, float classification) {
  public LossWeights {
    Preconditions.checkArgument(rpnLocalization >= 0 && rpnObjectness >= 0 && localization >= 0
        && classification >= 0, "loss weights must not be negative");
  }

  public static LossWeights nasnetDefaults() {
    return new LossWeights(2f, 1f, 2f, 1f);
  }
}
