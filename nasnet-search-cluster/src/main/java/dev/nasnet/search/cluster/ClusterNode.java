package dev.nasnet.search.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.Map;

/**
 * Starts this JVM's Hazelcast member for a search: TCP/IP join on the given addresses only (no multicast, no cloud
 * discovery, no phone-home), fast failure detection, logging through SLF4J, and member attributes that say what the
 * member is (controller or worker), its library version, process id and resources.
 */
final class ClusterNode {
  static final String ROLE = "nasnet.role";
  static final String VERSION = "nasnet.version";
  static final String PID = "nasnet.pid";
  static final String SLOTS = "nasnet.slots";
  static final String GPUS = "nasnet.gpus";
  static final String CONTROLLER = "controller";
  static final String WORKER = "worker";

  // Names of the shared structures.
  static final String QUEUE = "nasnet.queue";
  static final String TICKETS = "nasnet.tickets";
  static final String LEASES = "nasnet.leases";
  static final String RESULTS = "nasnet.results";
  static final String CONTROL = "nasnet.control";

  private ClusterNode() {}

  static HazelcastInstance start(ClusterSettings s, String role, Map<String, String> attributes) {
    Config config = new Config();
    config.setClusterName(s.clusterName());
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    // A SIGKILLed member is declared dead within seconds, not the default minute.
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "8");
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    NetworkConfig net = config.getNetworkConfig();
    net.setPort(s.port()).setPortAutoIncrement(true).setPortCount(20);
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(s.members()).setConnectionTimeoutSeconds(3);
    config.getMemberAttributeConfig().setAttribute(ROLE, role);
    config.getMemberAttributeConfig().setAttribute(VERSION, NasNetVersion.current());
    config.getMemberAttributeConfig().setAttribute(PID, Long.toString(ProcessHandle.current().pid()));
    attributes.forEach((k, v) -> config.getMemberAttributeConfig().setAttribute(k, v));
    try {
      return Hazelcast.newHazelcastInstance(config);
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot start a cluster member on port " + s.port() + " to join "
          + s.members() + ": " + e.getMessage(), e);
    }
  }

  static String describe(Member m) {
    return m.getAddress().getHost() + ":" + m.getAddress().getPort() + " (pid " + m.getAttribute(PID) + ")";
  }

  static boolean isRole(Member m, String role) {
    return role.equals(m.getAttribute(ROLE));
  }
}
