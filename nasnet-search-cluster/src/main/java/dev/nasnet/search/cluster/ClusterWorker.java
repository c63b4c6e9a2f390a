package dev.nasnet.search.cluster;

import com.google.common.base.Preconditions;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.collect.ImmutableList;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.nasnet.search.cluster.ClusterSecret.RefusedException;
import dev.nasnet.search.trial.GpuPool;
import dev.nasnet.search.trial.TrialProcess;
import dev.nasnet.search.trial.TrialReport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker JVM of a search cluster: joins the controller's cluster, and on each of its slots takes trials from the
 * queue, runs each in a JVM of its own ({@link TrialProcess}), beats on the trial's lease every second while it runs,
 * and posts the result. A trial that needs GPUs gets that many of the worker's GPUs through
 * {@code CUDA_VISIBLE_DEVICES}; one it cannot serve goes back to the queue. When the controller starts a new session
 * or takes the trial back, the trial is stopped.
 *
 * <p>A worker runs only tickets signed with the cluster's secret, and only trial classes on its
 * {@link TrialClassAllowList}; anything else is refused with one warning that names the member that queued it, and
 * nothing is started. It posts the result of an attempt only while that attempt is still the trial's current one.
 */
public final class ClusterWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterWorker.class);

  private final ClusterSettings settings;
  private final int slots;
  private final GpuPool gpuPool;
  private final Path workDir;
  private final ImmutableList<String> jvmOptions;
  private final ClusterSecret secret;
  private final TrialClassAllowList allowList;
  /** Who wrote each recent queue entry (map events name the writer), so a refused ticket's warning can name it. */
  private final Cache<String, Member> offeredBy = CacheBuilder.newBuilder().maximumSize(10_000)
      .expireAfterWrite(Duration.ofMinutes(10)).build();
  /** Queue keys heard of and not yet tried, and the same as a set to try each once. */
  private final java.util.concurrent.BlockingQueue<Object> candidates = new java.util.concurrent.LinkedBlockingQueue<>();
  private final java.util.Set<Object> known = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final ScheduledExecutorService heart = Executors.newScheduledThreadPool(1, r -> {
    Thread t = new Thread(r, "nasnet-worker-heartbeat");
    t.setDaemon(true);
    return t;
  });
  private HazelcastInstance hz;
  private String name;

  /**
   * @param slots trials this worker runs at once
   * @param gpus GPUs this machine offers to trials (ids 0..gpus-1)
   * @param workDir where trial attempts write their logs and checkpoints
   */
  public ClusterWorker(ClusterSettings settings, int slots, int gpus, Path workDir, List<String> jvmOptions) {
    this(settings, slots, gpus, workDir, jvmOptions, TrialClassAllowList.registeredPlus(List.of()));
  }

  /**
   * @param allowList the trial classes this worker runs
   */
  public ClusterWorker(ClusterSettings settings, int slots, int gpus, Path workDir, List<String> jvmOptions,
      TrialClassAllowList allowList) {
    Preconditions.checkArgument(slots > 0, "slots must be positive, got %s", slots);
    Preconditions.checkArgument(gpus >= 0, "gpus must be >= 0, got %s", gpus);
    Preconditions.checkArgument(!settings.members().isEmpty(), "a worker needs the controller's address (--cluster)");
    this.settings = settings;
    this.slots = slots;
    this.gpuPool = new GpuPool(gpus);
    this.workDir = workDir;
    this.jvmOptions = ImmutableList.copyOf(jvmOptions);
    this.secret = settings.secret();
    this.allowList = allowList;
  }

  /**
   * Joins the cluster and serves trials until {@link #close()}.
   *
   * @param connectTimeout how long to wait for a search controller to be in the cluster
   * @throws IllegalStateException when no controller is reachable in time, or it runs another library version
   */
  public void run(Duration connectTimeout) throws InterruptedException {
    hz = ClusterNode.start(settings, ClusterNode.WORKER, Map.of(ClusterNode.SLOTS, Integer.toString(slots),
        ClusterNode.GPUS, Integer.toString(gpuPool.total())));
    name = ClusterNode.describe(hz.getCluster().getLocalMember());
    try {
      Member controller = awaitController(connectTimeout);
      String theirs = controller.getAttribute(ClusterNode.VERSION);
      if (!NasNetVersion.current().equals(theirs)) {
        throw new IllegalStateException("this worker runs nasnet-java " + NasNetVersion.current()
            + ", the search controller at " + ClusterNode.describe(controller) + " runs " + theirs
            + "; run the same build on every machine");
      }
      LOG.info("worker {} joined cluster '{}' (controller {}); {} slot(s), {} GPU(s); trial classes allowed: {}", name,
          settings.clusterName(), ClusterNode.describe(controller), slots, gpuPool.total(), allowList);
      hz.<Object, Object>getMap(ClusterNode.QUEUE).addEntryListener(new QueueListener(), true);
      Thread scanner = new Thread(this::scan, "nasnet-worker-scan");
      scanner.setDaemon(true);
      scanner.start();
      List<Thread> threads = new ArrayList<>();
      for (int s = 0; s < slots; s++) {
        Thread t = new Thread(this::serve, "nasnet-worker-slot-" + s);
        t.start();
        threads.add(t);
      }
      for (Thread t : threads) {
        t.join();
      }
    } finally {
      close();
    }
  }

  private Member awaitController(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Member> c = controller();
      if (c.isPresent()) {
        return c.get();
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("no search controller reachable at " + String.join(",", settings.members())
        + " (cluster '" + settings.clusterName() + "') within " + timeout.toSeconds() + " s; start the search with "
        + "--cluster-port, and check the addresses, the ports, the firewall"
        + (settings.secret().isPresent() ? " and that every member has the same cluster secret" : "")
        + " (members now: "
        + hz.getCluster().getMembers().stream().map(ClusterNode::describe).collect(Collectors.joining(", ")) + ")");
  }

  private Optional<Member> controller() {
    return hz.getCluster().getMembers().stream().filter(m -> ClusterNode.isRole(m, ClusterNode.CONTROLLER))
        .findFirst();
  }

  /** Hears of every queue entry and who wrote it; keys and values are Objects, as another member may write anything. */
  private final class QueueListener implements EntryAddedListener<Object, Object>,
      EntryUpdatedListener<Object, Object> {
    @Override
    public void entryAdded(EntryEvent<Object, Object> e) {
      heard(e);
    }

    @Override
    public void entryUpdated(EntryEvent<Object, Object> e) {
      heard(e);
    }

    private void heard(EntryEvent<Object, Object> e) {
      if (e.getValue() != null && e.getMember() != null) {
        offeredBy.put(fingerprint(e.getValue()), e.getMember());
      }
      offer(e.getKey());
    }
  }

  private void offer(Object key) {
    if (key != null && known.add(key)) {
      candidates.add(key);
    }
  }

  /**
   * Entries queued before this worker listened, or whose event it missed, are found by a look every few seconds; an
   * entry is taken up only when two looks in a row saw it, so the event (and with it the writer's name) comes first.
   */
  private void scan() {
    java.util.Set<Object> before = java.util.Set.of();
    while (running.get()) {
      try {
        java.util.Set<Object> now = hz.getMap(ClusterNode.QUEUE).keySet();
        now.stream().filter(before::contains).forEach(this::offer);
        before = now;
        Thread.sleep(2000);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (!running.get() || !hz.getLifecycleService().isRunning()) {
          return;
        }
        LOG.debug("queue scan failed: {}", e.toString());
      }
    }
  }

  private void serve() {
    IMap<Object, Object> queue = hz.getMap(ClusterNode.QUEUE);
    IMap<String, String> tickets = hz.getMap(ClusterNode.TICKETS);
    while (running.get()) {
      try {
        Object key = candidates.poll(1, TimeUnit.SECONDS);
        if (key == null) {
          continue;
        }
        known.remove(key);
        Object item = queue.remove(key); // only one worker gets it
        if (item == null) {
          continue;
        }
        TrialMessages.Ticket ticket = openTicket(item);
        if (ticket == null) {
          continue;
        }
        String ticketKey = TrialMessages.key(ticket.session(), ticket.id());
        if (!isCurrent(ticket, tickets.get(ticketKey))) {
          continue; // a stale queue entry: finished, retried, or of an earlier session
        }
        try {
          allowList.check(ticket.trialRecipe().trialClass());
        } catch (IllegalArgumentException e) {
          LOG.warn("worker {} refused trial {} attempt {} from member {}: {}", name, ticket.id(), ticket.attempt(),
              sender(item), e.getMessage());
          hz.<String, String>getMap(ClusterNode.RESULTS).put(TrialMessages.resultKey(ticket.session(), ticket.id(),
              ticket.attempt()), TrialMessages.result(secret, ticket.session(), ticket.id(), ticket.attempt(),
                  TrialReport.failed(ticket.proposal(), e.getMessage(), 0), name));
          continue;
        }
        List<Integer> gpus = gpuPool.tryTake(ticket.gpus());
        if (gpus == null) {
          queue.put(key, item); // another worker may have the GPUs
          Thread.sleep(500);
          continue;
        }
        try {
          runTrial(ticket, ticketKey, gpus);
        } finally {
          gpuPool.release(gpus);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        if (!running.get() || !hz.getLifecycleService().isRunning()) {
          return;
        }
        LOG.warn("worker {}: {}; going on", name, e.toString());
      }
    }
  }

  /** The signed ticket, or null after one warning naming who queued it. */
  private TrialMessages.Ticket openTicket(Object item) {
    try {
      if (!(item instanceof String s)) {
        throw new RefusedException("a " + item.getClass().getName() + " in the queue, not a signed ticket");
      }
      return TrialMessages.Ticket.open(secret, s);
    } catch (RefusedException e) {
      LOG.warn("worker {} refused a ticket from member {}: {}", name, sender(item), e.getMessage());
      return null;
    }
  }

  /**
   * Whether the ticket is its trial's current attempt in the controller's current session. What the cluster holds
   * is checked too: a value there that is not signed says nothing either way, so the signed ticket in hand stands.
   */
  private boolean isCurrent(TrialMessages.Ticket ticket, String stored) {
    if (stored == null) {
      return false;
    }
    try {
      TrialMessages.Ticket now = TrialMessages.Ticket.open(secret, stored);
      if (now.attempt() != ticket.attempt() || !now.session().equals(ticket.session())) {
        return false;
      }
    } catch (RefusedException e) {
      LOG.debug("unsigned ticket of trial {} in the cluster: {}", ticket.id(), e.getMessage());
    }
    String session = hz.<String, String>getMap(ClusterNode.CONTROL).get("session");
    try {
      return session == null || TrialMessages.openSession(secret, session).equals(ticket.session());
    } catch (RefusedException e) {
      LOG.debug("unsigned session in the cluster: {}", e.getMessage());
      return true;
    }
  }

  private String sender(Object item) {
    // The listener may hear of the entry a moment after the scan found it.
    for (int i = 0; i < 50; i++) {
      Member m = offeredBy.getIfPresent(fingerprint(item));
      if (m != null) {
        return ClusterNode.describe(m);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return "unknown (not seen writing it; a member that had just joined?)";
  }

  private static String fingerprint(Object item) {
    return item instanceof byte[] b ? "bytes:" + b.length + ":" + java.util.Arrays.hashCode(b)
        : item.getClass().getName() + ":" + item.toString().length() + ":" + item.hashCode();
  }

  private void runTrial(TrialMessages.Ticket ticket, String key, List<Integer> gpus) throws InterruptedException {
    IMap<String, String> leases = hz.getMap(ClusterNode.LEASES);
    IMap<String, String> results = hz.getMap(ClusterNode.RESULTS);
    IMap<String, String> tickets = hz.getMap(ClusterNode.TICKETS);
    String me = hz.getCluster().getLocalMember().getUuid().toString();
    AtomicLong beat = new AtomicLong();
    String session = ticket.session();
    leases.put(key, new TrialMessages.Lease(me, name, ticket.attempt(), 0).seal(secret, session, ticket.id()));
    String resultKey = TrialMessages.resultKey(session, ticket.id(), ticket.attempt());
    TrialProcess proc;
    try {
      // The same hand-out as local trials: a trial sees exactly its GPUs, none when it holds none.
      Map<String, String> env = gpuPool.total() == 0 ? Map.of() : GpuPool.environment(gpus);
      proc = TrialProcess.start(ticket.trialRecipe(), ticket.proposal(), workDir.resolve(session), jvmOptions, env);
    } catch (IOException | RuntimeException e) {
      results.put(resultKey, TrialMessages.result(secret, session, ticket.id(), ticket.attempt(),
          TrialReport.failed(ticket.proposal(), "cannot start a trial JVM: " + e.getMessage(), 0), name));
      leases.remove(key);
      return;
    }
    LOG.info("trial {} attempt {} started in pid {} ({})", ticket.id(), ticket.attempt(), proc.pid(),
        proc.directory());
    AtomicBoolean superseded = new AtomicBoolean();
    ScheduledFuture<?> beating = heart.scheduleAtFixedRate(() -> {
      try {
        if (!isCurrent(ticket, tickets.get(key))) {
          superseded.set(true);
          proc.kill();
          return;
        }
        leases.put(key, new TrialMessages.Lease(me, name, ticket.attempt(), beat.incrementAndGet()).seal(secret,
            session, ticket.id()));
      } catch (RuntimeException e) {
        LOG.debug("heartbeat of trial {} failed: {}", ticket.id(), e.toString());
      }
    }, 1, 1, TimeUnit.SECONDS);
    TrialReport report;
    try {
      report = proc.await(ticket.timeoutMillis());
    } finally {
      beating.cancel(false);
    }
    // A worker that was paused (or cut off) past its lease finds its attempt replaced: its result is not posted.
    if (superseded.get() || !isCurrent(ticket, tickets.get(key))) {
      LOG.info("trial {} attempt {} stopped: the controller no longer wants it (stale attempt; result not posted)",
          ticket.id(), ticket.attempt());
      return;
    }
    results.put(resultKey, TrialMessages.result(secret, session, ticket.id(), ticket.attempt(), report, name));
    String lease = leases.get(key);
    try {
      if (lease != null && TrialMessages.Lease.open(secret, lease, session, ticket.id()).worker().equals(me)) {
        leases.remove(key);
      }
    } catch (RefusedException e) {
      LOG.debug("unsigned lease of trial {}: {}", ticket.id(), e.getMessage());
    }
    LOG.info("trial {} attempt {} {}", ticket.id(), ticket.attempt(), report.outcome().isFailed()
        ? "failed: " + report.outcome().failure() : "reward " + report.outcome().reward());
  }

  @Override
  public void close() {
    running.set(false);
    heart.shutdownNow();
    if (hz != null && hz.getLifecycleService().isRunning()) {
      hz.shutdown();
    }
  }

  /**
   * {@code ClusterWorker --cluster HOST:PORT[,...] [--port P] [--bind ADDR] [--cluster-secret-file FILE] [--insecure]
   * [--trial-class NAME[,...]] [--slots N] [--gpus N] [--work-dir DIR] [--connect-timeout-seconds S]
   * [--cluster-name NAME]}; the secret file may also be named by {@value ClusterSecret#ENVIRONMENT}. The command-line
   * tool's {@code worker} says the same.
   */
  public static void main(String[] args) throws InterruptedException {
    Map<String, String> o = new java.util.HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--insecure")) {
        o.put(args[i], "true");
      } else if (i + 1 < args.length) {
        o.put(args[i], args[++i]);
      }
    }
    if (!o.containsKey("--cluster")) {
      System.err.println("usage: ClusterWorker --cluster HOST:PORT[,...] [--port P] [--bind ADDR] "
          + "[--cluster-secret-file FILE] [--insecure] [--trial-class NAME[,...]] [--slots N] [--gpus N] "
          + "[--work-dir DIR] [--connect-timeout-seconds S] [--cluster-name NAME]");
      System.exit(2);
    }
    try {
      String secretFile = o.getOrDefault("--cluster-secret-file", System.getenv(ClusterSecret.ENVIRONMENT));
      ClusterSettings s = ClusterSettings.parse(o.get("--cluster"))
          .withPort(Integer.parseInt(o.getOrDefault("--port", Integer.toString(ClusterSettings.DEFAULT_PORT))))
          .withName(o.getOrDefault("--cluster-name", "nasnet")).withBind(o.get("--bind"))
          .withSecret(secretFile == null || secretFile.isBlank() ? ClusterSecret.none()
              : ClusterSecret.read(Path.of(secretFile)))
          .withInsecure(o.containsKey("--insecure"));
      List<String> extra = o.containsKey("--trial-class") ? List.of(o.get("--trial-class").split(",")) : List.of();
      try (ClusterWorker w = new ClusterWorker(s, Integer.parseInt(o.getOrDefault("--slots", "1")),
          Integer.parseInt(o.getOrDefault("--gpus", "0")), Path.of(o.getOrDefault("--work-dir", "nasnet-worker")),
          List.of(), TrialClassAllowList.registeredPlus(extra))) {
        w.run(Duration.ofSeconds(Long.parseLong(o.getOrDefault("--connect-timeout-seconds", "120"))));
      }
    } catch (IllegalStateException | IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(1);
    }
  }
}
