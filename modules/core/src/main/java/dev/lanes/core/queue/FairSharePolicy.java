package dev.lanes.core.queue;

import dev.lanes.core.session.SessionMode;
import dev.lanes.core.usage.Charge;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Fair share (R5c) with a starvation guard (R9) and usage limits (R8). Among eligible queued
 * jobs, the instance with the lowest usage / allocation over the rolling window goes first, its
 * oldest job first; usage is the ledger's ({@link Usage}) plus the estimated quantum time of its
 * jobs that started and are not charged yet, so one instance cannot take every lane before its
 * first charge lands. A job that has waited longer than {@code maxWait} goes before everything
 * the ratio would prefer. A limited instance at its limit starts nothing until its usage in the
 * window drops (its jobs stay queued).
 *
 * <p>Cost per decision: O(log I) for I instances with queued jobs, plus, when a ledger changed,
 * a check of each such instance's usage version and O(log I) re-ranking of those charged; every
 * minute all are re-read (the window moves). Never a pass over the queued jobs.
 */
public final class FairSharePolicy implements StartPolicy {
  /** Where usage comes from: the ledgers' read model. */
  public interface Usage {
    double windowSeconds(String instance, Instant now);

    long version();

    /** Changes when this instance's usage changes; by default whenever any usage does. */
    default long version(String instance) {
      return version();
    }

    /** Whether this charge has reached the usage yet; unknown ids count as arrived. */
    default boolean hasCharge(String chargeId) {
      return true;
    }
  }

  private static final Duration REFRESH = Duration.ofMinutes(1);

  private final Function<String, InstancePlan> plans;
  private final Usage usage;
  private final Duration maxWait;
  private final Map<String, Tenant> tenants = new HashMap<>();
  private final Map<String, Tenant> home = new HashMap<>();
  private final Map<String, Double> inFlight = new HashMap<>();
  private final TreeSet<Tenant> byRatio = new TreeSet<>(Comparator.comparingDouble((Tenant t) -> t.ratio)
      .thenComparingLong(Tenant::headKey).thenComparing(t -> t.id));
  /** By the submission time of each instance's first job (R9 is about waiting time, whatever the key). */
  private final TreeSet<Tenant> byAge = new TreeSet<>(Comparator.comparing((Tenant t) -> submitted(t.head()))
      .thenComparingLong(Tenant::headKey).thenComparing(t -> t.id));
  /** By the key of each instance's first job: interrupted runs (negative keys) go first. */
  private final TreeSet<Tenant> byKey = new TreeSet<>(Comparator.comparingLong(Tenant::headKey).thenComparing(t -> t.id));
  /**
   * Quantum time of runs that ended but whose charge has not reached the usage yet, by job: an
   * instance's ratio must not dip between its job leaving the lane and the ledger recording it.
   */
  private final Map<String, Settling> settling = new HashMap<>();

  private record Settling(String instance, double seconds, Instant since) {}
  private int size;
  private long seenVersion = Long.MIN_VALUE;
  private Instant refreshedAt = Instant.EPOCH;

  public FairSharePolicy(Function<String, InstancePlan> plans, Usage usage, Duration maxWait) {
    this.plans = plans;
    this.usage = usage;
    this.maxWait = maxWait;
  }

  /** One instance's queued jobs on this backend, oldest first. */
  private static final class Tenant {
    final String id;
    final TreeMap<Long, QueuedJob> jobs = new TreeMap<>();
    final Map<String, Long> keys = new HashMap<>();
    double windowUsage;
    double ratio;
    boolean eligible = true;
    long seenVersion = Long.MIN_VALUE;
    /** Key and job of the oldest queued job, kept so the sorted sets compare without lookups. */
    long headKey;
    QueuedJob head;

    Tenant(String id) {
      this.id = id;
    }

    long headKey() {
      return headKey;
    }

    QueuedJob head() {
      return head;
    }

    /** After a change of {@code jobs}: the cached head follows. */
    void headChanged() {
      var first = jobs.firstEntry();
      headKey = first == null ? Long.MAX_VALUE : first.getKey();
      head = first == null ? null : first.getValue();
    }
  }

  @Override
  public void add(QueuedJob job, long key) {
    Tenant t = tenants.computeIfAbsent(job.instance(), id -> {
      seenVersion = Long.MIN_VALUE; // its usage is read at the next decision, with that decision's time
      return new Tenant(id);
    });
    if (t.keys.containsKey(job.jobId())) {
      return;
    }
    detach(t);
    t.jobs.put(key, job);
    t.headChanged();
    t.keys.put(job.jobId(), key);
    home.put(job.jobId(), t);
    size++;
    attach(t);
  }

  @Override
  public Optional<QueuedJob> remove(String jobId) {
    Tenant t = home.remove(jobId);
    if (t == null) {
      return Optional.empty();
    }
    detach(t);
    QueuedJob job = t.jobs.remove(t.keys.remove(jobId));
    t.headChanged();
    size--;
    if (t.jobs.isEmpty()) {
      tenants.remove(t.id); // only instances with queued jobs are kept (and refreshed)
    } else {
      attach(t);
    }
    return Optional.of(job);
  }

  @Override
  public Optional<Long> keyOf(String jobId) {
    Tenant t = home.get(jobId);
    return t == null ? Optional.empty() : Optional.of(t.keys.get(jobId));
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Optional<QueuedJob> next(Instant now) {
    refreshIfStale(now);
    if (byAge.isEmpty()) {
      return Optional.empty();
    }
    QueuedJob oldest = byAge.first().head();
    boolean oldestStarved = starved(oldest, now);
    Tenant first = byKey.first();
    if (first.headKey() < 0) {
      // R29: an interrupted run goes back at the head of the queue — unless a job submitted
      // before it has waited past the max wait (R9: nobody waits that long behind later jobs)
      QueuedJob interrupted = first.head();
      boolean olderStarved = oldestStarved && submitted(oldest).isBefore(submitted(interrupted));
      return Optional.of(olderStarved ? oldest : interrupted);
    }
    if (oldestStarved) {
      return Optional.of(oldest); // R9
    }
    return Optional.of(byRatio.first().head());
  }

  /** The next job and the ones queued behind it by the same instance (others may interleave). */
  @Override
  public List<QueuedJob> upcoming(int k, Instant now) {
    Optional<QueuedJob> first = next(now);
    if (first.isEmpty()) {
      return List.of();
    }
    Tenant t = tenants.get(first.get().instance());
    Long key = t == null ? null : t.keys.get(first.get().jobId());
    return key == null ? List.of(first.get()) : BackendQueues.firstOf(t.jobs.tailMap(key, true).values().iterator(), k);
  }

  private boolean starved(QueuedJob job, Instant now) {
    return job.submittedAt() != null && Duration.between(job.submittedAt(), now).compareTo(maxWait) > 0;
  }

  @Override
  public void started(QueuedJob job) {
    inFlight.merge(job.instance(), job.estimatedQuantumSeconds(), Double::sum);
    rerank(job.instance());
  }

  @Override
  public void ended(QueuedJob job, double quantumSeconds, Instant now) {
    inFlight.computeIfPresent(job.instance(), (k, v) -> {
      double left = v - job.estimatedQuantumSeconds();
      return left > 1e-9 ? left : null;
    });
    if (quantumSeconds > 0 && job.sessionMode() != SessionMode.DEDICATED
        && !usage.hasCharge(Charge.jobChargeId(job.jobId()))) {
      settling.put(job.jobId(), new Settling(job.instance(), quantumSeconds, now));
    }
    rerank(job.instance());
  }

  private double pending(String instance) {
    double sum = inFlight.getOrDefault(instance, 0.0);
    for (Settling s : settling.values()) {
      if (s.instance().equals(instance)) {
        sum += s.seconds();
      }
    }
    return sum;
  }

  private void rerank(String instance) {
    Tenant t = tenants.get(instance);
    if (t != null) {
      detach(t);
      t.ratio = plan(t.id).ratio(t.windowUsage + pending(t.id));
      attach(t);
    }
  }

  /**
   * Ratios and limits follow the ledgers: the instances whose usage changed are looked at again
   * when any did, and all of them each minute (usage also changes as the window moves on).
   */
  private void refreshIfStale(Instant now) {
    long v = usage.version();
    boolean minutePassed = Duration.between(refreshedAt, now).compareTo(REFRESH) >= 0;
    if (v == seenVersion && !minutePassed) {
      return;
    }
    seenVersion = v;
    if (minutePassed) {
      refreshedAt = now;
    }
    // charges that arrived are in the usage now; a charge that never comes (lost) stops counting
    // after the refresh period
    settling.values().removeIf(x -> Duration.between(x.since(), now).compareTo(REFRESH) > 0);
    settling.entrySet().removeIf(e -> usage.hasCharge(Charge.jobChargeId(e.getKey())));
    for (Tenant t : tenants.values()) {
      long tv = usage.version(t.id);
      if (minutePassed || tv != t.seenVersion) {
        t.seenVersion = tv;
        detach(t);
        refreshed(t, now);
        attach(t);
      }
    }
  }

  private Tenant refreshed(Tenant t, Instant now) {
    InstancePlan plan = plan(t.id);
    t.windowUsage = usage.windowSeconds(t.id, now);
    t.eligible = !plan.blocks(t.windowUsage);
    t.ratio = plan.ratio(t.windowUsage + pending(t.id));
    return t;
  }

  private InstancePlan plan(String instance) {
    InstancePlan p = plans.apply(instance);
    return p == null ? InstancePlan.UNKNOWN : p;
  }

  private void detach(Tenant t) {
    if (!t.jobs.isEmpty()) {
      byRatio.remove(t);
      byAge.remove(t);
      byKey.remove(t);
    }
  }

  private void attach(Tenant t) {
    if (!t.jobs.isEmpty() && t.eligible) {
      byRatio.add(t);
      byAge.add(t);
      byKey.add(t);
    }
  }

  /**
   * The order jobs would start in if lanes freed now: jobs past the max wait first (oldest
   * first), then fair share, each start raising its instance's ratio by the job's estimate as a
   * charge would; jobs of instances at their limit last, since they start only once it clears.
   * O(n log I).
   */
  @Override
  public List<Ranked> startOrder(Instant now) {
    refreshIfStale(now);
    List<Ranked> out = new ArrayList<>(size);
    Map<Tenant, Iterator<QueuedJob>> cursors = new HashMap<>();
    Map<Tenant, QueuedJob> heads = new HashMap<>();
    Map<Tenant, Double> usageSoFar = new HashMap<>();
    List<QueuedJob> starved = new ArrayList<>();
    List<QueuedJob> interrupted = new ArrayList<>();
    for (Tenant t : byAge) {
      Iterator<QueuedJob> it = t.jobs.values().iterator();
      QueuedJob head = it.next();
      while (head != null && t.keys.get(head.jobId()) < 0) {
        interrupted.add(head); // R29: back at the head of the queue, before any ranking
        head = it.hasNext() ? it.next() : null;
      }
      while (head != null && starved(head, now)) {
        starved.add(head);
        head = it.hasNext() ? it.next() : null;
      }
      cursors.put(t, it);
      heads.put(t, head);
      usageSoFar.put(t, t.windowUsage + pending(t.id));
    }
    // Interrupted runs (R29) and jobs past the max wait (R9) go before any ranking; between them,
    // the one submitted first
    java.util.Set<QueuedJob> wasInterrupted = new java.util.HashSet<>(interrupted);
    List<QueuedJob> first = new ArrayList<>(interrupted);
    first.addAll(starved);
    first.sort(Comparator.comparing((QueuedJob j) -> submitted(j))
        .thenComparing(j -> home.get(j.jobId()).keys.get(j.jobId())));
    for (QueuedJob j : first) {
      out.add(new Ranked(j, "fair_share", ratioOf(home.get(j.jobId()), usageSoFar), wasInterrupted.contains(j)
          ? "its run was interrupted by a node stop: back at the head of the queue (R29)"
          : "waited longer than fair-share.max-wait (R9)"));
      usageSoFar.merge(home.get(j.jobId()), j.estimatedQuantumSeconds(), Double::sum); // its start counts too
    }
    PriorityQueue<Tenant> pq = new PriorityQueue<>(Comparator.comparingDouble((Tenant t) -> ratioOf(t, usageSoFar))
        .thenComparingLong(t -> keyOfHead(t, heads)).thenComparing(t -> t.id));
    heads.forEach((t, h) -> {
      if (h != null) {
        pq.add(t);
      }
    });
    while (!pq.isEmpty()) {
      Tenant t = pq.poll();
      QueuedJob job = heads.get(t);
      out.add(new Ranked(job, "fair_share", ratioOf(t, usageSoFar), "lowest usage / allocation"));
      usageSoFar.merge(t, job.estimatedQuantumSeconds(), Double::sum);
      Iterator<QueuedJob> it = cursors.get(t);
      QueuedJob next = it.hasNext() ? it.next() : null;
      heads.put(t, next);
      if (next != null) {
        pq.add(t);
      }
    }
    for (Tenant t : tenants.values()) {
      if (!t.eligible) {
        for (QueuedJob j : t.jobs.values()) {
          out.add(new Ranked(j, "fair_share", t.ratio, "instance reached its usage limit (R8): waits until usage drops"));
        }
      }
    }
    return out;
  }

  private static Instant submitted(QueuedJob j) {
    return j.submittedAt() == null ? Instant.EPOCH : j.submittedAt();
  }

  private double ratioOf(Tenant t, Map<Tenant, Double> usageSoFar) {
    return plan(t.id).ratio(usageSoFar.getOrDefault(t, t.windowUsage));
  }

  private static long keyOfHead(Tenant t, Map<Tenant, QueuedJob> heads) {
    QueuedJob h = heads.get(t);
    return h == null ? Long.MAX_VALUE : t.keys.get(h.jobId());
  }
}
