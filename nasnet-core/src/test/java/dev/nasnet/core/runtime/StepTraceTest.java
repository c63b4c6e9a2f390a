package dev.nasnet.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class StepTraceTest {
  @Test
  void timesEveryKernelOfATracedRunUnderItsOpType() {
    GraphSession.Built<Operand<TFloat32>> built = GraphSession.build(g -> {
      Ops tf = Ops.create(g);
      Operand<TFloat32> x = tf.placeholder(TFloat32.class);
      return tf.math.tanh(tf.math.add(tf.linalg.matMul(x, x),
          tf.linalg.matMul(x, x, org.tensorflow.op.linalg.MatMul.transposeA(true))));
    });
    try (GraphSession gs = built.holder(); TFloat32 x = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(64, 64))) {
      Operand<TFloat32> input = gs.graph().operation("Placeholder").output(0);
      StepTrace trace = StepTrace.run(gs.session().runner().feed(input, x).fetch(built.model()));
      List<StepTrace.OpTypeTime> times = trace.timeByOpType();
      // Kernel types as they ran: oneDNN builds call the product _MklMatMul.
      assertThat(times).extracting(StepTrace.OpTypeTime::opType).contains("Tanh")
          .anySatisfy(t -> assertThat(t).endsWith("MatMul"));
      assertThat(times.stream().filter(t -> t.opType().endsWith("MatMul")).mapToInt(StepTrace.OpTypeTime::count)
          .sum()).isEqualTo(2);
      // Sorted by time, the most expensive first.
      for (int i = 1; i < times.size(); i++) {
        assertThat(times.get(i).micros()).isLessThanOrEqualTo(times.get(i - 1).micros());
      }
      assertThat(trace.nodes()).allSatisfy(n -> assertThat(n.device()).isEqualTo("CPU"));
      assertThat(trace.formatTimeByOpType(2)).startsWith("kernel time ").contains(times.get(0).opType())
          .doesNotContain(times.get(times.size() - 1).opType());
    }
  }

  @Test
  void readsTheOpTypeFromATimelineLabel() {
    assertThat(StepTrace.opType("cell_0/conv/Conv2D = _FusedConv2D(x, w, b)")).isEqualTo("_FusedConv2D");
    assertThat(StepTrace.opType("retval = _Retval()")).isEqualTo("_Retval");
    assertThat(StepTrace.opType("_SOURCE")).isNull();
  }
}
