package dev.nasnet.search.cluster;

import com.google.common.base.Preconditions;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.nasnet.search.cluster.ClusterSecret.RefusedException;
import dev.nasnet.search.strategy.Proposal;
import dev.nasnet.search.trial.TrialExecutor;
import dev.nasnet.search.trial.TrialRecipe;
import dev.nasnet.search.trial.TrialReport;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs trials on the worker JVMs of a Hazelcast cluster ({@link ClusterWorker}); this JVM, the search controller, is
 * a member too. A trial is queued as a ticket; the worker that takes it holds a lease and beats on it. When the worker
 * leaves the cluster or its beat stops for longer than the lease timeout, the trial goes back to the queue, up to the
 * retry budget. Each attempt has its own result key and only the current attempt's result is taken, so a trial
 * completes once even when a presumed-dead worker comes back.
 *
 * <p>Every controller start is a new session: what an earlier controller left in the cluster is cleared, and workers
 * stop trials of an old session. With the search journal, that is what lets a killed controller resume while the
 * workers stay up.
 *
 * <p>Tickets, leases and results are signed with the cluster's secret; a result that is unsigned, wrongly signed or
 * signed for another trial or attempt is refused with a warning that names the member that wrote it, and changes
 * nothing: the trial is neither completed nor failed by it. Results are taken as they arrive (a map listener), so a
 * forged value written over a genuine one does not hide it.
 */
public final class HazelcastTrialExecutor implements TrialExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(HazelcastTrialExecutor.class);

  private final ClusterSettings settings;
  private final TrialRecipe recipe;
  private final long trialTimeoutMillis;
  private final int gpusPerTrial;
  private final HazelcastInstance hz;
  private final String session = UUID.randomUUID().toString();
  /** Signed tickets waiting for a worker, by result key; a map, not a queue, so its events name who wrote them. */
  private final IMap<String, String> queue;
  private final IMap<String, String> tickets;
  private final IMap<String, String> leases;
  private final IMap<String, String> results;
  private final ClusterSecret secret;
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  /** Signed results seen by the listener and not yet taken, by result key. */
  private final Map<String, String> arrived = new ConcurrentHashMap<>();
  private final Set<UUID> reportedMismatch = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService monitor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "nasnet-cluster-monitor");
    t.setDaemon(true);
    return t;
  });
  private volatile long lastNoWorkerWarning;

  /** A trial in flight: its current attempt and when the controller last saw it alive (queued or beating). */
  private static final class Pending {
    final Proposal proposal;
    final CompletableFuture<TrialReport> future = new CompletableFuture<>();
    int attempt = 1;
    long lastBeat = -1;
    long aliveAt = System.nanoTime();
    String lastWorker = "no worker";

    Pending(Proposal proposal) {
      this.proposal = proposal;
    }
  }

  /**
   * @param trialTimeoutMillis a trial's time budget on its worker, 0 for none
   * @param gpusPerTrial GPUs a trial needs; only workers that advertise that many free take it
   */
  public HazelcastTrialExecutor(ClusterSettings settings, TrialRecipe recipe, long trialTimeoutMillis,
      int gpusPerTrial) {
    Preconditions.checkArgument(trialTimeoutMillis >= 0, "timeout must be >= 0 ms, got %s", trialTimeoutMillis);
    Preconditions.checkArgument(gpusPerTrial >= 0, "GPUs per trial must be >= 0, got %s", gpusPerTrial);
    recipe.instantiate(); // a recipe this JVM cannot make, no worker will either
    this.settings = settings;
    this.recipe = recipe;
    this.trialTimeoutMillis = trialTimeoutMillis;
    this.gpusPerTrial = gpusPerTrial;
    this.secret = settings.secret();
    this.hz = ClusterNode.start(settings, ClusterNode.CONTROLLER, Map.of());
    this.queue = hz.getMap(ClusterNode.QUEUE);
    this.tickets = hz.getMap(ClusterNode.TICKETS);
    this.leases = hz.getMap(ClusterNode.LEASES);
    this.results = hz.getMap(ClusterNode.RESULTS);
    // A new session: whatever an earlier controller of this cluster left behind is void.
    IMap<String, String> control = hz.getMap(ClusterNode.CONTROL);
    control.put("session", TrialMessages.session(secret, session));
    control.put("version", NasNetVersion.current());
    queue.clear();
    tickets.clear();
    leases.clear();
    results.clear();
    results.addEntryListener(new ResultListener(), true);
    hz.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent e) {
        checkVersion(e.getMember());
        if (ClusterNode.isRole(e.getMember(), ClusterNode.WORKER)) {
          LOG.info("worker joined: {}", ClusterNode.describe(e.getMember()));
        }
      }

      @Override
      public void memberRemoved(MembershipEvent e) {
        if (ClusterNode.isRole(e.getMember(), ClusterNode.WORKER)) {
          LOG.warn("worker left: {}", ClusterNode.describe(e.getMember()));
        }
      }
    });
    hz.getCluster().getMembers().forEach(this::checkVersion);
    LOG.info("search controller of cluster '{}' at {}; session {}", settings.clusterName(),
        ClusterNode.describe(hz.getCluster().getLocalMember()), session);
    monitor.scheduleWithFixedDelay(this::check, 200, 200, TimeUnit.MILLISECONDS);
  }

  private void checkVersion(Member m) {
    String theirs = m.getAttribute(ClusterNode.VERSION);
    if (!NasNetVersion.current().equals(theirs) && reportedMismatch.add(m.getUuid())) {
      LOG.error("cluster member {} runs nasnet-java {}, this controller {}: it will not be given trials; run the "
          + "same build on every machine", ClusterNode.describe(m), theirs, NasNetVersion.current());
    }
  }

  /** The worker slots of the members that run this library version (at least 1, so a search waits for workers). */
  @Override
  public int workers() {
    int slots = 0;
    for (Member m : hz.getCluster().getMembers()) {
      if (ClusterNode.isRole(m, ClusterNode.WORKER) && NasNetVersion.current().equals(m.getAttribute(
          ClusterNode.VERSION))) {
        slots += ClusterNode.slots(m);
      }
    }
    return Math.max(1, slots);
  }

  @Override
  public CompletableFuture<TrialReport> start(Proposal p) {
    if (gpusPerTrial > 0) {
      // A trial no worker can ever serve would wait for ever: refuse it while the workers say what they offer.
      int most = hz.getCluster().getMembers().stream().filter(m -> ClusterNode.isRole(m, ClusterNode.WORKER))
          .mapToInt(m -> parseGpus(m.getAttribute(ClusterNode.GPUS))).max().orElse(-1);
      if (most >= 0 && most < gpusPerTrial) {
        return CompletableFuture.completedFuture(TrialReport.failed(p, "the trial asks for " + gpusPerTrial
            + " GPU(s) but the cluster's workers offer at most " + most + " (worker --gpus)", 0));
      }
    }
    Pending t = new Pending(p);
    pending.put(p.id(), t);
    enqueue(t);
    return t.future;
  }

  private static int parseGpus(String attribute) {
    try {
      return attribute == null ? 0 : Integer.parseInt(attribute);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private void enqueue(Pending t) {
    Proposal p = t.proposal;
    TrialMessages.Ticket ticket = new TrialMessages.Ticket(session, p.id(), t.attempt, p.decisions(), recipe.toJson(),
        gpusPerTrial, trialTimeoutMillis, NasNetVersion.current());
    String sealed = ticket.seal(secret);
    tickets.put(TrialMessages.key(session, p.id()), sealed);
    queue.put(TrialMessages.resultKey(session, p.id(), t.attempt), sealed);
    t.aliveAt = System.nanoTime();
    t.lastBeat = -1;
  }

  /**
   * Checks each result as it is written, whoever wrote it: a good one is kept for {@link #checkOne}, a bad one is
   * refused with one warning naming the member, and removed.
   */
  private final class ResultListener implements EntryAddedListener<Object, Object>,
      EntryUpdatedListener<Object, Object> {
    @Override
    public void entryAdded(EntryEvent<Object, Object> e) {
      take(e);
    }

    @Override
    public void entryUpdated(EntryEvent<Object, Object> e) {
      take(e);
    }

    // Keys and values are Objects: another member may write anything, not only strings.
    private void take(EntryEvent<Object, Object> e) {
      String key = String.valueOf(e.getKey());
      Object raw = e.getValue();
      try {
        if (!(e.getKey() instanceof String) || !(raw instanceof String value)) {
          throw new RefusedException("a " + (raw == null ? "null" : raw.getClass().getName()) + " under a "
              + (e.getKey() == null ? "null" : e.getKey().getClass().getName()) + " key, not a result");
        }
        Pending t = pendingFor(key);
        if (t == null) {
          // Not a trial of this session now in flight: still refuse it loudly if it is not ours.
          secret.open(TrialMessages.RESULT, value);
          return;
        }
        TrialMessages.openResult(secret, value, session, t.proposal, attemptOf(key));
        arrived.put(key, value);
      } catch (RefusedException | IllegalArgumentException bad) {
        LOG.warn("refused a result for {} from member {}: {}", abbreviate(key), e.getMember() == null ? "unknown"
            : ClusterNode.describe(e.getMember()), bad.getMessage());
        try {
          results.remove(e.getKey(), raw);
        } catch (RuntimeException ignored) {
          // the key may be gone already; the forgery changes nothing either way
        }
      } catch (RuntimeException other) {
        LOG.debug("result listener: {}", other.toString());
      }
    }
  }

  /** The pending trial a result key of this session names, or null. */
  private Pending pendingFor(String key) {
    String prefix = session + "/";
    int hash = key.lastIndexOf('#');
    if (!key.startsWith(prefix) || hash < 0) {
      return null;
    }
    try {
      return pending.get(Long.parseLong(key.substring(prefix.length(), hash)));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static int attemptOf(String key) {
    try {
      return Integer.parseInt(key.substring(key.lastIndexOf('#') + 1));
    } catch (NumberFormatException e) {
      throw new RefusedException("result key with no attempt");
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 120 ? s : s.substring(0, 120) + "... (" + s.length() + " characters)";
  }

  private void check() {
    for (Pending t : pending.values()) {
      try {
        checkOne(t);
      } catch (RuntimeException e) {
        // The cluster may be reshuffling partitions after a member left; the next round retries.
        LOG.debug("cluster check of trial {} failed, retrying: {}", t.proposal.id(), e.toString());
      }
    }
    try {
      warnIfNoWorkers();
    } catch (RuntimeException e) {
      LOG.debug("cluster check failed, retrying: {}", e.toString());
    }
  }

  private void checkOne(Pending t) {
    long id = t.proposal.id();
    String key = TrialMessages.key(session, id);
    String resultKey = TrialMessages.resultKey(session, id, t.attempt);
    String result = arrived.remove(resultKey);
    if (result == null) {
      // The listener may not have seen it yet; a bad value here is the listener's to report.
      String stored = results.get(resultKey);
      if (stored != null && isGoodResult(stored, t)) {
        result = stored;
      }
    }
    if (result != null) {
      results.remove(resultKey);
      finish(t, TrialMessages.openResult(secret, result, session, t.proposal, t.attempt));
      return;
    }
    long now = System.nanoTime();
    String leaseJson = leases.get(key);
    TrialMessages.Lease lease = openLease(leaseJson, id);
    if (lease != null && lease.attempt() == t.attempt) {
      t.lastWorker = lease.workerName();
      if (lease.beat() != t.lastBeat) {
        t.lastBeat = lease.beat();
        t.aliveAt = now;
      }
      boolean member = hz.getCluster().getMembers().stream()
          .anyMatch(m -> m.getUuid().toString().equals(lease.worker()));
      if (!member) {
        lost(t, "worker " + lease.workerName() + " left the cluster");
      } else if (now - t.aliveAt > settings.leaseTimeout().toNanos()) {
        lost(t, "worker " + lease.workerName() + " sent no heartbeat for " + settings.leaseTimeout().toSeconds()
            + " s");
      }
    } else if (queue.containsKey(resultKey)) {
      t.aliveAt = now;
    } else if (now - t.aliveAt > settings.leaseTimeout().toNanos()) {
      // Taken from the queue but never leased: the worker died in between.
      lost(t, "a worker took it from the queue and vanished");
    }
  }

  private void lost(Pending t, String why) {
    String key = TrialMessages.key(session, t.proposal.id());
    leases.remove(key);
    if (t.attempt <= settings.retries()) {
      LOG.warn("trial {} attempt {}: {}; queued again", t.proposal.id(), t.attempt, why);
      t.attempt++;
      enqueue(t);
    } else {
      finish(t, TrialReport.failed(t.proposal, "lost its worker " + t.attempt + " times; last: " + why, 0));
    }
  }

  /** The lease, or null when there is none or it is not one of ours (the worker's next beat writes over that). */
  private TrialMessages.Lease openLease(String json, long id) {
    if (json == null) {
      return null;
    }
    try {
      return TrialMessages.Lease.open(secret, json, session, id);
    } catch (RefusedException e) {
      LOG.debug("ignored a lease of trial {}: {}", id, e.getMessage());
      return null;
    }
  }

  private boolean isGoodResult(String value, Pending t) {
    try {
      TrialMessages.openResult(secret, value, session, t.proposal, t.attempt);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private void finish(Pending t, TrialReport report) {
    if (pending.remove(t.proposal.id()) != null) {
      String key = TrialMessages.key(session, t.proposal.id());
      tickets.remove(key);
      arrived.keySet().removeIf(k -> k.startsWith(key + "#")); // results of earlier attempts, never to be taken
      t.future.complete(report);
    }
  }

  private void warnIfNoWorkers() {
    boolean any = hz.getCluster().getMembers().stream().anyMatch(m -> ClusterNode.isRole(m, ClusterNode.WORKER));
    long now = System.nanoTime();
    if (!any && !pending.isEmpty() && now - lastNoWorkerWarning > TimeUnit.SECONDS.toNanos(30)) {
      lastNoWorkerWarning = now;
      LOG.warn("no worker in cluster '{}' yet: start workers with --cluster {} (this member listens at {})",
          settings.clusterName(), String.join(",", settings.members()),
          ClusterNode.describe(hz.getCluster().getLocalMember()));
    }
  }

  /** Addresses of the members now in the cluster, for logs and tests. */
  public String members() {
    return hz.getCluster().getMembers().stream().map(ClusterNode::describe).collect(Collectors.joining(", "));
  }

  @Override
  public void close() {
    monitor.shutdownNow();
    for (Pending t : pending.values()) {
      t.future.complete(TrialReport.failed(t.proposal, "search stopped while the trial was queued or running", 0));
    }
    try {
      hz.getMap(ClusterNode.CONTROL).remove("session", TrialMessages.session(secret, session));
      queue.clear();
    } catch (RuntimeException e) {
      LOG.debug("cleanup on close failed: {}", e.toString());
    }
    hz.shutdown();
  }
}
