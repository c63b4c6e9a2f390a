package dev.nasnet.search.cluster;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * How the search controller and its workers find each other and keep others out: a cluster name (one search per
 * name), the member addresses to join by TCP/IP (no multicast), the address and port this member listens on, the
 * shared secret that signs every ticket and result, how long a worker may go without a heartbeat before its trial is
 * taken back, and how many times a trial is re-run after its worker is lost.
 *
 * @param members {@code host:port} addresses of members to join (the controller's, at least)
 * @param port the port this member binds (the next free one is taken if it is busy)
 * @param leaseTimeout silence after which a running trial's worker is presumed dead
 * @param retries how many times a trial lost with its worker is queued again before it counts as failed
 * @param bind the local address to listen on; empty: the one that reaches {@code members} (loopback when they are)
 * @param secret signs tickets and results and names the cluster; {@link ClusterSecret#none()} only on loopback or
 *     with {@code insecure}
 * @param insecure allows a cluster without a secret on a non-loopback address
 */
public record ClusterSettings(String clusterName, ImmutableList<String> members, int port, Duration leaseTimeout,
    int retries, Optional<String> bind, ClusterSecret secret, boolean insecure) {
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
    Preconditions.checkArgument(bind.map(b -> !b.isBlank() && !b.contains(":")).orElse(true),
        "bind address '%s' must be an IPv4 address or host name, without a port", bind.orElse(""));
    Preconditions.checkNotNull(secret, "secret: use ClusterSecret.none() for none");
  }

  /** Cluster "nasnet", port 5701, 10 s lease timeout, 2 retries, bound where the members are, no secret. */
  public static ClusterSettings of(List<String> members) {
    return new ClusterSettings("nasnet", ImmutableList.copyOf(members), DEFAULT_PORT, Duration.ofSeconds(10), 2,
        Optional.empty(), ClusterSecret.none(), false);
  }

  /** Parses {@code "host:port,host:port"}. */
  public static ClusterSettings parse(String members) {
    return of(Arrays.stream(members.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
  }

  /** The name Hazelcast sees: derived from the secret when there is one, so members without it are not let in. */
  public String hazelcastClusterName() {
    return secret.clusterName(clusterName);
  }

  public ClusterSettings withName(String name) {
    return new ClusterSettings(name, members, port, leaseTimeout, retries, bind, secret, insecure);
  }

  public ClusterSettings withPort(int p) {
    return new ClusterSettings(clusterName, members, p, leaseTimeout, retries, bind, secret, insecure);
  }

  public ClusterSettings withLeaseTimeout(Duration d) {
    return new ClusterSettings(clusterName, members, port, d, retries, bind, secret, insecure);
  }

  public ClusterSettings withRetries(int r) {
    return new ClusterSettings(clusterName, members, port, leaseTimeout, r, bind, secret, insecure);
  }

  /** Listen on this address only (null: the one that reaches the members). */
  public ClusterSettings withBind(String address) {
    return new ClusterSettings(clusterName, members, port, leaseTimeout, retries, Optional.ofNullable(address), secret,
        insecure);
  }

  public ClusterSettings withSecret(ClusterSecret s) {
    return new ClusterSettings(clusterName, members, port, leaseTimeout, retries, bind, s, insecure);
  }

  /** Allow no secret on a non-loopback address: anyone who reaches the port can then join and run trials. */
  public ClusterSettings withInsecure(boolean allow) {
    return new ClusterSettings(clusterName, members, port, leaseTimeout, retries, bind, secret, allow);
  }
}
