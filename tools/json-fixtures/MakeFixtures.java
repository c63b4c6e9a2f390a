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
