package dev.nasnet.search.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts this JVM's Hazelcast member for a search: TCP/IP join on the given addresses only (no multicast, no cloud
 * discovery, no phone-home), fast failure detection, logging through SLF4J, and member attributes that say what the
 * member is (controller or worker), its library version, process id and resources. It listens on one address only,
 * the one given or the one that reaches the other members, and refuses a non-loopback address without a secret.
 */
final class ClusterNode {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
  static final String ROLE = "nasnet.role";
  static final String VERSION = "nasnet.version";
  static final String PID = "nasnet.pid";
  static final String SLOTS = "nasnet.slots";
  static final String GPUS = "nasnet.gpus";
  static final String CONTROLLER = "controller";
  static final String WORKER = "worker";

  // Names of the shared structures.
  /** Tickets waiting for a worker: a map a worker takes from with remove(), whose events name the writer. */
  static final String QUEUE = "nasnet.queue";
  static final String TICKETS = "nasnet.tickets";
  static final String LEASES = "nasnet.leases";
  static final String RESULTS = "nasnet.results";
  static final String CONTROL = "nasnet.control";

  private ClusterNode() {}

  static HazelcastInstance start(ClusterSettings s, String role, Map<String, String> attributes) {
    InetAddress bind = bindAddress(s);
    if (!s.secret().isPresent() && !bind.isLoopbackAddress()) {
      if (!s.insecure()) {
        throw new IllegalStateException("no cluster secret: refusing to listen on " + bind.getHostAddress() + ", where "
            + "anyone who reaches port " + s.port() + " could join, queue trials on every worker and forge results; "
            + "give every member --cluster-secret-file FILE (or " + ClusterSecret.ENVIRONMENT + "=FILE), or "
            + "--insecure on a network you trust");
      }
      LOG.warn("no cluster secret and --insecure: anyone who reaches {}:{} can join this cluster and run code on "
          + "its workers", bind.getHostAddress(), s.port());
    }
    Config config = new Config();
    config.setClusterName(s.hazelcastClusterName());
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    // A SIGKILLed member is declared dead within seconds, not the default minute.
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "8");
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    // A joined member could offer a serialised Java object instead of a string: Hazelcast's filter keeps the known
    // deserialisation gadgets out.
    config.getSerializationConfig().setJavaSerializationFilterConfig(new JavaSerializationFilterConfig());
    // Listen on the chosen address only, not on every interface.
    config.setProperty("hazelcast.socket.bind.any", "false");
    NetworkConfig net = config.getNetworkConfig();
    net.setPort(s.port()).setPortAutoIncrement(true).setPortCount(20);
    net.getInterfaces().setEnabled(true).addInterface(bind.getHostAddress());
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(s.members()).setConnectionTimeoutSeconds(3);
    config.getMemberAttributeConfig().setAttribute(ROLE, role);
    config.getMemberAttributeConfig().setAttribute(VERSION, NasNetVersion.current());
    config.getMemberAttributeConfig().setAttribute(PID, Long.toString(ProcessHandle.current().pid()));
    attributes.forEach((k, v) -> config.getMemberAttributeConfig().setAttribute(k, v));
    HazelcastInstance hz;
    try {
      hz = Hazelcast.newHazelcastInstance(config);
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot start a cluster member on " + bind.getHostAddress() + ":" + s.port()
          + " to join " + s.members() + ": " + e.getMessage(), e);
    }
    LOG.info("{} listens on {}:{} only ({}; {})", role, bind.getHostAddress(),
        hz.getCluster().getLocalMember().getAddress().getPort(), s.bind().isPresent() ? "--bind"
            : s.members().isEmpty() ? "no --cluster addresses: loopback" : "the interface that reaches "
                + String.join(",", s.members()), s.secret().isPresent() ? "tickets and results signed"
                    : "no cluster secret");
    return hz;
  }

  /**
   * The address to listen on: the one given, else the local address that routes to the members (loopback when they
   * are all loopback, or when there are none).
   */
  static InetAddress bindAddress(ClusterSettings s) {
    if (s.bind().isPresent()) {
      InetAddress a = resolve(s.bind().get(), "--bind");
      try {
        if (!a.isLoopbackAddress() && NetworkInterface.getByInetAddress(a) == null) {
          throw new IllegalArgumentException("--bind " + s.bind().get() + " is not an address of this machine "
              + "(its addresses: " + localAddresses() + ")");
        }
      } catch (SocketException e) {
        throw new UncheckedIOException("cannot list this machine's network interfaces", e);
      }
      return a;
    }
    Set<InetAddress> chosen = new LinkedHashSet<>();
    for (String m : s.members()) {
      InetAddress peer = resolve(m.split(":")[0], "cluster member " + m);
      chosen.add(peer.isLoopbackAddress() ? InetAddress.getLoopbackAddress() : routeTo(peer, m));
    }
    if (chosen.isEmpty()) {
      return InetAddress.getLoopbackAddress();
    }
    // Members on this machine and elsewhere: what reaches the others is what matters.
    List<InetAddress> remote = chosen.stream().filter(a -> !a.isLoopbackAddress()).toList();
    if (remote.size() > 1) {
      throw new IllegalArgumentException("the cluster members " + s.members() + " are reached through different "
          + "interfaces " + remote + "; choose one with --bind ADDR");
    }
    return remote.isEmpty() ? InetAddress.getLoopbackAddress() : remote.get(0);
  }

  /** The local address the kernel would send from to reach {@code peer}: no packet is sent. */
  private static InetAddress routeTo(InetAddress peer, String member) {
    try (DatagramSocket probe = new DatagramSocket()) {
      probe.connect(new InetSocketAddress(peer, 9));
      InetAddress local = probe.getLocalAddress();
      if (local == null || local.isAnyLocalAddress()) {
        throw new IllegalArgumentException("no route from this machine to cluster member " + member
            + "; give the address to listen on with --bind ADDR");
      }
      return local;
    } catch (IOException e) {
      throw new IllegalArgumentException("no route from this machine to cluster member " + member + " ("
          + e.getMessage() + "); give the address to listen on with --bind ADDR", e);
    }
  }

  private static InetAddress resolve(String host, String what) {
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(what + ": unknown host " + host, e);
    }
  }

  private static List<String> localAddresses() throws SocketException {
    List<String> out = new ArrayList<>();
    for (NetworkInterface n : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
      n.inetAddresses().forEach(a -> out.add(a.getHostAddress()));
    }
    return out;
  }

  static String describe(Member m) {
    return m.getAddress().getHost() + ":" + m.getAddress().getPort() + " (pid " + m.getAttribute(PID) + ")";
  }

  /** A worker's advertised slots; what another member wrote there is not trusted to be a number. */
  static int slots(Member m) {
    try {
      return Math.max(0, Math.min(1024, Integer.parseInt(m.getAttribute(SLOTS))));
    } catch (RuntimeException e) {
      return 0;
    }
  }

  static boolean isRole(Member m, String role) {
    return role.equals(m.getAttribute(ROLE));
  }
}
