package dev.nasnet.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CellSpecJsonTest {

  @Test
  void everyBuiltInCellRoundTripsAndTheTextIsStable() {
    for (CellSpec spec : List.of(Cells.nasnetANormal(), Cells.nasnetAReduction(), Cells.pnasnet5(),
        Cells.amoebaNetANormal(), Cells.amoebaNetAReduction())) {
      String json = CellSpecJson.toJson(spec);
      CellSpec back = CellSpecJson.fromJson(json);
      assertThat(back).isEqualTo(spec);
      assertThat(CellSpecJson.toJson(back)).isEqualTo(json);
    }
  }

  @Test
  void concatCombineRoundTrips() {
    CellSpec spec = CellSpec.builder("c").concat(0, "3x3", 1, "dil_conv_3x3").add(2, "none", 0, "1x7_7x1")
        .outputs(2, 3).build();
    assertThat(CellSpecJson.fromJson(CellSpecJson.toJson(spec))).isEqualTo(spec);
    assertThat(CellSpecJson.toJson(spec)).contains("\"combine\": \"concat\"").contains("\"format\": \"nasnet-cell/1\"");
  }

  @Test
  void outputsDefaultToUnconsumedStates() {
    CellSpec spec = CellSpecJson.fromJson("""
        {"name": "x", "blocks": [{"left": {"input": 0, "op": "none"}, "right": {"input": 1, "op": "1x1"}}]}""");
    assertThat(spec.outputs()).containsExactly(2);
    assertThat(spec.blocks().get(0).combine()).isEqualTo(Combine.ADD);
  }

  @Test
  void badJsonNamesThePath() {
    assertThatThrownBy(() -> CellSpecJson.fromJson("{\"name\": \"x\", \"blocks\": [{\"left\": {\"input\": 0}}]}"))
        .isInstanceOf(InvalidCellSpecException.class).hasMessageContaining("$.blocks[0].left: missing field 'op'");
    assertThatThrownBy(() -> CellSpecJson.fromJson("""
        {"name": "x", "blocks": [{"left": {"input": 0.5, "op": "none"}, "right": {"input": 1, "op": "none"}}]}"""))
        .hasMessageContaining("$.blocks[0].left.input: expected a whole number");
    assertThatThrownBy(() -> CellSpecJson.fromJson("""
        {"name": "x", "blocks": [{"left": {"input": 0, "op": "none"}, "right": {"input": 1, "op": "none"},
         "combine": "multiply"}]}""")).hasMessageContaining("$.blocks[0].combine: unknown combine op 'multiply'");
    assertThatThrownBy(() -> CellSpecJson.fromJson("{\"format\": \"other/2\", \"name\": \"x\", \"blocks\": []}"))
        .hasMessageContaining("unsupported cell format 'other/2'");
    assertThatThrownBy(() -> CellSpecJson.fromJson("{\"name\": ")).hasMessageContaining("not well-formed");
    assertThatThrownBy(() -> CellSpecJson.fromJson("""
        {"name": "x", "blocks": [{"left": {"input": 3, "op": "none"}, "right": {"input": 1, "op": "none"}}]}"""))
        .hasMessageContaining("block 0 (comb_iter_0), left branch: input 3 refers to a state not yet defined");
  }

  @Test
  void dotDrawsEveryBranchAndOutput() {
    String dot = CellSpecDot.toDot(Cells.nasnetAReduction());
    assertThat(dot).startsWith("digraph \"nasnet_a_reduction\" {").endsWith("}\n");
    assertThat(dot).contains("s3 -> b3_left;", "s2 -> b3_right;", "b3_left -> s5;", "s3 -> out;", "s6 -> out;")
        .doesNotContain("s2 -> out;");
    assertThat(dot.lines().filter(l -> l.contains("shape=box]")).count()).isEqualTo(10);
  }
}
