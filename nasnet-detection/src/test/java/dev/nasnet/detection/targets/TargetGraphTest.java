package dev.nasnet.detection.targets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nasnet.detection.boxes.BoxGraph;
import dev.nasnet.detection.boxes.BoxOps;
import dev.nasnet.detection.boxes.CornerBox;
import dev.nasnet.detection.boxes.FasterRcnnBoxCoder;
import dev.nasnet.detection.secondstage.SecondStageTargetGraph;
import dev.nasnet.detection.secondstage.SecondStageTargets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The in-graph matcher, sampler and second-stage assignment held to the Java reference ({@link ArgMaxMatcher},
 * {@link BalancedPositiveNegativeSampler}, {@link SecondStageTargets}) on fixed inputs. The matcher is compared
 * everywhere, ties included. The in-graph sampler draws differently from the Java one (a stateless uniform key per
 * candidate, not SplittableRandom), so it is compared for equality only where the choice is determined (every pool
 * within its quota), and elsewhere on what any valid draw must satisfy: quotas, pools, reproducibility by seed.
 */
class TargetGraphTest {
  private static final ArgMaxMatcher[] MATCHERS = {ArgMaxMatcher.secondStage(), ArgMaxMatcher.rpn(),
      new ArgMaxMatcher(0.625, 0.375, false, false), new ArgMaxMatcher(0.5, 0.25, true, false)};

  /** One graph for all tests: similarity in, every matcher's result out; boxes in, IoU out. */
  private static Graph graph;
  private static Session session;
  private static Placeholder<TFloat32> similarity;
  private static final List<Operand<TInt32>> matches = new ArrayList<>();
  private static Placeholder<TInt32> matchIn;
  private static Placeholder<TInt64> seed;
  private static TargetGraph.Sample rpnSample;
  private static TargetGraph.Sample secondSample;
  private static TargetGraph.Sample smallNoFallback;
  private static Placeholder<TFloat32> rows;
  private static Placeholder<TFloat32> columns;
  private static Operand<TFloat32> iou;
  private static Placeholder<TInt32> classes;
  private static SecondStageTargetGraph assigned;
  /** Every pool of up to 32 proposals fits: 32 positives and then 32 negatives. */
  private static final BalancedPositiveNegativeSampler DETERMINED = new BalancedPositiveNegativeSampler(64, 0.5,
      true);
  private static final BalancedPositiveNegativeSampler SMALL = new BalancedPositiveNegativeSampler(8, 0.25, false);
  private static final int NUM_CLASSES = 3;
  private static final FasterRcnnBoxCoder CODER = FasterRcnnBoxCoder.nasnetDefaults();

  @BeforeAll
  static void build() {
    graph = new Graph();
    Ops tf = Ops.create(graph);
    similarity = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1)));
    for (ArgMaxMatcher m : MATCHERS) {
      matches.add(TargetGraph.match(tf, similarity, m));
    }
    matchIn = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    seed = tf.placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
    rpnSample = TargetGraph.sample(tf, matchIn, BalancedPositiveNegativeSampler.rpn(), seed);
    secondSample = TargetGraph.sample(tf, matchIn, BalancedPositiveNegativeSampler.secondStage(), seed);
    smallNoFallback = TargetGraph.sample(tf, matchIn, SMALL, seed);
    rows = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 4)));
    columns = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 4)));
    iou = BoxGraph.iouMatrix(tf, rows, columns);
    classes = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    assigned = SecondStageTargetGraph.assign(tf, columns, rows, classes, NUM_CLASSES, ArgMaxMatcher.secondStage(),
        DETERMINED, CODER, seed);
    session = new Session(graph);
  }

  @AfterAll
  static void close() {
    session.close();
    graph.close();
  }

  // ---------------------------------------------------------------- matcher

  @Test
  void matcherEqualsTheJavaMatcherOnRandomSimilarities() {
    Random random = new Random(11);
    int compared = 0;
    for (int trial = 0; trial < 40; trial++) {
      int r = random.nextInt(5);
      int c = random.nextInt(30);
      double[][] s = new double[r][c];
      for (double[] row : s) {
        for (int j = 0; j < c; j++) {
          // Multiples of 1/16: exact in float and double, hitting the thresholds and making ties.
          row[j] = random.nextInt(17) / 16.0;
        }
      }
      compared += assertMatchesJava(s, c);
    }
    assertThat(compared).isGreaterThan(100);
  }

  @Test
  void noGroundTruthMakesEveryColumnANegative() {
    for (int m = 0; m < MATCHERS.length; m++) {
      assertThat(runMatch(new double[0][], 6, m)).containsOnly(Match.UNMATCHED).hasSize(6);
    }
    assertMatchesJava(new double[0][], 6);
    assertMatchesJava(new double[2][0], 0);
  }

  @Test
  void tiesGoToTheLowestRowAndTheLowestColumn() {
    // Column 0: rows 0 and 1 tie at 0.75 -> row 0. Row 2's best columns tie (1 and 2) -> forced onto column 1.
    // Rows 0 and 1 both have column 0 as their best -> the RPN matcher forces it to row 0.
    double[][] s = {
        {0.75, 0.0, 0.0, 0.125},
        {0.75, 0.0, 0.0, 0.5},
        {0.0, 0.25, 0.25, 0.0},
        {0.0, 0.0, 0.0, 0.25}};
    assertThat(runMatch(s, 4, 0)).containsExactly(0, -1, -1, 1);
    // rpn: column 3 (0.5) would be ignored, but row 3 forces it; row 2 forces column 1 (the lower of its ties).
    assertThat(runMatch(s, 4, 1)).containsExactly(0, 2, -1, 3);
    assertMatchesJava(s, 4);
  }

  @Test
  void iouEqualsTheJavaIouIncludingEmptyAndInvertedBoxes() {
    List<CornerBox> a = List.of(new CornerBox(0, 0, 10, 10), new CornerBox(5, 5, 5, 9), new CornerBox(4, 4, 2, 2),
        new CornerBox(2, 3, 30, 17));
    List<CornerBox> b = List.of(new CornerBox(0, 0, 10, 10), new CornerBox(5, 5, 15, 15),
        new CornerBox(20, 20, 30, 30), new CornerBox(0, 5, 10, 10), new CornerBox(3, 3, 3, 3));
    double[][] expected = BoxOps.iouMatrix(a, b);
    try (TFloat32 ta = boxes(a); TFloat32 tb = boxes(b);
        Result r = session.runner().feed(rows, ta).feed(columns, tb).fetch(iou).run()) {
      TFloat32 got = (TFloat32) r.get(0);
      for (int i = 0; i < a.size(); i++) {
        for (int j = 0; j < b.size(); j++) {
          assertThat((double) got.getFloat(i, j)).as("iou[%s][%s]", i, j).isCloseTo(expected[i][j],
              org.assertj.core.data.Offset.offset(1e-6));
        }
      }
    }
  }

  // ---------------------------------------------------------------- sampler

  @Test
  void samplerEqualsTheJavaSamplerWhenEveryPoolFitsItsQuota() {
    // 3 positives and 5 negatives (2 ignored) against 64 at 0.25: all taken, whatever the seed.
    int[] match = {0, -1, -2, 1, -1, -1, 0, -2, -1, -1};
    assertSampleEqualsJava(match, secondSample, BalancedPositiveNegativeSampler.secondStage(), 3);
    // All negative: 10 negatives fill up a batch of 64.
    assertSampleEqualsJava(new int[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1}, secondSample,
        BalancedPositiveNegativeSampler.secondStage(), 4);
    // Exactly the quotas: 2 positives (max 2) and 6 negatives fill the batch of 8.
    assertSampleEqualsJava(new int[] {-1, 0, -1, -1, 1, -1, -1, -1}, smallNoFallback, SMALL, 5);
    // Nothing at all.
    assertSampleEqualsJava(new int[0], secondSample, BalancedPositiveNegativeSampler.secondStage(), 6);
  }

  @Test
  void allIgnoredTakesEveryColumnOnlyWithTheFallback() {
    int[] match = {-2, -2, -2, -2};
    assertSampleEqualsJava(match, secondSample, BalancedPositiveNegativeSampler.secondStage(), 1);
    assertThat(count(runSample(match, secondSample, 1)[1])).isEqualTo(4);
    assertSampleEqualsJava(match, smallNoFallback, SMALL, 1);
    assertThat(count(runSample(match, smallNoFallback, 1)[0]) + count(runSample(match, smallNoFallback, 1)[1]))
        .isZero();
  }

  @Test
  void aDrawFromLargerPoolsKeepsTheQuotasAndIsReproducible() {
    // 300 positives and 1000 negatives (some ignored) for the RPN's 256 at 0.5; 3 positives and 40 negatives for
    // a second-stage batch of 8 at 0.25 (2 positives, then 6 negatives).
    Random random = new Random(3);
    int[] large = new int[1400];
    for (int j = 0; j < large.length; j++) {
      large[j] = j < 300 ? random.nextInt(4) : j < 1300 ? -1 : -2;
    }
    boolean[][] first = runSample(large, rpnSample, 42);
    assertQuotas(large, first, BalancedPositiveNegativeSampler.rpn());
    assertThat(count(first[0])).isEqualTo(128);
    assertThat(count(first[1])).isEqualTo(128);
    boolean[][] again = runSample(large, rpnSample, 42);
    assertThat(again[0]).isEqualTo(first[0]);
    assertThat(again[1]).isEqualTo(first[1]);
    boolean[][] other = runSample(large, rpnSample, 43);
    assertThat(Arrays.equals(other[0], first[0]) && Arrays.equals(other[1], first[1])).as("another seed draws "
        + "another batch").isFalse();

    int[] few = new int[43];
    Arrays.fill(few, -1);
    few[5] = 0;
    few[17] = 1;
    few[30] = 0;
    boolean[][] small = runSample(few, smallNoFallback, 9);
    assertQuotas(few, small, SMALL);
    assertThat(count(small[0])).isEqualTo(2);
    assertThat(count(small[1])).isEqualTo(6);
  }

  // ---------------------------------------------------------------- second-stage assignment

  @Test
  void secondStageAssignmentEqualsTheJavaOneWhenSamplingIsDetermined() {
    Random random = new Random(5);
    int positives = 0;
    for (int trial = 0; trial < 12; trial++) {
      List<CornerBox> truth = randomBoxes(random, trial % 4 == 0 ? 0 : 1 + random.nextInt(3));
      int[] truthClasses = new int[truth.size()];
      for (int i = 0; i < truthClasses.length; i++) {
        truthClasses[i] = random.nextInt(NUM_CLASSES);
      }
      // Proposals near the ground truth (so some match) and elsewhere; at most 32, so every pool fits.
      List<CornerBox> proposals = new ArrayList<>();
      for (CornerBox t : truth) {
        proposals.add(new CornerBox(t.ymin() + random.nextInt(3), t.xmin() - random.nextInt(3), t.ymax() + 1,
            t.xmax() + random.nextInt(4)));
      }
      proposals.addAll(randomBoxes(random, trial == 1 ? 0 : 4 + random.nextInt(20)));
      SecondStageTargets expected = SecondStageTargets.assign(proposals, truth, truthClasses, NUM_CLASSES,
          ArgMaxMatcher.secondStage(), DETERMINED, CODER, trial);
      positives += expected.positives();
      try (TFloat32 gt = boxes(truth); TFloat32 props = boxes(proposals);
          TInt32 cls = TInt32.tensorOf(Shape.of(truthClasses.length), DataBuffers.of(truthClasses, true, false));
          TInt64 s = TInt64.vectorOf(1, trial);
          Result r = session.runner().feed(rows, gt).feed(columns, props).feed(classes, cls).feed(seed, s)
              .fetch(assigned.boxes()).fetch(assigned.labels()).fetch(assigned.boxTargets())
              .fetch(assigned.boxWeights()).fetch(assigned.classWeight()).run()) {
        int n = expected.boxes().size();
        TFloat32 gotBoxes = (TFloat32) r.get(0);
        assertThat(gotBoxes.shape()).isEqualTo(Shape.of(n, 4));
        for (int k = 0; k < n; k++) {
          CornerBox e = expected.boxes().get(k);
          assertThat(new double[] {gotBoxes.getFloat(k, 0), gotBoxes.getFloat(k, 1), gotBoxes.getFloat(k, 2),
              gotBoxes.getFloat(k, 3)}).as("trial %s box %s", trial, k)
              .containsExactly(e.ymin(), e.xmin(), e.ymax(), e.xmax());
        }
        assertThat(read((TInt32) r.get(1), n)).as("trial %s labels", trial).containsExactly(expected.labels());
        assertClose(readFloats((TFloat32) r.get(2)), expected.boxTargets(), 2e-5, "trial " + trial + " targets");
        assertClose(readFloats((TFloat32) r.get(3)), expected.boxWeights(), 1e-7, "trial " + trial + " weights");
        assertThat(((TFloat32) r.get(4)).getFloat()).isEqualTo(expected.classWeight());
      }
    }
    assertThat(positives).as("the trials include positives").isGreaterThan(5);
  }

  // ---------------------------------------------------------------- helpers

  private static int assertMatchesJava(double[][] s, int c) {
    for (int m = 0; m < MATCHERS.length; m++) {
      int[] expected = MATCHERS[m].match(s, c).columnToRow().toArray();
      assertThat(runMatch(s, c, m)).as("%s on %s", MATCHERS[m], Arrays.deepToString(s)).containsExactly(expected);
    }
    return MATCHERS.length * c;
  }

  private static int[] runMatch(double[][] s, int c, int matcher) {
    float[] flat = new float[s.length * c];
    for (int i = 0; i < s.length; i++) {
      for (int j = 0; j < c; j++) {
        flat[i * c + j] = (float) s[i][j];
      }
    }
    try (TFloat32 t = TFloat32.tensorOf(Shape.of(s.length, c), DataBuffers.of(flat, true, false));
        Result r = session.runner().feed(similarity, t).fetch(matches.get(matcher)).run()) {
      return read((TInt32) r.get(0), c);
    }
  }

  private static void assertSampleEqualsJava(int[] match, TargetGraph.Sample sample,
      BalancedPositiveNegativeSampler sampler, long seedValue) {
    Minibatch expected = sampler.sample(new Match(com.google.common.primitives.ImmutableIntArray.copyOf(match)),
        seedValue);
    boolean[][] got = runSample(match, sample, seedValue);
    assertThat(indices(got[0])).as("positives of %s", Arrays.toString(match))
        .containsExactly(expected.positives().toArray());
    assertThat(indices(got[1])).as("negatives of %s", Arrays.toString(match))
        .containsExactly(expected.negatives().toArray());
  }

  private static void assertQuotas(int[] match, boolean[][] got, BalancedPositiveNegativeSampler sampler) {
    int pos = 0;
    int neg = 0;
    int posPool = 0;
    int negPool = 0;
    for (int j = 0; j < match.length; j++) {
      assertThat(got[0][j] && got[1][j]).isFalse();
      if (got[0][j]) {
        assertThat(match[j]).isGreaterThanOrEqualTo(0);
        pos++;
      }
      if (got[1][j]) {
        assertThat(match[j]).isEqualTo(Match.UNMATCHED);
        neg++;
      }
      posPool += match[j] >= 0 ? 1 : 0;
      negPool += match[j] == Match.UNMATCHED ? 1 : 0;
    }
    assertThat(pos).isEqualTo(Math.min(posPool, sampler.maxPositives()));
    assertThat(neg).isEqualTo(Math.min(negPool, sampler.batchSize() - pos));
  }

  private static boolean[][] runSample(int[] match, TargetGraph.Sample sample, long seedValue) {
    try (TInt32 m = TInt32.tensorOf(Shape.of(match.length), DataBuffers.of(match, true, false));
        TInt64 s = TInt64.vectorOf(7, seedValue);
        Result r = session.runner().feed(matchIn, m).feed(seed, s).fetch(sample.positives())
            .fetch(sample.negatives()).run()) {
      boolean[][] out = new boolean[2][match.length];
      for (int k = 0; k < 2; k++) {
        TBool t = (TBool) r.get(k);
        for (int j = 0; j < match.length; j++) {
          out[k][j] = t.getBoolean(j);
        }
      }
      return out;
    }
  }

  private static int[] indices(boolean[] mask) {
    return java.util.stream.IntStream.range(0, mask.length).filter(j -> mask[j]).toArray();
  }

  private static int count(boolean[] mask) {
    return indices(mask).length;
  }

  /** Boxes on an integer grid inside 64x64, each at least 2 px a side. */
  private static List<CornerBox> randomBoxes(Random random, int n) {
    List<CornerBox> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int y = random.nextInt(50);
      int x = random.nextInt(50);
      out.add(new CornerBox(y, x, y + 2 + random.nextInt(14), x + 2 + random.nextInt(14)));
    }
    return out;
  }

  private static TFloat32 boxes(List<CornerBox> boxes) {
    return TFloat32.tensorOf(Shape.of(boxes.size(), 4), DataBuffers.of(CornerBox.flatten(boxes), true, false));
  }

  private static int[] read(TInt32 t, int n) {
    assertThat(t.shape()).isEqualTo(Shape.of(n));
    int[] out = new int[n];
    t.asRawTensor().data().asInts().read(out);
    return out;
  }

  private static float[] readFloats(TFloat32 t) {
    float[] out = new float[(int) t.shape().size()];
    t.asRawTensor().data().asFloats().read(out);
    return out;
  }

  private static void assertClose(float[] got, float[] expected, double tolerance, String what) {
    assertThat(got).as(what).hasSize(expected.length);
    for (int i = 0; i < got.length; i++) {
      assertThat((double) got[i]).as("%s[%s]", what, i).isCloseTo(expected[i],
          org.assertj.core.data.Offset.offset(tolerance));
    }
  }
}
