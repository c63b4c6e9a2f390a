package dev.nasnet.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DataPipelineTest {

  /** Image i has every pixel equal to i (mod 256) except pixel (0, 0) = 255, label i % 10. */
  static ImageDataset numbered(int n, int h, int w) {
    byte[] px = new byte[n * h * w];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < h * w; k++) {
        px[i * h * w + k] = (byte) i;
      }
      px[i * h * w] = (byte) 255;
      labels[i] = i % 10;
    }
    return new ImageDataset(px, labels, h, w, 1, 10);
  }

  @Test
  void batchesAreAFunctionOfSeedEpochAndPosition() {
    DataPipeline p = DataPipeline.builder(numbered(100, 6, 6)).batchSize(8).seed(3)
        .augmentation(Augmentation.standard(2)).build();
    assertThat(p.batchesPerEpoch()).isEqualTo(12);
    Batch direct = p.batch(17);
    try (DataPipeline.Prefetcher it = p.batches(15)) {
      it.next();
      it.next();
      Batch prefetched = it.next();
      assertThat(prefetched.images()).isEqualTo(direct.images());
      assertThat(prefetched.labels()).isEqualTo(direct.labels());
      assertThat(prefetched.epoch()).isEqualTo(1);
      assertThat(prefetched.index()).isEqualTo(5);
    }
    DataPipeline other = DataPipeline.builder(numbered(100, 6, 6)).batchSize(8).seed(4)
        .augmentation(Augmentation.standard(2)).build();
    assertThat(other.batch(17).labels()).isNotEqualTo(direct.labels());
  }

  @Test
  void anEpochVisitsEveryImageOnceAndEpochsDifferInOrder() {
    DataPipeline p = DataPipeline.builder(numbered(40, 2, 2)).batchSize(8).seed(1).build();
    Set<Integer> seen = new HashSet<>();
    StringBuilder first = new StringBuilder();
    StringBuilder second = new StringBuilder();
    for (int b = 0; b < 5; b++) {
      Batch batch = p.batch(b);
      for (int k = 0; k < batch.size(); k++) {
        // Undo the [-1, 1] normalisation of pixel (0, 1) to recover the image number.
        int id = Math.round((batch.images()[k * 4 + 1] * 0.5f + 0.5f) * 255f);
        assertThat(seen.add(id)).as("image %s twice", id).isTrue();
        first.append(id).append(',');
      }
      Batch next = p.batch(5 + b);
      for (int k = 0; k < next.size(); k++) {
        second.append(Math.round((next.images()[k * 4 + 1] * 0.5f + 0.5f) * 255f)).append(',');
      }
    }
    assertThat(seen).hasSize(40);
    assertThat(second.toString()).isNotEqualTo(first.toString());
  }

  @Test
  void flipMirrorsAndPaddingShiftsInZeros() {
    ImageDataset one = numbered(1, 4, 4);
    DataPipeline flipOnly = DataPipeline.builder(one).batchSize(1).shuffle(false)
        .augmentation(new Augmentation(0, true, 0)).build();
    boolean sawFlip = false;
    boolean sawPlain = false;
    for (int e = 0; e < 20; e++) {
      float[] img = flipOnly.batch(e).images();
      // The marker pixel (0, 0) is 255, i.e. 1.0 after normalisation.
      if (img[0] == 1f) {
        sawPlain = true;
      } else if (img[3] == 1f) {
        sawFlip = true;
      }
    }
    assertThat(sawFlip).isTrue();
    assertThat(sawPlain).isTrue();
    DataPipeline eval = DataPipeline.builder(one).batchSize(1).forEvaluation().build();
    assertThat(eval.batch(0).images()[0]).isEqualTo(1f);
  }

  @Test
  void validationSplitIsDisjointAndSeeded() {
    ImageDataset all = numbered(50, 2, 2);
    ImageDataset[] a = all.split(10, 7);
    ImageDataset[] b = all.split(10, 7);
    assertThat(a[1].pixels()).isEqualTo(b[1].pixels());
    assertThat(a[0].size()).isEqualTo(40);
    Set<Integer> ids = new HashSet<>();
    for (ImageDataset part : a) {
      for (int i = 0; i < part.size(); i++) {
        ids.add(part.pixel(i, 0, 1, 0));
      }
    }
    assertThat(ids).hasSize(50);
    assertThat(all.split(10, 8)[1].pixels()).isNotEqualTo(a[1].pixels());
  }
}
