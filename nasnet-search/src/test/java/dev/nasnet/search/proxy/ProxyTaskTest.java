package dev.nasnet.search.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

class ProxyTaskTest {
  @Test
  void devicesRoundTripAndTasksSavedBeforeTheFieldReadAsOneDevice() {
    ProxyTask two = ProxyTask.fashionMnist().withDevices(2);
    assertThat(ProxyTask.fromJson(two.toJson())).isEqualTo(two);
    JsonObject old = ProxyTask.fashionMnist().toJson();
    old.remove("devices");
    assertThat(ProxyTask.fromJson(old).devices()).isEqualTo(1);
    assertThatThrownBy(() -> ProxyTask.fashionMnist().withTraining(2, 63, 0.05).withDevices(2))
        .hasMessageContaining("batch size 63 must divide evenly over 2 devices");
  }
}
