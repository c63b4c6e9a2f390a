package dev.nasnet.core.checkpoint;

import dev.nasnet.core.runtime.GraphSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * Writes named tensors as a TensorFlow V2 checkpoint with TF's own SaveV2 kernel, under any names the caller picks.
 * Files are written under a temporary prefix and moved into place data first, index last, so a crash mid-write
 * never leaves a readable but broken checkpoint at {@code prefix}.
 */
public final class CheckpointWriter {
  private CheckpointWriter() {}

  /** One placeholder per tensor, in name order, and the SaveV2 op writing them. */
  private record SaveOps(List<Placeholder<?>> placeholders, org.tensorflow.op.train.Save save) {}

  /** Writes {@code tensors} (name to value; the caller keeps ownership) to {@code prefix}. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static void write(Path prefix, Map<String, ? extends Tensor> tensors) {
    Path dir = prefix.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new CheckpointException("cannot create directory " + dir + " for checkpoint '" + prefix + "'", e);
    }
    String tmpName = prefix.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    Path tmp = dir.resolve(tmpName);
    List<String> names = new ArrayList<>(tensors.keySet());
    try {
      GraphSession.Built<SaveOps> built = GraphSession.build(g -> {
        Ops tf = Ops.create(g);
        List<Placeholder<?>> placeholders = new ArrayList<>();
        for (String name : names) {
          Tensor t = tensors.get(name);
          placeholders.add(tf.placeholder((Class<TType>) ((TType) t).type()));
        }
        String[] empty = new String[names.size()];
        java.util.Arrays.fill(empty, "");
        return new SaveOps(placeholders, tf.train.save(tf.constant(tmp.toString()),
            tf.constant(NdArrays.vectorOfObjects(names.toArray(new String[0]))),
            tf.constant(NdArrays.vectorOfObjects(empty)), new ArrayList<Operand<?>>(placeholders)));
      });
      try (GraphSession gs = built.holder()) {
        Session.Runner runner = gs.session().runner();
        for (int i = 0; i < names.size(); i++) {
          runner.feed(built.model().placeholders().get(i), tensors.get(names.get(i)));
        }
        runner.addTarget(built.model().save()).run();
      }
      moveIntoPlace(tmp, prefix);
    } catch (RuntimeException e) {
      deleteQuietly(dir, tmpName);
      if (e instanceof CheckpointException) {
        throw e;
      }
      throw new CheckpointException("cannot write checkpoint '" + prefix + "': " + e.getMessage(), e);
    }
  }

  private static void moveIntoPlace(Path tmp, Path prefix) {
    Path dir = tmp.getParent();
    String from = tmp.getFileName().toString();
    String to = prefix.getFileName().toString();
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> data = files.filter(p -> p.getFileName().toString().startsWith(from + ".data-")).toList();
      // Durable before visible: a power cut after the rename must not publish files whose bytes never hit the disk.
      for (Path d : data) {
        Durable.fsync(d);
      }
      Durable.fsync(dir.resolve(from + ".index"));
      for (Path d : data) {
        String suffix = d.getFileName().toString().substring(from.length());
        Files.move(d, dir.resolve(to + suffix), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(dir.resolve(from + ".index"), dir.resolve(to + ".index"), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      Durable.fsyncDirectory(dir);
    } catch (IOException e) {
      throw new CheckpointException("cannot move checkpoint files into place at '" + prefix + "': " + e, e);
    }
  }

  private static void deleteQuietly(Path dir, String tmpName) {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(f -> f.getFileName().toString().startsWith(tmpName)).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException ignored) {
      // Best effort: leftovers carry a .tmp- name no reader looks for.
    }
  }
}
