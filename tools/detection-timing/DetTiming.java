import dev.nasnet.detection.DetectorTrainingConfig;
import dev.nasnet.detection.FasterRcnnConfig;
import dev.nasnet.detection.FasterRcnnTrainer;
import dev.nasnet.detection.StepLosses;
import dev.nasnet.detection.dataset.DetectionDataset;
import dev.nasnet.detection.dataset.TrainingSample;
import dev.nasnet.detection.synthetic.ShapesConfig;
import dev.nasnet.detection.synthetic.ShapesDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Shapes-preset training steps through the public API (FasterRcnnTrainer.step), as train-detector --shapes runs them
 * (64 px shapes, batch 4, lr 0.02, flips, seed 1). Args: mode (time|losses|determined), steps, warm-up.
 * "determined": second-stage batch 64 at positive fraction 0.5 over the 32 proposals, so every proposal is sampled.
 */
public final class DetTiming {
  public static void main(String[] args) {
    String mode = args[0];
    int steps = Integer.parseInt(args[1]);
    int warm = Integer.parseInt(args[2]);
    DetectionDataset data = DetectionDataset.of(ShapesDataset.generate(new ShapesConfig(64, 64, 4, 8, 32), 64, 1));
    FasterRcnnConfig config = FasterRcnnConfig.shapes(64, data.categories());
    if (mode.equals("determined")) {
      config = config.toBuilder().secondStageBatch(64).secondStagePositiveFraction(0.5).build();
    }
    int batch = 4;
    long total = warm + steps;
    DetectorTrainingConfig training = DetectorTrainingConfig.of(config, batch, total, 0.02).withSeed(1);
    try (FasterRcnnTrainer trainer = new FasterRcnnTrainer(config, training)) {
      long t0 = 0;
      for (long s = 0; s < total; s++) {
        if (s == warm) {
          t0 = System.nanoTime();
        }
        List<TrainingSample> b = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
          b.add(data.sample((int) ((s * batch + i) % data.size()), config.categories()));
        }
        StepLosses l = trainer.step(b, s, training.schedule().at(s));
        if (!mode.equals("time")) {
          System.out.printf(Locale.ROOT, "step %2d rpn_loc %.6f rpn_obj %.6f loc %.6f cls %.6f reg %.6f total %.6f%n",
              s, l.rpnLocalization(), l.rpnObjectness(), l.localization(), l.classification(), l.regularization(),
              l.total());
        }
      }
      double sec = (System.nanoTime() - t0) / 1e9;
      System.out.printf(Locale.ROOT, "%s: %d steps in %.2f s = %.3f steps/s%n", mode, steps, sec, steps / sec);
    }
  }
}
