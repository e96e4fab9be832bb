package dev.lanes.actors.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.FishingOutcomes;
import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigFactory;
import dev.lanes.actors.TestClock;
import dev.lanes.actors.TestJobs;
import dev.lanes.actors.backend.QueueArbiter;
import dev.lanes.actors.usage.UsageLedger;
import dev.lanes.core.job.JobEvent;
import dev.lanes.core.job.JobState;
import dev.lanes.core.job.JobStatus;
import dev.lanes.core.session.CloseReason;
import dev.lanes.core.session.SessionEvent;
import dev.lanes.core.session.SessionMode;
import dev.lanes.core.session.SessionRules;
import dev.lanes.core.session.SessionState;
import dev.lanes.core.session.SessionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The session entity's timers under {@code ManualTime}: every TTL fires when, and only when, its
 * deadline passes; the clock the entity reads moves in step.
 */
class SessionEntityTest {
  static final ActorTestKit testKit = ActorTestKit.create(ManualTime.config()
      .withFallback(EventSourcedBehaviorTestKit.config())
      .withFallback(ConfigFactory.parseString("akka.actor.provider = local"))
      .withFallback(ConfigFactory.load()));
  static final ManualTime manualTime = ManualTime.get(testKit.system());
  static final AtomicInteger ids = new AtomicInteger();
  static final Duration ITTL = Duration.ofSeconds(60);
  static final Duration MAX = Duration.ofSeconds(600);
  static final Duration UNUSED = Duration.ofMinutes(30);

  final TestClock clock = new TestClock(TestJobs.T0);
  final TestProbe<QueueArbiter.Command> arbiter = testKit.createTestProbe();
  final TestProbe<UsageLedger.Command> ledger = testKit.createTestProbe();
  final SessionIndex index = new SessionIndex();
  /** Jobs the session created with its JobAdded and handed to the read model and queue. */
  final List<JobEvent.Submitted> admitted = new java.util.concurrent.CopyOnWriteArrayList<>();
  final String id = "s-" + ids.incrementAndGet();
  final EventSourcedBehaviorTestKit<SessionEntity.Command, SessionEvent, SessionState> kit =
      EventSourcedBehaviorTestKit.create(testKit.system(),
          SessionEntity.create(id, new SessionWiring(clock, index, b -> arbiter.ref(), i -> ledger.ref(),
              Duration.ofSeconds(3), admitted::add)),
          // events and replies must serialise (they are persisted and may cross nodes); the state is
          // folded in place and never snapshotted, so it is not checked
          EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyState(false));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private void passes(Duration d) {
    clock.advance(d);
    manualTime.timePasses(d);
  }

  private void open(SessionMode mode) {
    var limits = new SessionRules.Limits(mode == SessionMode.BATCH ? Duration.ofSeconds(1) : ITTL, MAX, UNUSED);
    kit.<dev.lanes.core.session.SessionView>runCommand(r -> new SessionEntity.Open(SessionRules.open(id, mode, "b", TestJobs.INSTANCE, "alice",
        null, limits, clock.instant()), r));
  }

  private void add(String job) {
    var reply = kit.<SessionEntity.AddJobReply>runCommand(r -> new SessionEntity.AddJob(job, r)).reply();
    assertNull(reply.rejection());
  }

  private SessionState state() {
    return kit.getState();
  }

  private void started(String job) {
    kit.runCommand(new SessionEntity.JobStarted(job, clock.instant()));
  }

  private void ended(String job, double quantum) {
    kit.runCommand(new SessionEntity.JobEnded(job, quantum, clock.instant()));
  }

  private UsageLedger.Record expectCharge() {
    UsageLedger.Record r = ledger.expectMessageClass(UsageLedger.Record.class);
    r.replyTo().tell(Done.getInstance());
    return r;
  }

  @Test
  void interactiveTtlDeactivatesAndReleasesTheBackendWhenItRunsOut() {
    // R10, R11, R26
    open(SessionMode.DEDICATED);
    add("j1");
    started("j1");
    assertEquals(SessionStatus.ACTIVE, state().status());
    passes(Duration.ofSeconds(5));
    ended("j1", 2.0);
    passes(ITTL.minusSeconds(1));
    assertEquals(SessionStatus.ACTIVE, state().status());
    ledger.expectNoMessage(Duration.ofMillis(50));
    passes(Duration.ofSeconds(1));
    arbiter.fishForMessage(Duration.ofSeconds(3), m -> m instanceof QueueArbiter.ReleaseHold
        ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
    UsageLedger.Record charge = expectCharge();
    // committed from the first start through the idle interactive TTL: 5 s + 60 s
    assertEquals(65.0, charge.charge().seconds(), 1e-9);
    assertEquals("session:" + id + ":1", charge.charge().chargeId());
    assertEquals(SessionStatus.INACTIVE, state().status());
    assertTrue(state().pendingCharges().isEmpty() || waitForChargeRecorded());
  }

  private boolean waitForChargeRecorded() {
    // the ack is a message to the entity; fetching state after it is processed shows it recorded
    kit.<dev.lanes.core.session.SessionView>runCommand(SessionEntity.Get::new);
    return state().pendingCharges().isEmpty();
  }

  @Test
  void aJobWithinTheInteractiveTtlKeepsTheSessionActive() {
    // R11
    open(SessionMode.DEDICATED);
    add("j1");
    started("j1");
    ended("j1", 1.0);
    passes(Duration.ofSeconds(59));
    add("j2");
    started("j2");
    passes(Duration.ofSeconds(120));
    assertEquals(SessionStatus.ACTIVE, state().status());
    ended("j2", 1.0);
    passes(ITTL);
    assertEquals(SessionStatus.INACTIVE, state().status());
    // one committed period: 59 + 120 + 60 s, never the inactive time after it
    assertEquals(239.0, expectCharge().charge().seconds(), 1e-9);
  }

  @Test
  void maxTtlClosesAndFailsQueuedJobsNamingTheLimit() {
    // R12
    open(SessionMode.DEDICATED);
    add("j1");
    add("j2");
    started("j1");
    passes(MAX.minusSeconds(1));
    assertEquals(SessionStatus.ACTIVE, state().status());
    passes(Duration.ofSeconds(1));
    QueueArbiter.DropJobs drop = arbiter.expectMessageClass(QueueArbiter.DropJobs.class);
    assertEquals(List.of("j2"), drop.jobIds());
    assertEquals(JobStatus.Failed, drop.status());
    assertTrue(drop.reason().contains("max TTL of 600 s"), drop.reason());
    assertEquals(SessionStatus.CLOSED, state().status());
    assertEquals(CloseReason.MAX_TTL, state().closeReason());
    assertEquals(TestJobs.T0.plus(MAX), state().closedAt());
    // the running job finishes; the backend stays committed (and charged) until it does (R26)
    ledger.expectNoMessage(Duration.ofMillis(50));
    passes(Duration.ofSeconds(30));
    ended("j1", 3.0);
    assertEquals(630.0, expectCharge().charge().seconds(), 1e-9);
  }

  @Test
  void anUnusedSessionClosesAfterTheUnusedTimeout() {
    // R13
    open(SessionMode.DEDICATED);
    passes(UNUSED.minusSeconds(1));
    assertEquals(SessionStatus.OPEN, state().status());
    passes(Duration.ofSeconds(1));
    assertEquals(SessionStatus.CLOSED, state().status());
    assertEquals(CloseReason.UNUSED, state().closeReason());
    var reply = kit.<SessionEntity.AddJobReply>runCommand(r -> new SessionEntity.AddJob("late", r)).reply();
    assertEquals(409, reply.rejection().status()); // R18
  }

  @Test
  void aNewJobIsAddedAndCreatedByOneEventAndQueuedOnlyOnceItIsDurable() {
    // R18, R29: the JobAdded that accepts a new job carries it, so one write adds and creates it
    open(SessionMode.DEDICATED);
    JobEvent.Submitted job = TestJobs.submitted("new-1", "b", 60);
    var result = kit.<SessionEntity.AddJobReply>runCommand(r -> new SessionEntity.AddJob(job, r));
    assertNull(result.reply().rejection());
    assertEquals(List.of(new SessionEvent.JobAdded("new-1", clock.instant(), job)), result.events());
    assertEquals(List.of(job), admitted);
    assertTrue(state().queued().contains("new-1"));
    // a job added without its Submitted (one with an Idempotency-Key) is written by its entity
    add("keyed");
    assertEquals(List.of(job), admitted);
  }

  @Test
  void aNewJobRefusedByAClosedSessionIsNeitherWrittenNorQueued() {
    // R18
    open(SessionMode.DEDICATED);
    kit.<SessionEntity.Reply>runCommand(SessionEntity.StopAccepting::new);
    var result = kit.<SessionEntity.AddJobReply>runCommand(
        r -> new SessionEntity.AddJob(TestJobs.submitted("refused", "b", 60), r));
    assertEquals(409, result.reply().rejection().status());
    assertTrue(result.events().isEmpty());
    assertTrue(admitted.isEmpty());
  }

  @Test
  void aBatchEndsByItselfAfterItsLastJobAndItsInteractiveTtl() {
    // R22
    open(SessionMode.BATCH);
    add("j1");
    add("j2");
    started("j1");
    ended("j1", 4.0);
    passes(Duration.ofSeconds(5));
    assertEquals(SessionStatus.ACTIVE, state().status()); // j2 still queued
    started("j2");
    ended("j2", 6.0);
    passes(Duration.ofMillis(999));
    assertEquals(SessionStatus.ACTIVE, state().status());
    passes(Duration.ofMillis(1));
    arbiter.fishForMessage(Duration.ofSeconds(3), m -> m instanceof QueueArbiter.EndBatch
        ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
    assertEquals(CloseReason.BATCH_DONE, state().closeReason());
    // R25: a batch costs its jobs' quantum time, charged by the jobs; no wall-clock charge
    assertEquals(10.0, state().elapsedSeconds(clock.instant()), 1e-9);
    ledger.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void batchMaxTimeCancelsQueuedJobsAndRefusesNewOnes() {
    // R20
    open(SessionMode.BATCH);
    add("j1");
    add("j2");
    add("j3");
    started("j1");
    passes(MAX);
    QueueArbiter.DropJobs drop = arbiter.expectMessageClass(QueueArbiter.DropJobs.class);
    assertEquals(List.of("j2", "j3"), drop.jobIds());
    assertEquals(JobStatus.Cancelled, drop.status());
    arbiter.expectMessageClass(QueueArbiter.EndBatch.class);
    var reply = kit.<SessionEntity.AddJobReply>runCommand(r -> new SessionEntity.AddJob("j4", r)).reply();
    assertEquals(409, reply.rejection().status());
  }

  @Test
  void closeLetsJobsFinishThenClosesAtOnceWithoutWaitingForTheTtl() {
    // R14
    open(SessionMode.DEDICATED);
    add("j1");
    add("j2");
    started("j1");
    kit.<SessionEntity.Reply>runCommand(SessionEntity.StopAccepting::new);
    assertEquals(SessionStatus.ACTIVE, state().status());
    assertEquals(409, kit.<SessionEntity.AddJobReply>runCommand(r -> new SessionEntity.AddJob("j3", r))
        .reply().rejection().status());
    ended("j1", 1.0);
    started("j2");
    passes(Duration.ofSeconds(10));
    ended("j2", 1.0);
    assertEquals(SessionStatus.CLOSED, state().status());
    assertEquals(CloseReason.CLIENT_CLOSED, state().closeReason());
    assertEquals(10.0, expectCharge().charge().seconds(), 1e-9);
  }

  @Test
  void cancelEndsQueuedJobsAndClosesWhileRunningJobsFinish() {
    // R15
    open(SessionMode.DEDICATED);
    add("j1");
    add("j2");
    started("j1");
    kit.<SessionEntity.Reply>runCommand(SessionEntity.Cancel::new);
    QueueArbiter.DropJobs drop = arbiter.expectMessageClass(QueueArbiter.DropJobs.class);
    assertEquals(List.of("j2"), drop.jobIds());
    assertEquals(JobStatus.Cancelled, drop.status());
    assertEquals(SessionStatus.CLOSED, state().status());
    assertTrue(state().holdsBackend()); // j1 still runs on the dedicated backend
  }

  @Test
  void timersAreArmedAgainAfterARestart() {
    // R29: deadlines live in state, timers are re-armed on recovery
    open(SessionMode.DEDICATED);
    add("j1");
    started("j1");
    ended("j1", 1.0);
    passes(Duration.ofSeconds(30));
    kit.restart();
    assertEquals(SessionStatus.ACTIVE, state().status());
    passes(Duration.ofSeconds(30));
    assertEquals(SessionStatus.INACTIVE, state().status());
  }

  @Test
  void aDeadlinePassedWhileDownTakesEffectOnWakeDatedAtTheDeadline() {
    // R12, R29: the node was down past the max TTL; on recovery the session closes as of then
    open(SessionMode.DEDICATED);
    add("j1");
    add("j2");
    started("j1");
    clock.advance(MAX.plusSeconds(3600)); // down: the timer cannot fire
    kit.restart();
    JobState j1 = TestJobs.running("j1", "b", 60, 0);
    JobState j2 = TestJobs.queued("j2", "b", 60);
    kit.<Done>runCommand(r -> new SessionEntity.Wake(Map.of("j1", j1, "j2", j2), r));
    assertEquals(SessionStatus.CLOSED, state().status());
    assertEquals(TestJobs.T0.plus(MAX), state().closedAt());
    QueueArbiter.DropJobs drop = arbiter.expectMessageClass(QueueArbiter.DropJobs.class);
    assertEquals(List.of("j2"), drop.jobIds());
  }

  @Test
  void wakeForgetsJobsThatWereNeverCreatedAndEndsFinishedOnes() {
    // R29: notifications lost in a crash are made up from the jobs' own journals
    open(SessionMode.BATCH);
    add("ghost");
    add("done");
    JobState done = TestJobs.running("done", "b", 60, 0).apply(new JobEvent.Finished(JobStatus.Completed, null,
        null, 2.5, "{}", TestJobs.T0, TestJobs.T0, TestJobs.T0));
    kit.<Done>runCommand(r -> new SessionEntity.Wake(Map.of("done", done), r));
    assertTrue(state().queued().isEmpty());
    assertTrue(state().running().isEmpty());
    assertEquals(2.5, state().elapsedSeconds(clock.instant()), 1e-9);
    assertNotNull(index.get(id).orElseThrow());
  }

  @Test
  void deadlinesAreDatedByTheRuleNotByWhenTheTimerFired() {
    // R26: a late timer still ends the committed period at the deadline
    open(SessionMode.DEDICATED);
    add("j1");
    started("j1");
    ended("j1", 1.0);
    clock.advance(Duration.ofSeconds(90)); // the clock moved further than the scheduler
    manualTime.timePasses(ITTL);
    assertEquals(SessionStatus.INACTIVE, state().status());
    Instant deactivated = state().timestamps().get(state().timestamps().size() - 1).at();
    assertEquals(TestJobs.T0.plus(ITTL), deactivated);
    assertEquals(60.0, expectCharge().charge().seconds(), 1e-9);
  }

  @Test
  void anUnacknowledgedChargeIsSentAgainUnderTheSameIdAfterARestart() {
    // R26, R27: charged exactly once — the ledger ignores an id it already has
    open(SessionMode.DEDICATED);
    add("j1");
    started("j1");
    passes(Duration.ofSeconds(10));
    ended("j1", 1.0);
    kit.<SessionEntity.Reply>runCommand(SessionEntity.StopAccepting::new);
    UsageLedger.Record first = ledger.expectMessageClass(UsageLedger.Record.class); // never answered: a crash
    kit.restart();
    kit.<Done>runCommand(r -> new SessionEntity.Wake(Map.of(), r));
    UsageLedger.Record again = expectCharge();
    assertEquals(first.charge(), again.charge());
    kit.<dev.lanes.core.session.SessionView>runCommand(SessionEntity.Get::new);
    assertTrue(state().pendingCharges().isEmpty());
    ledger.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void aJobOfAClosedBatchThatStartsAgainEndsTheBatchAgain() {
    // R22, R29: a run re-queued after a restart may re-activate a closed batch in the arbiter
    open(SessionMode.BATCH);
    add("j1");
    started("j1");
    kit.<SessionEntity.Reply>runCommand(SessionEntity.Cancel::new);
    arbiter.fishForMessage(Duration.ofSeconds(3), m -> m instanceof QueueArbiter.EndBatch
        ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
    kit.runCommand(new SessionEntity.JobRequeued("j1"));
    started("j1");
    arbiter.fishForMessage(Duration.ofSeconds(3), m -> m instanceof QueueArbiter.EndBatch
        ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
  }

  @org.junit.jupiter.api.Test
  void issue8_anOpenUnderAKeyMeetsItsSessionAsARepeatAConflictOrAnExpiredKey() {
    var limits = new SessionRules.Limits(ITTL, MAX, UNUSED);
    Duration day = Duration.ofHours(24);
    java.util.function.Function<SessionMode, SessionEvent.Opened> opened = mode ->
        SessionRules.open(id, mode, "b", TestJobs.INSTANCE, "alice", null, limits, clock.instant());
    var first = kit.<SessionEntity.OpenReply>runCommand(r -> new SessionEntity.OpenWithKey(opened.apply(SessionMode.DEDICATED), day, r));
    assertEquals(dev.lanes.core.limits.Idempotency.Verdict.NEW, first.reply().verdict());
    assertEquals(id, first.reply().session().id());
    var again = kit.<SessionEntity.OpenReply>runCommand(r -> new SessionEntity.OpenWithKey(opened.apply(SessionMode.DEDICATED), day, r));
    assertEquals(dev.lanes.core.limits.Idempotency.Verdict.REPEAT, again.reply().verdict());
    assertTrue(again.events().isEmpty());
    var other = kit.<SessionEntity.OpenReply>runCommand(r -> new SessionEntity.OpenWithKey(opened.apply(SessionMode.BATCH), day, r));
    assertEquals(dev.lanes.core.limits.Idempotency.Verdict.CONFLICT, other.reply().verdict());
    clock.advance(day);
    var later = kit.<SessionEntity.OpenReply>runCommand(r -> new SessionEntity.OpenWithKey(opened.apply(SessionMode.DEDICATED), day, r));
    assertEquals(dev.lanes.core.limits.Idempotency.Verdict.EXPIRED, later.reply().verdict());
    assertTrue(later.events().isEmpty());
  }
}
