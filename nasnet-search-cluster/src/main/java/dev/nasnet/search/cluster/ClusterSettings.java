package dev.nasnet.search.cluster;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * How the search controller and its workers find each other: a cluster name (one search per name), the member
 * addresses to join by TCP/IP (no multicast), the port this member listens on, how long a worker may go without a
 * heartbeat before its trial is taken back, and how many times a trial is re-run after its worker is lost.
 *
 * @param members {@code host:port} addresses of members to join (the controller's, at least)
 * @param port the port this member binds (the next free one is taken if it is busy)
 * @param leaseTimeout silence after which a running trial's worker is presumed dead
 * @param retries how many times a trial lost with its worker is queued again before it counts as failed
 */
public record ClusterSettings(String clusterName, ImmutableList<String> members, int port, Duration leaseTimeout,
    int retries) {
  public static final int DEFAULT_PORT = 5701;

  public ClusterSettings {
    Preconditions.checkArgument(clusterName != null && !clusterName.isBlank(), "cluster name must not be empty");
    members = ImmutableList.copyOf(members);
    for (String m : members) {
      Preconditions.checkArgument(m.matches("[^:\\s]+(:\\d{1,5})?"), "cluster member '%s' is not HOST or HOST:PORT", m);
    }
    Preconditions.checkArgument(port > 0 && port < 65536, "port must be in 1..65535, got %s", port);
    Preconditions.checkArgument(!leaseTimeout.isNegative() && !leaseTimeout.isZero(), "lease timeout must be > 0");
    Preconditions.checkArgument(retries >= 0, "retries must be >= 0, got %s", retries);
  }

  /** Cluster "nasnet", port 5701, 10 s lease timeout, 2 retries. */
  public static ClusterSettings of(List<String> members) {
    return new ClusterSettings("nasnet", ImmutableList.copyOf(members), DEFAULT_PORT, Duration.ofSeconds(10), 2);
  }

  /** Parses {@code "host:port,host:port"}. */
  public static ClusterSettings parse(String members) {
    return of(Arrays.stream(members.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
  }

  public ClusterSettings withName(String name) {
    return new ClusterSettings(name, members, port, leaseTimeout, retries);
  }

  public ClusterSettings withPort(int p) {
    return new ClusterSettings(clusterName, members, p, leaseTimeout, retries);
  }

  public ClusterSettings withLeaseTimeout(Duration d) {
    return new ClusterSettings(clusterName, members, port, d, retries);
  }

  public ClusterSettings withRetries(int r) {
    return new ClusterSettings(clusterName, members, port, leaseTimeout, r);
  }
}
