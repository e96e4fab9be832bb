package dev.lanes.core.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.core.usage.UsageBook;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Fair share (R5c), usage limits (R8) and the starvation guard (R9) of the normal queue. */
class FairSharePolicyTest {
  static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
  static final Duration MAX_WAIT = Duration.ofHours(24);

  /** Usage a test sets by hand; every change bumps the version, as a ledger charge would. */
  static final class FakeUsage implements FairSharePolicy.Usage {
    final Map<String, Double> seconds = new HashMap<>();
    long version;

    void set(String instance, double s) {
      seconds.put(instance, s);
      version++;
    }

    @Override
    public double windowSeconds(String instance, Instant now) {
      return seconds.getOrDefault(instance, 0.0);
    }

    @Override
    public long version() {
      return version;
    }
  }

  /** The usage book as the policy reads it (how the node wires them). */
  static FairSharePolicy.Usage of(UsageBook book) {
    return new FairSharePolicy.Usage() {
      @Override
      public double windowSeconds(String instance, Instant now) {
        return book.windowSeconds(instance, now);
      }

      @Override
      public long version() {
        return book.version();
      }
    };
  }

  private final Map<String, InstancePlan> plans = new HashMap<>();
  private final FakeUsage usage = new FakeUsage();
  private FairSharePolicy policy = new FairSharePolicy(plans::get, usage, MAX_WAIT);
  private long key = 0;

  private void plan(String instance, double allocation) {
    plans.put(instance, new InstancePlan(allocation, null, false));
  }

  private static QueuedJob job(String id, String instance, Instant submitted, double estimate) {
    return new QueuedJob(id, instance, null, null, submitted, null, estimate);
  }

  /** Queues a job submitted at T0 + key seconds, behind everything queued before it. */
  private QueuedJob enqueue(String id, String instance, double estimate) {
    key++;
    QueuedJob j = job(id, instance, T0.plusSeconds(key), estimate);
    policy.add(j, key);
    return j;
  }

  private QueuedJob enqueue(String id, String instance) {
    return enqueue(id, instance, 0);
  }

  private Optional<String> next(Instant now) {
    return policy.next(now).map(QueuedJob::jobId);
  }

  /** What a dispatcher does with the pick: takes it out and tells the policy it started. */
  private String start(Instant now) {
    QueuedJob j = policy.next(now).orElseThrow();
    assertEquals(Optional.of(j), policy.remove(j.jobId()));
    policy.started(j);
    return j.jobId();
  }

  private List<String> startAll(Instant now) {
    List<String> out = new ArrayList<>();
    while (policy.next(now).isPresent()) {
      out.add(start(now));
    }
    return out;
  }

  private List<String> order(Instant now) {
    return policy.startOrder(now).stream().map(r -> r.job().jobId()).toList();
  }

  // R5c: the instance with the lowest usage / allocation goes first, whoever submitted first
  @Test
  void lowestUsageOverAllocationGoesFirst() {
    plan("a", 100);
    plan("b", 10);
    plan("c", 1000);
    usage.set("a", 50); // 0.5
    usage.set("b", 2); // 0.2
    usage.set("c", 400); // 0.4
    enqueue("a1", "a");
    enqueue("c1", "c");
    enqueue("b1", "b");

    assertEquals(List.of("b1", "c1", "a1"), startAll(T0.plusSeconds(10)));
  }

  // R5c: within an instance, oldest first (order key), however the others rank
  @Test
  void oldestFirstWithinAnInstance() {
    plan("a", 100);
    plan("b", 100);
    usage.set("b", 1000);
    enqueue("a1", "a");
    enqueue("b1", "b");
    enqueue("a2", "a");
    enqueue("b2", "b");
    enqueue("a3", "a");

    assertEquals(List.of("a1", "a2", "a3", "b1", "b2"), startAll(T0.plusSeconds(10)));
  }

  // R5c: an interrupted job put at the head (lower key) goes before its instance's older-keyed jobs
  @Test
  void orderKeyNotArrivalDecidesWithinAnInstance() {
    plan("a", 100);
    policy.add(job("a1", "a", T0.plusSeconds(1), 0), 5);
    policy.add(job("a2", "a", T0.plusSeconds(2), 0), -1);
    assertEquals(List.of("a2", "a1"), startAll(T0.plusSeconds(10)));
  }

  // R5c: equal ratios: the instance whose head job is older goes first
  @Test
  void tiesGoToTheOlderHeadJob() {
    plan("a", 100);
    plan("b", 50);
    usage.set("a", 20); // 0.2
    usage.set("b", 10); // 0.2
    enqueue("b1", "b");
    enqueue("a1", "a");
    assertEquals(Optional.of("b1"), next(T0.plusSeconds(10)));

    FairSharePolicy fresh = new FairSharePolicy(plans::get, usage, MAX_WAIT);
    fresh.add(job("a1", "a", T0, 0), 1);
    fresh.add(job("b1", "b", T0.plusSeconds(1), 0), 2);
    assertEquals("a1", fresh.next(T0.plusSeconds(10)).orElseThrow().jobId());
  }

  // R8: over its allocation but not limited: lower priority, never held; R7: runs when alone
  @Test
  void overAllocationButNotLimitedOnlyRanksLower() {
    plans.put("a", new InstancePlan(10, 20.0, false)); // a limit, but not enforced
    plan("b", 10);
    usage.set("a", 50); // ratio 5, past the limit
    enqueue("a1", "a");
    enqueue("b1", "b");
    assertEquals(List.of("b1", "a1"), order(T0.plusSeconds(10)));
    assertEquals("b1", start(T0.plusSeconds(10)));
    assertEquals(Optional.of("a1"), next(T0.plusSeconds(10))); // R7: alone, it runs

    enqueue("a2", "a");
    assertEquals(List.of("a1", "a2"), startAll(T0.plusSeconds(10)));
  }

  // R8: a limited instance at its limit starts nothing; its jobs stay queued; others still run
  @Test
  void limitedInstanceAtItsLimitStartsNothingAndKeepsItsJobs() {
    plans.put("a", new InstancePlan(100, 60.0, true));
    plan("b", 100);
    usage.set("a", 59.5);
    enqueue("a1", "a");
    assertEquals(Optional.of("a1"), next(T0.plusSeconds(10))); // under the limit: eligible

    usage.set("a", 60); // at the limit
    enqueue("a2", "a");
    assertEquals(Optional.empty(), next(T0.plusSeconds(10)));
    assertEquals(2, policy.size());
    assertTrue(policy.keyOf("a1").isPresent() && policy.keyOf("a2").isPresent());

    enqueue("b1", "b");
    assertEquals("b1", start(T0.plusSeconds(10))); // others are not held up
    assertEquals(Optional.empty(), next(T0.plusSeconds(10)));
    assertEquals(2, policy.size());

    usage.set("a", 75); // past it: still held
    assertEquals(Optional.empty(), next(T0.plusSeconds(20)));

    usage.set("a", 30); // usage dropped (version bumped): eligible again, same order
    assertEquals(List.of("a1", "a2"), startAll(T0.plusSeconds(30)));
  }

  // R8: the window moving on in the usage book makes a limited instance eligible again
  @Test
  void limitedInstanceRunsAgainWhenItsChargesLeaveTheWindow() {
    UsageBook book = new UsageBook(Duration.ofHours(1));
    policy = new FairSharePolicy(plans::get, of(book), MAX_WAIT);
    plans.put("a", new InstancePlan(100, 60.0, true));
    book.add("a", T0, 40);
    book.add("a", T0.plusSeconds(600), 20);
    enqueue("a1", "a");
    enqueue("a2", "a");

    assertEquals(Optional.empty(), next(T0.plusSeconds(900)));
    assertEquals(Optional.empty(), next(T0.plus(Duration.ofMinutes(59))));
    assertEquals(2, policy.size());
    // T0's 40 s leave the window (no new charge: the policy notices by itself within a minute)
    assertEquals(Optional.of("a1"), next(T0.plus(Duration.ofMinutes(61))));
    assertEquals(List.of("a1", "a2"), startAll(T0.plus(Duration.ofMinutes(61))));
  }

  // R9: a job older than max-wait goes first, even from the instance with the worst ratio
  @Test
  void starvedJobGoesFirstWhateverItsRatio() {
    plan("a", 10);
    plan("b", 10);
    usage.set("a", 1_000_000); // the worst ratio by far
    policy.add(job("a1", "a", T0, 0), 1);
    policy.add(job("a2", "a", T0.plusSeconds(60), 0), 2);
    policy.add(job("b1", "b", T0.plusSeconds(600), 0), 3);
    policy.add(job("b2", "b", T0.plusSeconds(700), 0), 4);

    assertEquals(Optional.of("b1"), next(T0.plus(MAX_WAIT))); // exactly max-wait: not yet past it
    Instant later = T0.plus(MAX_WAIT).plusSeconds(1);
    assertEquals(List.of("a1", "b1", "b2", "a2"), order(later));
    assertEquals("a1", start(later));
    assertEquals("b1", start(later)); // a2 has not waited long enough: fair share again
    Instant muchLater = T0.plus(MAX_WAIT).plusSeconds(61);
    assertEquals(List.of("a2", "b2"), order(muchLater));
    assertEquals(List.of("a2", "b2"), startAll(muchLater));
  }

  // R8 over R9: a starved job of a limited instance at its limit still waits (it is not eligible)
  @Test
  void starvationGuardDoesNotOverrideAUsageLimit() {
    plans.put("a", new InstancePlan(10, 5.0, true));
    plan("b", 10);
    usage.set("a", 5);
    policy.add(job("a1", "a", T0, 0), 1);
    policy.add(job("b1", "b", T0.plus(MAX_WAIT), 0), 2);
    Instant later = T0.plus(MAX_WAIT).plusSeconds(60);
    assertEquals(List.of("b1"), startAll(later));
    assertEquals(1, policy.size());
  }

  // R5c: started jobs' estimates count at once, before any charge; ending takes them back off
  @Test
  void inFlightEstimatesMoveTheRatioAtOnce() {
    plan("a", 100);
    plan("b", 100);
    enqueue("a1", "a", 30);
    enqueue("b1", "b", 10);
    enqueue("a2", "a", 30);
    enqueue("b2", "b", 10);
    Instant now = T0.plusSeconds(10);
    long version = usage.version();

    assertEquals("a1", start(now)); // tie at 0: older head
    assertEquals(Optional.of("b1"), next(now)); // a is at 0.3 now, no charge yet
    assertEquals("b1", start(now));
    assertEquals(Optional.of("b2"), next(now)); // b 0.1 < a 0.3
    policy.ended(job("a1", "a", T0.plusSeconds(1), 30), 0, now);
    assertEquals(Optional.of("a2"), next(now)); // a back to 0, the head's older
    assertEquals(version, usage.version());

    // a job that started elsewhere (not in this queue) still counts for its instance
    policy.started(job("x", "b", T0, 1000));
    policy.ended(job("b1", "b", T0, 10), 0, now);
    assertEquals(Optional.of("a2"), next(now));
    assertEquals("a2", start(now)); // a at 0.3, b at 10 while x runs
    enqueue("a3", "a", 30);
    assertEquals(Optional.of("a3"), next(now));
    policy.ended(job("x", "b", T0, 1000), 0, now);
    assertEquals(Optional.of("b2"), next(now)); // b back to 0 < a's 0.3
  }

  // R5c: startOrder is what successive next() + take + started() would start, and why
  @Test
  void startOrderIsTheOrderTheDispatcherWouldStartIn() {
    plan("a", 100);
    plan("b", 50);
    plan("c", 300);
    plans.put("lim", new InstancePlan(100, 10.0, true));
    usage.set("a", 10);
    usage.set("b", 0);
    usage.set("c", 60);
    usage.set("lim", 10);
    policy.add(job("old-c", "c", T0.minus(MAX_WAIT).minusSeconds(10), 25), 1);
    policy.add(job("old-lim", "lim", T0.minus(MAX_WAIT).minusSeconds(5), 5), 2);
    key = 2;
    for (int i = 0; i < 6; i++) {
      enqueue("a" + i, "a", 10 + i);
      enqueue("b" + i, "b", 7);
      enqueue("c" + i, "c", 40);
      enqueue("lim" + i, "lim", 1);
    }
    List<StartPolicy.Ranked> ranked = policy.startOrder(T0);
    assertEquals(policy.size(), ranked.size());
    List<String> order = ranked.stream().map(r -> r.job().jobId()).toList();
    assertEquals("old-c", order.get(0)); // R9 first
    assertTrue(ranked.get(0).why().contains("max-wait"), ranked.get(0).why());

    List<String> simulated = startAll(T0);
    assertEquals(order.subList(0, simulated.size()), simulated);
    List<String> tail = order.subList(simulated.size(), order.size());
    assertEquals(List.of("old-lim", "lim0", "lim1", "lim2", "lim3", "lim4", "lim5"), tail);
    for (StartPolicy.Ranked r : ranked.subList(simulated.size(), ranked.size())) {
      assertTrue(r.why().contains("limit"), r.why());
    }
    assertEquals(7, policy.size());
  }

  // R5c: the ratios startOrder reports are each job's instance's ratio when it would start
  @Test
  void startOrderReportsTheRatioAtEachStart() {
    plan("a", 100);
    usage.set("a", 20);
    enqueue("a1", "a", 30);
    enqueue("a2", "a", 30);
    List<StartPolicy.Ranked> ranked = policy.startOrder(T0.plusSeconds(10));
    assertEquals(0.2, ranked.get(0).fairShareRatio(), 1e-12);
    assertEquals(0.5, ranked.get(1).fairShareRatio(), 1e-12);
    assertEquals("fair_share", ranked.get(0).priorityClass());
    assertEquals(2, policy.size()); // explaining takes nothing out
  }

  // the queue itself: keys, removal, duplicates, size
  @Test
  void removeKeyOfAndSize() {
    plan("a", 100);
    assertTrue(policy.isEmpty());
    assertEquals(Optional.empty(), policy.next(T0));
    QueuedJob a1 = enqueue("a1", "a");
    enqueue("a2", "a");
    enqueue("b1", "b");
    assertEquals(3, policy.size());
    assertEquals(Optional.of(2L), policy.keyOf("a2"));
    policy.add(job("a2", "a", T0, 0), 99); // already queued: ignored
    assertEquals(3, policy.size());
    assertEquals(Optional.of(2L), policy.keyOf("a2"));

    assertEquals(Optional.of(a1), policy.remove("a1"));
    assertEquals(Optional.empty(), policy.remove("a1"));
    assertEquals(Optional.empty(), policy.keyOf("a1"));
    assertEquals(Optional.empty(), policy.remove("never"));
    assertEquals(2, policy.size());
    assertEquals(List.of("a2", "b1"), order(T0.plusSeconds(10)));

    policy.remove("a2");
    policy.remove("b1");
    assertTrue(policy.isEmpty());
    assertEquals(Optional.empty(), policy.next(T0.plusSeconds(10)));
    assertEquals(List.of(), order(T0.plusSeconds(10)));
    enqueue("a3", "a"); // an instance whose queue emptied comes back
    assertEquals(Optional.of("a3"), next(T0.plusSeconds(10)));
  }

  // R5c: an instance the plans do not know ranks after every known one, but is never held (R7)
  @Test
  void unknownInstanceRanksAfterKnownOnes() {
    plan("a", 1);
    usage.set("a", 10_000); // ratio 10 000
    usage.set("ghost", 0);
    enqueue("g1", "ghost");
    enqueue("a1", "a");
    enqueue("g2", "ghost");
    assertEquals(List.of("a1", "g1", "g2"), order(T0.plusSeconds(10)));
    assertEquals(List.of("a1", "g1", "g2"), startAll(T0.plusSeconds(10)));
  }

  // R9, R29: an interrupted job re-queued at the head does not hide another instance's starved job.
  // Known gap: next() only asks whether the lowest-KEYED head is past max-wait, so a younger
  // interrupted job at key -1 hides an older starved job of another instance (startOrder, which
  // walks every instance, puts it first: the two disagree).
  @Test
  void interruptedJobAtTheHeadDoesNotHideAStarvedJob() {
    plan("a", 10);
    plan("b", 10);
    plan("c", 10);
    usage.set("a", 1000); // worst ratio
    usage.set("b", 500);
    policy.add(job("a-old", "a", T0, 0), 1); // starved at T0 + max-wait + 1 s
    policy.add(job("b-back", "b", T0.plusSeconds(30), 0), -1); // interrupted, back at the head
    policy.add(job("c1", "c", T0.plusSeconds(60), 0), 2); // best ratio, submitted later
    Instant later = T0.plus(MAX_WAIT).plusSeconds(10);
    assertEquals("a-old", order(later).get(0));
    assertEquals(Optional.of("a-old"), next(later));
  }

  // R5c: between a run's end and its charge reaching the ledger, its instance keeps the usage
  @Test
  void aRunsQuantumTimeCountsUntilItsChargeArrivesAndThenOnlyOnce() {
    UsageBook book = new UsageBook(Duration.ofDays(28));
    plan("a", 100);
    plan("b", 100);
    policy = new FairSharePolicy(plans::get, book, MAX_WAIT);
    Instant now = T0.plusSeconds(10);
    enqueue("a1", "a", 30);
    enqueue("b1", "b", 10);
    assertEquals("a1", start(now));
    QueuedJob a1 = job("a1", "a", T0, 30);
    policy.ended(a1, 30, now); // off its lane; the ledger has not recorded it yet
    enqueue("a2", "a", 30);
    assertEquals(Optional.of("b1"), next(now)); // a still counts 30 s: b (0) first
    book.add("a", now, 30, dev.lanes.core.usage.Charge.jobChargeId("a1"));
    assertEquals(Optional.of("b1"), next(now));
    var order = policy.startOrder(now);
    assertEquals(0.3, order.stream().filter(r -> r.job().jobId().equals("a2")).findFirst().orElseThrow()
        .fairShareRatio(), 1e-9); // 30 s once, not 60
  }

  // R29: an interrupted run goes back at the head of the queue, whatever its instance's ratio
  @Test
  void anInterruptedRunGoesFirstWhateverTheRatio() {
    plan("a", 10);
    plan("b", 10);
    usage.set("a", 1000); // worst ratio
    policy.add(job("b1", "b", T0.plusSeconds(10), 0), 1);
    policy.add(job("a-back", "a", T0, 0), -1); // was running when the node stopped
    Instant now = T0.plusSeconds(60);
    assertEquals(Optional.of("a-back"), next(now));
    assertEquals("a-back", order(now).get(0));
  }

  // R5c: the hint of upcoming jobs starts with the pick and goes on with that instance's queue
  @Test
  void upcomingStartsWithTheNextPick() {
    plan("a", 100);
    plan("b", 100);
    enqueue("a1", "a");
    enqueue("b1", "b");
    enqueue("a2", "a");
    String first = next(T0).orElseThrow();
    List<String> hint = policy.upcoming(2, T0).stream().map(QueuedJob::jobId).toList();
    assertEquals(first, hint.get(0));
    assertEquals(first.equals("a1") ? List.of("a1", "a2") : List.of("b1"), hint);
    assertEquals(List.of(), new FairSharePolicy(plans::get, usage, MAX_WAIT).upcoming(3, T0));
  }
}
