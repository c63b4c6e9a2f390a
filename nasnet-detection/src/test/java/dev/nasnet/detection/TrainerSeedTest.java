package dev.nasnet.detection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nasnet.detection.dataset.DetectionDataset;
import dev.nasnet.detection.dataset.TrainingSample;
import dev.nasnet.detection.synthetic.ShapesConfig;
import dev.nasnet.detection.synthetic.ShapesDataset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The second stage samples in the graph from the run's seed: another seed draws another 16 of the preset's 32
 * proposals, while the RPN's Java sampler and the weights do not depend on it. (That one seed reproduces its draw is
 * TargetGraphTest's; two trainers rather than three keep this test's time down.)
 */
class TrainerSeedTest {

  @Test
  void theRunSeedSeedsTheInGraphSecondStageSample() {
    DetectionDataset data = DetectionDataset.of(ShapesDataset.generate(new ShapesConfig(64, 64, 3, 12, 28), 2, 5));
    FasterRcnnConfig base = FasterRcnnConfig.shapes(64, data.categories());
    FasterRcnnConfig config = base.toBuilder().backbone(base.backbone().toBuilder().notation(2, 48).build()).build();
    List<TrainingSample> batch = List.of(data.sample(0, config.categories()), data.sample(1, config.categories()));
    StepLosses first = firstStep(config, batch, 1);
    StepLosses other = firstStep(config, batch, 2);
    assertThat(other.rpnObjectness()).isEqualTo(first.rpnObjectness());
    assertThat(other.rpnLocalization()).isEqualTo(first.rpnLocalization());
    assertThat(other.classification()).as("another seed samples other proposals")
        .isNotEqualTo(first.classification());
  }

  private static StepLosses firstStep(FasterRcnnConfig config, List<TrainingSample> batch, long seed) {
    DetectorTrainingConfig training = DetectorTrainingConfig.of(config, 2, 10, 0.01).withHorizontalFlip(false)
        .withCheckpointEvery(0).withSeed(seed);
    try (FasterRcnnTrainer trainer = new FasterRcnnTrainer(config, training)) {
      return trainer.step(batch, 0, 0.01);
    }
  }
}
