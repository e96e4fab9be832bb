package dev.lanes.core.queue;

import dev.lanes.core.usage.UsageBook;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Fair share (R5c), limits (R8), starvation guard (R9) and lanes (R1, R7) in simulated time. */
class FairShareProperties {
  static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

  /** A running job and when it ends. */
  record Running(QueuedJob job, long endsAt) {}

  /** One backend in discrete simulated time: queues, lanes, a usage book, a fake clock. */
  static final class Sim {
    final Map<String, InstancePlan> plans;
    final UsageBook book;
    final BackendQueues queues;
    final LaneTable lanes;
    final PriorityQueue<Running> running = new PriorityQueue<>((a, b) -> Long.compare(a.endsAt, b.endsAt));
    final Map<String, Double> received = new HashMap<>();
    final Set<String> started = new HashSet<>();
    final Map<String, Integer> queuedBy = new HashMap<>();
    long now; // seconds after T0
    int seq;

    Sim(Map<String, InstancePlan> plans, int laneCount, Duration maxWait, Duration window) {
      this.plans = plans;
      this.book = new UsageBook(window);
      this.queues = new BackendQueues(new FairSharePolicy(plans::get, FairSharePolicyTest.of(book), maxWait));
      this.lanes = new LaneTable(laneCount);
    }

    Instant at() {
      return T0.plusSeconds(now);
    }

    QueuedJob submit(String instance, double seconds) {
      QueuedJob j = new QueuedJob("j" + seq++, instance, null, null, at(), null, seconds);
      if (!queues.enqueue(j, false)) {
        throw new AssertionError("fresh job refused: " + j.jobId());
      }
      queuedBy.merge(instance, 1, Integer::sum);
      return j;
    }

    /** Ends every job due by now: the lane frees, fair share forgets the estimate, the ledger charges. */
    void endDue() {
      while (!running.isEmpty() && running.peek().endsAt <= now) {
        Running r = running.poll();
        QueuedJob j = r.job;
        if (!lanes.release(lanes.laneOf(j.jobId()).orElseThrow(), j.jobId())) {
          throw new AssertionError("lane of " + j.jobId() + " not held");
        }
        queues.ended(j, j.estimatedQuantumSeconds(), T0.plusSeconds(r.endsAt));
        book.add(j.instance(), T0.plusSeconds(r.endsAt), j.estimatedQuantumSeconds(),
            dev.lanes.core.usage.Charge.jobChargeId(j.jobId()));
        received.merge(j.instance(), j.estimatedQuantumSeconds(), Double::sum);
      }
    }

    List<Dispatcher.Assignment> fill() {
      List<Dispatcher.Assignment> starts = Dispatcher.fill(queues, lanes, false, at());
      for (Dispatcher.Assignment a : starts) {
        if (!started.add(a.job().jobId())) {
          throw new AssertionError("R1: " + a.job().jobId() + " started twice");
        }
        queuedBy.merge(a.job().instance(), -1, Integer::sum);
        running.add(new Running(a.job(), now + Math.max(1, Math.round(a.job().estimatedQuantumSeconds()))));
      }
      if (lanes.busy() > lanes.lanes()) {
        throw new AssertionError("R1: " + lanes.busy() + " busy lanes of " + lanes.lanes());
      }
      return starts;
    }

    boolean eligible(QueuedJob j) {
      InstancePlan p = plans.get(j.instance());
      return p == null || !p.blocks(book.windowSeconds(j.instance(), at()));
    }
  }

  // R5c: allocations 2:1, both always backlogged: quantum time received converges to 2:1
  @Property(tries = 20)
  void quantumTimeConvergesToTheAllocations(
      @ForAll @IntRange(min = 1, max = 5) int laneCount,
      @ForAll("jobSeconds") int jobSeconds,
      @ForAll @IntRange(min = 1, max = 1000) int allocationUnit) {
    Map<String, InstancePlan> plans = Map.of(
        "A", new InstancePlan(2.0 * allocationUnit, null, false),
        "B", new InstancePlan(allocationUnit, null, false));
    Sim sim = new Sim(plans, laneCount, Duration.ofHours(24), Duration.ofDays(28));
    int backlog = laneCount + 2;
    int ended = 0;
    while (ended < 3000) {
      for (String inst : List.of("A", "B")) { // endless backlogs
        for (int k = sim.queuedBy.getOrDefault(inst, 0); k < backlog; k++) {
          sim.submit(inst, jobSeconds);
        }
      }
      sim.fill();
      if (sim.lanes.busy() != laneCount) {
        throw new AssertionError("R7: idle lane with backlogs queued");
      }
      sim.now = sim.running.peek().endsAt;
      int before = sim.running.size();
      sim.endDue();
      ended += before - sim.running.size();
    }
    double a = sim.received.getOrDefault("A", 0.0);
    double b = sim.received.getOrDefault("B", 0.0);
    double ratio = a / b;
    if (ratio < 1.9 || ratio > 2.1) {
      throw new AssertionError("R5c: A received " + a + " s, B " + b + " s: ratio " + ratio + ", want 2 ± 5 %");
    }
  }

  @Provide
  Arbitrary<Integer> jobSeconds() {
    return Arbitraries.of(1, 7, 60, 333);
  }

  /** One step of a random workload. */
  sealed interface Op {}

  record Submit(int instance, int seconds) implements Op {}

  record Advance(int seconds) implements Op {}

  record Cancel(int pick) implements Op {}

  @Provide
  Arbitrary<Op> ops() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers().between(1, 400))
            .as(Submit::new)),
        Tuple.of(4, Arbitraries.integers().between(1, 900).map(Advance::new)),
        Tuple.of(1, Arbitraries.integers().between(0, 1000).map(Cancel::new)));
  }

  record Setup(List<InstancePlan> plans, List<Integer> usages) {}

  @Provide
  Arbitrary<Setup> setups() {
    Arbitrary<InstancePlan> plan = Combinators.combine(
        Arbitraries.integers().between(0, 500),
        Arbitraries.integers().between(1, 3000),
        Arbitraries.of(true, false)).as((alloc, limit, limited) -> new InstancePlan(alloc, (double) limit, limited));
    return Combinators.combine(plan.list().ofSize(4), Arbitraries.integers().between(0, 2000).list().ofSize(4))
        .as(Setup::new);
  }

  private static Sim randomSim(Setup s, int laneCount, Duration maxWait) {
    Map<String, InstancePlan> plans = new HashMap<>();
    for (int i = 0; i < 4; i++) {
      plans.put("i" + i, s.plans().get(i));
    }
    plans.remove("i3"); // one instance the configuration does not know
    Sim sim = new Sim(plans, laneCount, maxWait, Duration.ofDays(28));
    for (int i = 0; i < 4; i++) {
      if (s.usages().get(i) > 0) {
        sim.book.add("i" + i, T0.minusSeconds(1), s.usages().get(i)); // earlier usage in the window
      }
    }
    return sim;
  }

  /** Applies one op; returns the jobs the dispatcher started afterwards. */
  private static List<Dispatcher.Assignment> apply(Sim sim, Op op, Set<String> cancelled) {
    if (op instanceof Submit s) {
      sim.submit("i" + s.instance(), s.seconds());
    } else if (op instanceof Advance a) {
      sim.now += a.seconds();
      sim.endDue();
    } else if (op instanceof Cancel c && !sim.queues.isEmpty()) {
      List<QueuedJob> q = sim.queues.startOrder(sim.at());
      String id = q.get(c.pick() % q.size()).jobId();
      sim.queues.remove(id).orElseThrow();
      cancelled.add(id);
    }
    return sim.fill();
  }

  private static int index(QueuedJob j) {
    return Integer.parseInt(j.jobId().substring(1));
  }

  // R5c: within one instance jobs start oldest first, whatever the ratios, limits and waits
  @Property(tries = 300)
  void jobsOfOneInstanceStartInSubmissionOrder(
      @ForAll("setups") Setup setup,
      @ForAll @IntRange(min = 1, max = 5) int laneCount,
      @ForAll @IntRange(min = 60, max = 5000) int maxWaitSeconds,
      @ForAll @Size(max = 120) List<@From("ops") Op> ops) {
    Sim sim = randomSim(setup, laneCount, Duration.ofSeconds(maxWaitSeconds));
    Map<String, Integer> lastStarted = new HashMap<>();
    Set<String> cancelled = new HashSet<>();
    for (Op op : ops) {
      for (Dispatcher.Assignment a : apply(sim, op, cancelled)) {
        QueuedJob j = a.job();
        Integer last = lastStarted.put(j.instance(), index(j));
        if (last != null && last > index(j)) {
          throw new AssertionError("R5c: " + j.jobId() + " of " + j.instance() + " started after j" + last);
        }
      }
      Map<String, Integer> seen = new HashMap<>(); // the explanation agrees
      for (QueuedJob j : sim.queues.startOrder(sim.at())) {
        Integer before = seen.put(j.instance(), index(j));
        if (before != null && before > index(j)) {
          throw new AssertionError("R5c: startOrder puts " + j.jobId() + " after j" + before);
        }
      }
    }
  }

  // R9: whenever a lane starts a job, no eligible queued job submitted before it has waited longer
  // than max-wait. Checked at every start: before each start, if the oldest eligible queued job
  // is past max-wait, the started job is that one; after the fill, no started job leaves an older
  // eligible job past max-wait behind it. (Decisions happen when lanes free, so a job may wait up
  // to max-wait plus the longest running job before starting; that slack is not a violation.)
  @Property(tries = 300)
  void noEligibleJobWaitsPastMaxWaitBehindYoungerOnes(
      @ForAll("setups") Setup setup,
      @ForAll @IntRange(min = 1, max = 4) int laneCount,
      @ForAll @IntRange(min = 30, max = 3000) int maxWaitSeconds,
      @ForAll @Size(min = 20, max = 150) List<@From("ops") Op> ops) {
    Duration maxWait = Duration.ofSeconds(maxWaitSeconds);
    // the worst ratio by far: it only ever wins by the guard
    Setup skewed = new Setup(setup.plans(), List.of(setup.usages().get(0) + 1_000_000, setup.usages().get(1),
        setup.usages().get(2), setup.usages().get(3)));
    Sim sim = randomSim(skewed, laneCount, maxWait);
    Set<String> cancelled = new HashSet<>();
    for (Op op : ops) {
      if (op instanceof Submit s) {
        sim.submit("i" + s.instance(), s.seconds());
      } else if (op instanceof Advance a) {
        sim.now += a.seconds();
        sim.endDue();
      } else if (op instanceof Cancel c && !sim.queues.isEmpty()) {
        List<QueuedJob> q = sim.queues.startOrder(sim.at());
        String id = q.get(c.pick() % q.size()).jobId();
        sim.queues.remove(id).orElseThrow();
        cancelled.add(id);
      }
      // the fill, as Dispatcher.fill does it, checking each decision
      while (sim.lanes.freeLane().isPresent()) {
        List<QueuedJob> queued = sim.queues.startOrder(sim.at());
        QueuedJob oldest = queued.stream().filter(sim::eligible)
            .min((x, y) -> Integer.compare(index(x), index(y))).orElse(null);
        var next = sim.queues.next(sim.at());
        if (next.isEmpty()) {
          if (oldest != null) {
            throw new AssertionError("R7: eligible " + oldest.jobId() + " queued, lane free, nothing started");
          }
          break;
        }
        QueuedJob j = next.get();
        sim.queues.take(j.jobId()).orElseThrow();
        sim.lanes.occupy(sim.lanes.freeLane().getAsInt(), j.jobId());
        sim.started.add(j.jobId());
        sim.running.add(new Running(j, sim.now + Math.max(1, Math.round(j.estimatedQuantumSeconds()))));
        if (!sim.eligible(j)) {
          throw new AssertionError("R8: " + j.jobId() + " of an instance at its limit started");
        }
        Duration age = Duration.between(oldest.submittedAt(), sim.at());
        if (age.compareTo(maxWait) > 0 && !oldest.jobId().equals(j.jobId())) {
          throw new AssertionError("R9: " + oldest.jobId() + " waited " + age + " > " + maxWait
              + " but " + j.jobId() + " (submitted later) started");
        }
      }
    }
  }

  // R1, R7, R8: random submits, ends, cancels and time, limited and unknown instances included:
  // never more busy lanes than lanes, no job started twice or after its cancel, no job of an
  // instance at its limit started, and no lane idle while an eligible job waits
  @Property(tries = 300)
  void lanesNeverOverfilledNoDoubleStartsLimitsHeld(
      @ForAll("setups") Setup setup,
      @ForAll @IntRange(min = 1, max = 6) int laneCount,
      @ForAll @Size(max = 150) List<@From("ops") Op> ops) {
    Sim sim = randomSim(setup, laneCount, Duration.ofHours(24));
    Set<String> cancelled = new HashSet<>();
    int submitted = 0;
    for (Op op : ops) {
      if (op instanceof Submit) {
        submitted++;
      }
      List<Dispatcher.Assignment> starts = apply(sim, op, cancelled);
      for (Dispatcher.Assignment a : starts) {
        if (cancelled.contains(a.job().jobId())) {
          throw new AssertionError("cancelled " + a.job().jobId() + " started");
        }
        if (!sim.eligible(a.job())) {
          throw new AssertionError("R8: " + a.job().jobId() + " of " + a.job().instance() + " at its limit started");
        }
        if (sim.queues.contains(a.job().jobId())) {
          throw new AssertionError(a.job().jobId() + " started and still queued");
        }
      }
      if (sim.lanes.freeLane().isPresent()) {
        for (QueuedJob j : sim.queues.startOrder(sim.at())) {
          if (sim.eligible(j)) {
            throw new AssertionError("R7: lane idle while eligible " + j.jobId() + " waits");
          }
        }
      }
      if (sim.queues.size() + sim.started.size() + cancelled.size() != submitted) {
        throw new AssertionError("a job was lost or invented");
      }
    }
  }

  // R5c, R8, R9: the explanation is the start order: startOrder(now) equals what successive
  // next() + take + started() start, then the jobs of instances at their limit
  @Property(tries = 300)
  void startOrderIsWhatTheDispatcherWouldStart(
      @ForAll("setups") Setup setup,
      @ForAll @IntRange(min = 60, max = 3000) int maxWaitSeconds,
      @ForAll @Size(max = 60) List<@From("ops") Op> ops) {
    Sim sim = randomSim(setup, 1, Duration.ofSeconds(maxWaitSeconds));
    for (Op op : ops) { // builds a queue; nothing starts (no lanes are freed for it below)
      if (op instanceof Submit s) {
        sim.submit("i" + s.instance(), s.seconds());
      } else if (op instanceof Advance a) {
        sim.now += a.seconds();
      }
    }
    List<StartPolicy.Ranked> explained = sim.queues.explain(sim.at());
    List<String> simulated = new ArrayList<>();
    while (true) {
      var next = sim.queues.next(sim.at());
      if (next.isEmpty()) {
        break;
      }
      sim.queues.take(next.get().jobId()).orElseThrow();
      simulated.add(next.get().jobId());
    }
    List<String> order = explained.stream().map(r -> r.job().jobId()).toList();
    if (!order.subList(0, simulated.size()).equals(simulated)) {
      throw new AssertionError("startOrder " + order + " but the dispatcher starts " + simulated);
    }
    for (StartPolicy.Ranked r : explained.subList(simulated.size(), explained.size())) {
      if (sim.eligible(r.job()) || !r.why().contains("limit")) {
        throw new AssertionError("after the startable jobs: " + r);
      }
    }
  }
}
