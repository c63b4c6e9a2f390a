package dev.nasnet.core.spec;

/**
 * Renders a cell as a Graphviz DOT digraph: the two inputs, one node per branch op, one per combine, and the output
 * concat. {@code dot -Tpng cell.dot -o cell.png} draws it.
 */
public final class CellSpecDot {
  private CellSpecDot() {}

  public static String toDot(CellSpec spec) {
    StringBuilder dot = new StringBuilder();
    dot.append("digraph \"").append(escape(spec.name())).append("\" {\n");
    dot.append("  rankdir=TB;\n  node [fontname=\"Helvetica\", fontsize=11];\n");
    dot.append("  label=\"").append(escape(spec.name())).append("\"; labelloc=t;\n");
    dot.append("  s0 [label=\"h_i (current)\", shape=box, style=filled, fillcolor=\"#c6dbef\"];\n");
    dot.append("  s1 [label=\"h_i-1 (previous)\", shape=box, style=filled, fillcolor=\"#c6dbef\"];\n");
    for (int k = 0; k < spec.blocks().size(); k++) {
      Block b = spec.blocks().get(k);
      int state = CellSpec.INPUT_STATES + k;
      appendBranch(dot, k, "left", b.left());
      appendBranch(dot, k, "right", b.right());
      dot.append("  s").append(state).append(" [label=\"").append(b.combine() == Combine.ADD ? "add" : "concat")
          .append("\\nstate ").append(state).append("\", shape=circle, style=filled, fillcolor=\"#fdd0a2\"];\n");
      dot.append("  b").append(k).append("_left -> s").append(state).append(";\n");
      dot.append("  b").append(k).append("_right -> s").append(state).append(";\n");
    }
    dot.append("  out [label=\"concat\", shape=box, style=filled, fillcolor=\"#c7e9c0\"];\n");
    for (int s : spec.outputs()) {
      dot.append("  s").append(s).append(" -> out;\n");
    }
    dot.append("}\n");
    return dot.toString();
  }

  private static void appendBranch(StringBuilder dot, int block, String side, Branch branch) {
    String id = "b" + block + "_" + side;
    dot.append("  ").append(id).append(" [label=\"").append(escape(branch.op())).append("\", shape=box];\n");
    dot.append("  s").append(branch.input()).append(" -> ").append(id).append(";\n");
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
