package dev.nasnet.core.inference;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/** Small helpers for rewriting a GraphDef: input names, consumers, pruning to what outputs need. */
final class GraphDefs {
  private GraphDefs() {}

  /** The node an input refers to: "conv" for "conv", "conv:1" and "^conv". */
  static String nodeOf(String input) {
    String s = input.startsWith("^") ? input.substring(1) : input;
    int colon = s.indexOf(':');
    return colon < 0 ? s : s.substring(0, colon);
  }

  /** The output index an input refers to: 0 for "conv" and "conv:0", 1 for "conv:1"; -1 for a control input. */
  static int outputOf(String input) {
    if (input.startsWith("^")) {
      return -1;
    }
    int colon = input.indexOf(':');
    return colon < 0 ? 0 : Integer.parseInt(input.substring(colon + 1));
  }

  /** Nodes by name. */
  static Map<String, NodeDef> byName(GraphDef graph) {
    Map<String, NodeDef> nodes = new HashMap<>();
    graph.getNodeList().forEach(n -> nodes.put(n.getName(), n));
    return nodes;
  }

  /** How many inputs of all nodes read each (node, output index), keyed "node:index"; control inputs not counted. */
  static Map<String, Integer> consumers(GraphDef graph) {
    Map<String, Integer> uses = new HashMap<>();
    for (NodeDef n : graph.getNodeList()) {
      for (String in : n.getInputList()) {
        if (outputOf(in) >= 0) {
          uses.merge(nodeOf(in) + ":" + outputOf(in), 1, Integer::sum);
        }
      }
    }
    return uses;
  }

  /** The nodes {@code outputs} depend on (data and control inputs), in the graph's order; the rest dropped. */
  static GraphDef prune(GraphDef graph, Set<String> outputs) {
    Map<String, NodeDef> nodes = byName(graph);
    Set<String> keep = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(outputs);
    while (!todo.isEmpty()) {
      String name = todo.pop();
      NodeDef n = nodes.get(name);
      if (n == null) {
        throw new IllegalArgumentException("the graph has no node '" + name + "'");
      }
      if (keep.add(name)) {
        n.getInputList().forEach(in -> todo.push(nodeOf(in)));
      }
    }
    GraphDef.Builder b = graph.toBuilder().clearNode();
    graph.getNodeList().stream().filter(n -> keep.contains(n.getName())).forEach(b::addNode);
    return b.build();
  }
}
