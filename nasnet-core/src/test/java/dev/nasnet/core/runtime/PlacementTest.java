package dev.nasnet.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class PlacementTest {
  @Test
  void countsTheOpsOfATracedRunByDeviceTypeAndOpType() {
    GraphSession.Built<Operand<TFloat32>> built = GraphSession.build(g -> {
      Ops tf = Ops.create(g);
      Operand<TFloat32> x = tf.placeholder(TFloat32.class);
      // Two different products: grappler would merge two identical ones into one.
      return tf.math.add(tf.linalg.matMul(x, x),
          tf.linalg.matMul(x, x, org.tensorflow.op.linalg.MatMul.transposeA(true)));
    });
    try (GraphSession gs = built.holder();
        TFloat32 x = TFloat32.tensorOf(org.tensorflow.ndarray.StdArrays.ndCopyOf(new float[][] {{1, 2}, {3, 4}}))) {
      Operand<TFloat32> sum = built.model();
      Operand<TFloat32> input = gs.graph().operation("Placeholder").output(0);
      Map<String, Map<String, Integer>> counts = Placement.count(gs.graph(), gs.session().runner().feed(input, x)
          .fetch(sum));
      assertThat(counts).containsOnlyKeys("CPU");
      // Kernel types as they ran: oneDNN builds call the product _MklMatMul.
      assertThat(counts.get("CPU").entrySet().stream().filter(e -> e.getKey().endsWith("MatMul"))
          .mapToInt(java.util.Map.Entry::getValue).sum()).isEqualTo(2);
      assertThat(counts.get("CPU")).containsEntry("Add", 1);
      assertThat(Placement.format(counts)).startsWith("CPU: ").contains("MatMul 2");
    }
    assertThat(StepTrace.deviceType("/job:localhost/replica:0/task:0/device:GPU:0/stream:12")).isEqualTo("GPU");
    assertThat(StepTrace.deviceType("/job:localhost/replica:0/task:0/device:CPU:0")).isEqualTo("CPU");
  }

  @Test
  void sessionOptionsBecomeTheConfigProto() {
    var proto = SessionOptions.defaults().withThreads(2, 3).withCpuDevices(4).withVisibleGpus("0,1")
        .withGpuMemory(false, 0.5).withLogPlacement(true).toConfigProto();
    assertThat(proto.getIntraOpParallelismThreads()).isEqualTo(2);
    assertThat(proto.getInterOpParallelismThreads()).isEqualTo(3);
    assertThat(proto.getDeviceCountMap()).containsEntry("CPU", 4);
    assertThat(proto.getGpuOptions().getVisibleDeviceList()).isEqualTo("0,1");
    assertThat(proto.getGpuOptions().getAllowGrowth()).isFalse();
    assertThat(proto.getGpuOptions().getPerProcessGpuMemoryFraction()).isEqualTo(0.5);
    assertThat(proto.getLogDevicePlacement()).isTrue();
    assertThatThrownBy(() -> SessionOptions.defaults().withVisibleGpus("first"))
        .hasMessageContaining("visible GPUs must be indices");
  }
}
