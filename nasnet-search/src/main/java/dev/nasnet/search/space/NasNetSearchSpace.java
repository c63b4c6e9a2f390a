package dev.nasnet.search.space;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.nasnet.core.spec.Block;
import dev.nasnet.core.spec.Branch;
import dev.nasnet.core.spec.CellSpec;
import dev.nasnet.core.spec.Combine;
import dev.nasnet.core.spec.OpNames;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The NASNet search space (paper §3): per cell B blocks of five decisions (left input, right input, left op, right
 * op, combine), the normal cell first, then the reduction cell. Inputs of block k range over the cell's two inputs
 * and blocks 0..k-1. Decoded cells output every state no block consumes, the paper's rule.
 *
 * <p>Mutation is regularized evolution's: pick a cell, a block, a branch, then either rewire its input (hidden-state
 * mutation) or replace its op (op mutation).
 */
public final class NasNetSearchSpace implements SearchSpace<NasNetArchitecture> {
  private static final int PER_BLOCK = 5;

  private final int blocks;
  private final ImmutableList<String> ops;
  private final ImmutableList<Combine> combines;
  private final boolean searchReduction;

  private NasNetSearchSpace(int blocks, List<String> ops, List<Combine> combines, boolean searchReduction) {
    Preconditions.checkArgument(blocks > 0, "blocks per cell must be positive, got %s", blocks);
    Preconditions.checkArgument(!ops.isEmpty(), "the op set is empty");
    Preconditions.checkArgument(!combines.isEmpty(), "the combine set is empty");
    this.blocks = blocks;
    this.ops = ImmutableList.copyOf(ops);
    this.combines = ImmutableList.copyOf(combines);
    this.searchReduction = searchReduction;
  }

  /** The paper's space: B = 5, the 13 ops, add or concat, both cells (50 decisions). */
  public static NasNetSearchSpace paper() {
    return new NasNetSearchSpace(5, OpNames.PAPER_OPS, List.of(Combine.ADD, Combine.CONCAT), true);
  }

  public static NasNetSearchSpace of(int blocks, List<String> ops, List<Combine> combines, boolean searchReduction) {
    return new NasNetSearchSpace(blocks, ops, combines, searchReduction);
  }

  public int blocks() {
    return blocks;
  }

  public ImmutableList<String> ops() {
    return ops;
  }

  public ImmutableList<Combine> combines() {
    return combines;
  }

  /** Whether the reduction cell is searched too (otherwise only the normal cell is). */
  public boolean searchesReduction() {
    return searchReduction;
  }

  /** The space's settings as JSON, so a trial in another JVM can rebuild it: {@link #fromJson}. */
  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("blocks", blocks);
    JsonArray opArray = new JsonArray();
    ops.forEach(opArray::add);
    o.add("ops", opArray);
    JsonArray combineArray = new JsonArray();
    combines.forEach(c -> combineArray.add(c.jsonName()));
    o.add("combines", combineArray);
    o.addProperty("searchReduction", searchReduction);
    return o;
  }

  public static NasNetSearchSpace fromJson(JsonObject o) {
    try {
      List<String> opList = new ArrayList<>();
      o.getAsJsonArray("ops").forEach(e -> opList.add(e.getAsString()));
      List<Combine> combineList = new ArrayList<>();
      o.getAsJsonArray("combines").forEach(e -> combineList.add(Combine.fromJsonName(e.getAsString())));
      return new NasNetSearchSpace(o.get("blocks").getAsInt(), opList, combineList,
          o.get("searchReduction").getAsBoolean());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a NASNet search space: " + o + " (" + e.getMessage() + ")", e);
    }
  }

  @Override
  public int length() {
    return (searchReduction ? 2 : 1) * blocks * PER_BLOCK;
  }

  @Override
  public int choices(int position, int[] prefix) {
    int k = (position % (blocks * PER_BLOCK)) / PER_BLOCK;
    return switch (position % PER_BLOCK) {
      case 0, 1 -> CellSpec.INPUT_STATES + k;
      case 2, 3 -> ops.size();
      default -> combines.size();
    };
  }

  @Override
  public String describe(int position) {
    String cell = position < blocks * PER_BLOCK ? "normal" : "reduction";
    int k = (position % (blocks * PER_BLOCK)) / PER_BLOCK;
    String what = switch (position % PER_BLOCK) {
      case 0 -> "left input";
      case 1 -> "right input";
      case 2 -> "left op";
      case 3 -> "right op";
      default -> "combine";
    };
    return cell + " cell, block " + k + ", " + what;
  }

  @Override
  public NasNetArchitecture decode(int[] d) {
    validate(d);
    CellSpec normal = cell("searched_normal", d, 0);
    CellSpec reduction = searchReduction ? cell("searched_reduction", d, blocks * PER_BLOCK) : null;
    return new NasNetArchitecture(normal, reduction);
  }

  private CellSpec cell(String name, int[] d, int offset) {
    List<Block> list = new ArrayList<>();
    for (int k = 0; k < blocks; k++) {
      int o = offset + k * PER_BLOCK;
      list.add(new Block(Branch.of(d[o], ops.get(d[o + 2])), Branch.of(d[o + 1], ops.get(d[o + 3])),
          combines.get(d[o + 4])));
    }
    return new CellSpec(name, list, CellSpec.unconsumedStates(list));
  }

  /**
   * A hash that ignores the order of a block's two branches under add (a + b = b + a) and blocks that do not reach
   * the output, so isomorphic cells collide.
   */
  @Override
  public String description() {
    return "nasnet(blocks=" + blocks + ", ops=" + ops + ", combines=" + combines + ", reduction="
        + (searchReduction ? "searched" : "NASNet-A") + ")";
  }

  @Override
  public String canonicalHash(int[] d) {
    StringBuilder sb = new StringBuilder();
    for (int c = 0; c < (searchReduction ? 2 : 1); c++) {
      int offset = c * blocks * PER_BLOCK;
      String[] canon = new String[CellSpec.INPUT_STATES + blocks];
      canon[0] = "h0";
      canon[1] = "h1";
      List<Integer> outputs = new ArrayList<>();
      boolean[] consumed = new boolean[canon.length];
      for (int k = 0; k < blocks; k++) {
        int o = offset + k * PER_BLOCK;
        String left = ops.get(d[o + 2]) + "(" + canon[d[o]] + ")";
        String right = ops.get(d[o + 3]) + "(" + canon[d[o + 1]] + ")";
        Combine comb = combines.get(d[o + 4]);
        if (comb == Combine.ADD && left.compareTo(right) > 0) {
          String t = left;
          left = right;
          right = t;
        }
        canon[CellSpec.INPUT_STATES + k] = comb.jsonName() + "[" + left + "," + right + "]";
        consumed[d[o]] = true;
        consumed[d[o + 1]] = true;
      }
      for (int s = 0; s < canon.length; s++) {
        if (!consumed[s]) {
          outputs.add(s);
        }
      }
      TreeSet<String> out = new TreeSet<>();
      outputs.forEach(s -> out.add(canon[s]));
      sb.append(c == 0 ? "N" : "|R").append(out);
    }
    return sb.toString();
  }

  @Override
  public int[] mutate(int[] parent, SplittableRandom random) {
    int[] child = parent.clone();
    int cell = searchReduction ? random.nextInt(2) : 0;
    int k = random.nextInt(blocks);
    int side = random.nextInt(2);
    int base = cell * blocks * PER_BLOCK + k * PER_BLOCK;
    boolean hiddenState = random.nextBoolean();
    int position = hiddenState ? base + side : base + 2 + side;
    int n = choices(position, child);
    if (n < 2) {
      position = base + 2 + side;
      n = choices(position, child);
    }
    if (n >= 2) {
      int v = random.nextInt(n - 1);
      child[position] = v >= parent[position] ? v + 1 : v;
    }
    return child;
  }
}
