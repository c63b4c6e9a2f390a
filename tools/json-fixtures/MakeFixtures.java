// Writes the version-0.1 config files under nasnet-core/src/test/resources/json-0.1/ and
// nasnet-detection/src/test/resources/json-0.1/, which ConfigJsonCompatibilityTest and FasterRcnnConfigTest read to
// prove old files still load. It compiles only against 0.1's API (commit af78cbb), where NasNetConfig still held
// the training settings; run there with:
//   mvn -B -q compile -pl nasnet-core,nasnet-detection
//   mvn -B -q dependency:build-classpath -pl nasnet-detection -Dmdep.outputFile=/tmp/cp.txt
//   java -cp nasnet-core/target/classes:nasnet-detection/target/classes:$(cat /tmp/cp.txt) \
//       tools/json-fixtures/MakeFixtures.java /tmp/fixtures
import dev.nasnet.core.model.*;
import dev.nasnet.core.spec.*;
import dev.nasnet.detection.model.*;
import java.nio.file.*;
import java.util.List;
public class MakeFixtures {
  public static void main(String[] a) throws Exception {
    Path out = Path.of(a[0]);
    Files.createDirectories(out);
    Files.writeString(out.resolve("nasnet-config-mobile.json"), new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(NasNetConfigJson.toTree(NasNetConfig.mobile())));
    Files.writeString(out.resolve("nasnet-config-cifar-custom.json"), new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(NasNetConfigJson.toTree(NasNetConfig.cifar().toBuilder().name("custom").imageChannels(1).imageSize(28).notation(2, 96).dropPathKeepProb(0.8).weightDecay(1e-4).numClasses(7).seed(5).build())));
    Files.writeString(out.resolve("detector-shapes.json"), FasterRcnnConfigJson.toJson(FasterRcnnConfig.shapes(64, List.of(new dev.nasnet.detection.data.CocoCategory(1, "square", "shape"), new dev.nasnet.detection.data.CocoCategory(2, "disc", "shape")))));
  }
}
