package dev.nasnet.search.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterNodeTest {
  @Test
  void loopbackMembersMeanALoopbackAddressAndNoMembersToo() {
    assertThat(ClusterNode.bindAddress(ClusterSettings.parse("127.0.0.1:5701,localhost:5702")).isLoopbackAddress())
        .isTrue();
    assertThat(ClusterNode.bindAddress(ClusterSettings.of(List.of())).isLoopbackAddress()).isTrue();
  }

  @Test
  void aRemoteMemberMeansTheInterfaceThatReachesIt() throws Exception {
    Optional<InetAddress> local = nonLoopbackAddress();
    assumeTrue(local.isPresent(), "this machine has a non-loopback IPv4 address");
    // A peer on the same network: the kernel routes to it from this interface.
    byte[] peer = local.get().getAddress().clone();
    peer[3] = (byte) (peer[3] == 1 ? 2 : 1);
    InetAddress chosen = ClusterNode.bindAddress(ClusterSettings.parse(InetAddress.getByAddress(peer)
        .getHostAddress() + ":5701"));
    assertThat(chosen).isEqualTo(local.get());
  }

  @Test
  void aBindAddressThatIsNotThisMachinesIsNamed() {
    assertThatThrownBy(() -> ClusterNode.bindAddress(ClusterSettings.of(List.of()).withBind("203.0.113.77")))
        .hasMessageStartingWith("--bind 203.0.113.77 is not an address of this machine");
  }

  @Test
  void withoutASecretANonLoopbackAddressIsRefusedUnlessInsecure() {
    Optional<InetAddress> local = nonLoopbackAddress();
    assumeTrue(local.isPresent(), "this machine has a non-loopback IPv4 address");
    ClusterSettings s = ClusterSettings.of(List.of()).withBind(local.get().getHostAddress())
        .withPort(LoopbackPorts.freeBlock(1));
    assertThatThrownBy(() -> ClusterNode.start(s, ClusterNode.WORKER, Map.of())).isInstanceOf(
        IllegalStateException.class).hasMessageStartingWith("no cluster secret: refusing to listen on "
            + local.get().getHostAddress()).hasMessageContaining("--cluster-secret-file FILE")
        .hasMessageContaining("--insecure");
  }

  @Test
  void aLoopbackMemberCannotBeReachedThroughAnotherInterface() throws Exception {
    Optional<InetAddress> local = nonLoopbackAddress();
    int port = LoopbackPorts.freeBlock(1);
    HazelcastInstance hz = ClusterNode.start(ClusterSettings.parse("127.0.0.1:" + port).withPort(port)
        .withName("bind-test-" + System.nanoTime()), ClusterNode.WORKER, Map.of());
    try {
      int actual = hz.getCluster().getLocalMember().getAddress().getPort();
      assertThat(hz.getCluster().getLocalMember().getAddress().getInetAddress().isLoopbackAddress()).isTrue();
      assertThat(connects(InetAddress.getLoopbackAddress(), actual)).isTrue();
      if (local.isPresent()) {
        assertThat(connects(local.get(), actual)).as("port %s reachable on %s", actual, local.get()).isFalse();
      }
    } finally {
      hz.shutdown();
    }
  }

  private static boolean connects(InetAddress a, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(a, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static Optional<InetAddress> nonLoopbackAddress() {
    try {
      for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (n.isUp() && !n.isLoopback()) {
          Optional<InetAddress> a = n.inetAddresses().filter(x -> x.getAddress().length == 4).findFirst();
          if (a.isPresent()) {
            return a;
          }
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}
