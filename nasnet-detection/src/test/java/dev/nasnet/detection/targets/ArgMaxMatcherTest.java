package dev.nasnet.detection.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nasnet.detection.boxes.CornerBox;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArgMaxMatcherTest {

  private static final int U = Match.UNMATCHED;
  private static final int I = Match.IGNORED;

  @Test
  void presetsCarryTheReferenceThresholds() {
    assertThat(ArgMaxMatcher.rpn()).isEqualTo(new ArgMaxMatcher(0.7, 0.3, true, true));
    assertThat(ArgMaxMatcher.secondStage()).isEqualTo(new ArgMaxMatcher(0.5, 0.5, true, false));
  }

  @Test
  void rpnThresholdBands() {
    double[][] sim = {
        {0.8, 0.5, 0.2, 0.1, 0.0, 0.7, 0.3},
        {0.1, 0.65, 0.25, 0.75, 0.31, 0.0, 0.29}};
    Match m = new ArgMaxMatcher(0.7, 0.3, true, false).match(sim, 7);
    // 0.8 -> row 0; 0.65 ignored; 0.25 negative; 0.75 -> row 1; 0.31 ignored; exactly 0.7 matches; exactly 0.3 ignored.
    assertThat(m.columnToRow().asList()).containsExactly(0, I, U, 1, I, 0, I);
    assertThat(m.matchedColumns().asList()).containsExactly(0, 3, 5);
    assertThat(m.unmatchedColumns().asList()).containsExactly(2);
    assertThat(m.ignoredColumns().asList()).containsExactly(1, 4, 6);
    assertThat(m.matchedRow(3)).isEqualTo(1);
    assertThatThrownBy(() -> m.matchedRow(2)).hasMessageContaining("column 2");
    // Each row's best column is already matched to it, so forcing changes nothing here.
    assertThat(ArgMaxMatcher.rpn().match(sim, 7)).isEqualTo(m);
  }

  @Test
  void forceMatchGivesEveryGroundTruthItsBestAnchor() {
    // Row 0's best IoU is only 0.2 (column 0), below the negative threshold.
    double[][] sim = {{0.2, 0.1, 0.0}, {0.1, 0.9, 0.1}};
    assertThat(new ArgMaxMatcher(0.7, 0.3, true, false).match(sim, 3).columnToRow().asList())
        .containsExactly(U, 1, U);
    assertThat(ArgMaxMatcher.rpn().match(sim, 3).columnToRow().asList()).containsExactly(0, 1, U);
  }

  @Test
  void forcedMatchOverridesTheArgmaxAndTheLowerRowWinsAConflict() {
    // Both rows prefer column 0; row 1 owns it by argmax (0.9) but row 0 forces it and, as the lower row, wins.
    double[][] sim = {{0.2, 0.1, 0.0}, {0.9, 0.4, 0.1}};
    assertThat(new ArgMaxMatcher(0.7, 0.3, true, false).match(sim, 3).columnToRow().asList())
        .containsExactly(1, I, U);
    assertThat(ArgMaxMatcher.rpn().match(sim, 3).columnToRow().asList()).containsExactly(0, I, U);
  }

  @Test
  void secondStageHasNoIgnoreBand() {
    double[][] sim = {{0.49, 0.5, 0.0, 0.3}, {0.1, 0.2, 0.0, 0.6}};
    Match m = ArgMaxMatcher.secondStage().match(sim, 4);
    assertThat(m.columnToRow().asList()).containsExactly(U, 0, U, 1);
    assertThat(m.ignoredColumns().asList()).isEmpty();
  }

  @Test
  void swappedBandsWhenNegativesAreBetweenTheThresholds() {
    double[][] sim = {{0.8, 0.5, 0.1}};
    assertThat(new ArgMaxMatcher(0.7, 0.3, false, false).match(sim, 3).columnToRow().asList())
        .containsExactly(0, U, I);
  }

  @Test
  void tiesGoToTheLowerRow() {
    double[][] sim = {{0.6, 0.8}, {0.6, 0.8}};
    assertThat(ArgMaxMatcher.secondStage().match(sim, 2).columnToRow().asList()).containsExactly(0, 0);
  }

  @Test
  void imageWithoutGroundTruthIsAllNegatives() {
    assertThat(ArgMaxMatcher.rpn().match(new double[0][], 4).columnToRow().asList()).containsExactly(U, U, U, U);
    assertThat(ArgMaxMatcher.rpn().matchByIou(List.of(), List.of(new CornerBox(0, 0, 1, 1))).columnToRow().asList())
        .containsExactly(U);
  }

  @Test
  void matchByIouUsesGroundTruthAsRows() {
    List<CornerBox> gt = List.of(new CornerBox(0, 0, 10, 10), new CornerBox(20, 20, 30, 30));
    List<CornerBox> anchors = List.of(new CornerBox(20, 20, 30, 31), new CornerBox(0, 0, 10, 10),
        new CornerBox(0, 5, 10, 15), new CornerBox(100, 100, 110, 110));
    // IoUs: 100/110 = 0.91 with GT 1; 1.0 with GT 0; 50/150 = 0.33 (ignored); 0 (negative).
    assertThat(ArgMaxMatcher.rpn().matchByIou(gt, anchors).columnToRow().asList()).containsExactly(1, 0, I, U);
  }

  @Test
  void rejectsInconsistentInput() {
    assertThatThrownBy(() -> new ArgMaxMatcher(0.3, 0.7, true, false)).hasMessageContaining("0.7")
        .hasMessageContaining("0.3");
    assertThatThrownBy(() -> new ArgMaxMatcher(0.5, 0.5, false, false)).hasMessageContaining("equal");
    assertThatThrownBy(() -> ArgMaxMatcher.rpn().match(new double[][] {{0.1, 0.2}, {0.3}}, 2))
        .hasMessageContaining("row 1 has 1 columns, expected 2");
  }
}
