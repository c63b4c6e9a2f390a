package dev.nasnet.search.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nasnet.search.MacroTrial;
import dev.nasnet.search.proxy.ProxyTaskTrial;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrialClassAllowListTest {
  @Test
  void theLibrarysTrialsAndThoseRegisteredAsServicesAreAllowed() {
    TrialClassAllowList list = TrialClassAllowList.registeredPlus(List.of());
    assertThat(list.names()).contains(ProxyTaskTrial.class.getName(), MacroTrial.class.getName())
        .doesNotContain(Tripwire.class.getName());
    assertThat(list.check(MacroTrial.class.getName())).isEqualTo(MacroTrial.class);
  }

  @Test
  void aClassOffTheListIsRefusedByNameAndNotInitialised() {
    TrialClassAllowList list = TrialClassAllowList.registeredPlus(List.of());
    assertThatThrownBy(() -> list.check("java.lang.Runtime")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("trial class java.lang.Runtime is not on this worker's allow-list")
        .hasMessageContaining("--trial-class java.lang.Runtime");
    assertThatThrownBy(() -> list.check(Tripwire.class.getName()))
        .hasMessageStartingWith("trial class dev.nasnet.search.cluster.Tripwire is not on this worker's allow-list");
    assertThatThrownBy(() -> list.check(null)).hasMessageStartingWith("trial class null is not on");
    assertThat(System.getProperty("nasnet.tripwire")).isNull();
  }

  @Test
  void aClassAddedByNameIsLoadedWithoutRunningItsStaticInitialiser() {
    TrialClassAllowList list = TrialClassAllowList.registeredPlus(List.of("dev.nasnet.search.cluster.Tripwire"));
    assertThat(list.check("dev.nasnet.search.cluster.Tripwire").getName()).isEqualTo(Tripwire.class.getName());
    assertThat(System.getProperty("nasnet.tripwire")).isNull();
    assertThatThrownBy(() -> TrialClassAllowList.registeredPlus(List.of("dev.nasnet.search.cluster.NotATrial")))
        .hasMessage("trial class dev.nasnet.search.cluster.NotATrial does not implement "
            + "dev.nasnet.search.trial.PortableTrial");
    assertThat(System.getProperty("nasnet.notatrial")).isNull();
    assertThatThrownBy(() -> TrialClassAllowList.registeredPlus(List.of("com.example.Typo")))
        .hasMessage("trial class com.example.Typo is not on this worker's class path");
  }
}
