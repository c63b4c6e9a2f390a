package dev.nasnet.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CellSpecTest {

  @Test
  void nasnetAFollowsSlimLists() {
    CellSpec normal = Cells.nasnetANormal();
    assertThat(normal.blocks()).hasSize(5);
    assertThat(normal.blocks().get(0)).isEqualTo(Block.add(0, "separable_5x5_2", 1, "separable_3x3_2"));
    assertThat(normal.outputs()).containsExactly(1, 2, 3, 4, 5, 6);
    CellSpec reduction = Cells.nasnetAReduction();
    assertThat(reduction.blocks().get(3)).isEqualTo(Block.add(3, "none", 2, "avg_pool_3x3"));
    // State 3 is read by block 3 and still concatenated: the explicit list, not the derived rule.
    assertThat(reduction.outputs()).containsExactly(3, 4, 5, 6);
    assertThat(CellSpec.unconsumedStates(reduction.blocks())).containsExactly(4, 5, 6);
    assertThat(Cells.pnasnet5().outputs()).containsExactly(2, 3, 4, 5, 6);
    assertThat(Cells.amoebaNetANormal().outputs()).containsExactly(1, 3, 4, 6);
  }

  @Test
  void builderDerivesUnconsumedOutputsByDefault() {
    CellSpec spec = CellSpec.builder("mine").add(0, "none", 1, "max_pool_3x3").concat(2, "separable_3x3_2", 0, "1x1")
        .build();
    assertThat(spec.outputs()).containsExactly(3);
    assertThat(spec.blocks().get(1).combine()).isEqualTo(Combine.CONCAT);
    assertThat(spec.opNames()).containsExactly("1x1", "max_pool_3x3", "none", "separable_3x3_2");
  }

  @Test
  void referenceToAStateNotYetDefinedNamesBlockAndSide() {
    assertThatThrownBy(() -> CellSpec.builder("bad").add(0, "none", 1, "none").add(4, "none", 0, "none").build())
        .isInstanceOf(InvalidCellSpecException.class)
        .hasMessageContaining("cell 'bad', block 1 (comb_iter_1), left branch: input 4 refers to a state not yet "
            + "defined; block 1 can read states 0..2");
    assertThatThrownBy(() -> CellSpec.builder("neg").add(0, "none", -1, "none").build())
        .hasMessageContaining("block 0 (comb_iter_0), right branch: input -1");
  }

  @Test
  void structuralErrors() {
    assertThatThrownBy(() -> new CellSpec("empty", List.of(), List.of(0)))
        .isInstanceOf(InvalidCellSpecException.class).hasMessageContaining("zero blocks");
    assertThatThrownBy(() -> new CellSpec("noout", List.of(Block.add(0, "none", 1, "none")), List.of()))
        .hasMessageContaining("empty output list");
    assertThatThrownBy(() -> new CellSpec("dup", List.of(Block.add(0, "none", 1, "none")), List.of(2, 1, 2)))
        .hasMessageContaining("output 2: state 2 is listed twice");
    assertThatThrownBy(() -> new CellSpec("far", List.of(Block.add(0, "none", 1, "none")), List.of(3)))
        .hasMessageContaining("state 3 does not exist; states are 0..2");
    assertThatThrownBy(() -> CellSpec.builder("space").add(0, "sep 3x3", 1, "none").build())
        .hasMessageContaining("op name 'sep 3x3' is not a valid op name");
  }

  @Test
  void unknownOpNamesBlockAndSide() {
    CellSpec spec = CellSpec.builder("mine").add(0, "none", 1, "separable_9x9_2").build();
    assertThatThrownBy(() -> spec.requireKnownOps(java.util.Set.copyOf(OpNames.PAPER_OPS)))
        .isInstanceOf(InvalidCellSpecException.class)
        .hasMessageContaining("cell 'mine', block 0 (comb_iter_0), right branch: op 'separable_9x9_2' is not a known op");
  }

  @Test
  void slimListsAreChecked() {
    assertThatThrownBy(() -> CellSpec.fromSlimLists("x", List.of("none", "none"), List.of(0, 1), List.of(1, 1)))
        .hasMessageContaining("used mask needs 3 entries");
  }
}
