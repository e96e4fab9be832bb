package dev.lanes.actors.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigFactory;
import dev.lanes.actors.TestJobs;
import dev.lanes.actors.backend.QueueArbiter;
import dev.lanes.actors.session.SessionEntity;
import dev.lanes.actors.usage.UsageLedger;
import dev.lanes.core.job.JobEvent;
import dev.lanes.core.job.JobRules;
import dev.lanes.core.job.JobState;
import dev.lanes.core.job.JobStatus;
import dev.lanes.core.job.RunOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The job entity with the persistence testkit journal (serialization of every event checked). */
class JobEntityTest {
  static final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config()
      .withFallback(ConfigFactory.parseString("akka.actor.provider = local")).withFallback(ConfigFactory.load()));
  static final AtomicInteger ids = new AtomicInteger();

  final TestProbe<QueueArbiter.Command> arbiter = testKit.createTestProbe();
  final TestProbe<UsageLedger.Command> ledger = testKit.createTestProbe();
  final TestProbe<SessionEntity.Command> session = testKit.createTestProbe();
  final JobIndex index = new JobIndex();
  final String id = "job-" + ids.incrementAndGet();
  final EventSourcedBehaviorTestKit<JobEntity.Command, JobEvent, JobState> kit = EventSourcedBehaviorTestKit.create(
      testKit.system(), JobEntity.create(id, new JobWiring(Clock.fixed(TestJobs.T0, ZoneOffset.UTC), index,
          b -> arbiter.ref(), i -> ledger.ref(), sid -> session.ref(), Duration.ofSeconds(3))));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private void submit() {
    var r = kit.<JobEntity.Accepted>runCommand(replyTo -> new JobEntity.Submit(TestJobs.submitted(id, "b", 60), replyTo));
    assertTrue(r.reply().created());
    assertInstanceOf(QueueArbiter.Enqueue.class, arbiter.receiveMessage());
  }

  private JobState start() {
    var r = kit.<JobEntity.StartReply>runCommand(replyTo -> new JobEntity.Start(2, TestJobs.T0, replyTo));
    return ((JobEntity.Go) r.reply()).job();
  }

  @Test
  void submitPersistsQueuesAndPublishesTheJob() {
    submit();
    assertEquals(JobStatus.Queued, index.get(id).orElseThrow().status());
  }

  @Test
  void aRetriedSubmitAnswersTheFirstAnswerAndCreatesNothing() {
    // api.md Idempotency-Key: the same job id again is the same job.
    submit();
    var again = kit.<JobEntity.Accepted>runCommand(r -> new JobEntity.Submit(TestJobs.submitted(id, "b", 60), r));
    assertFalse(again.reply().created());
    assertTrue(again.events().isEmpty());
    arbiter.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void aJobStartsOnceOnly() {
    // R1, R29: a second start of the same run is refused.
    submit();
    JobState running = start();
    assertEquals(JobStatus.Running, running.status());
    assertEquals(2, running.lane());
    var second = kit.<JobEntity.StartReply>runCommand(r -> new JobEntity.Start(3, TestJobs.T0, r));
    assertInstanceOf(JobEntity.NoGo.class, second.reply());
    assertTrue(second.events().isEmpty());
  }

  @Test
  void aStaleEpochCanNeitherStartNorEndARunAndANewerOneTakesItOver() {
    // issue 6, R1, R29: the run of epoch 1 was cut off when its backend moved to a node in epoch 2
    submit();
    var first = kit.<JobEntity.StartReply>runCommand(r -> new JobEntity.Start(0, TestJobs.T0, 1, r));
    assertInstanceOf(JobEntity.Go.class, first.reply());
    var taken = kit.<JobEntity.StartReply>runCommand(r -> new JobEntity.Start(4, TestJobs.T0.plusSeconds(9), 2, r));
    JobState again = ((JobEntity.Go) taken.reply()).job();
    assertEquals(2, again.attempt());
    assertEquals(4, again.lane());
    assertInstanceOf(JobEvent.Requeued.class, taken.events().get(0));
    // the stale node can start it no more, and its report of the old run ends nothing
    var stale = kit.<JobEntity.StartReply>runCommand(r -> new JobEntity.Start(1, TestJobs.T0, 1, r));
    assertInstanceOf(JobEntity.NoGo.class, stale.reply());
    var staleEnd = kit.runCommand(new JobEntity.Finish(
        new RunOutcome(RunOutcome.Kind.COMPLETED, 2.5, "{}", null, TestJobs.T0, TestJobs.T0, null), 1, null));
    assertTrue(staleEnd.events().isEmpty());
    assertEquals(JobStatus.Running, staleEnd.state().status());
    // the recovery's late re-queue of the old run leaves the new run alone
    var late = kit.<JobState>runCommand(r -> new JobEntity.RecoverInterrupted(true, 2, r));
    assertTrue(late.events().isEmpty());
    var end = kit.runCommand(new JobEntity.Finish(
        new RunOutcome(RunOutcome.Kind.COMPLETED, 2.5, "{}", null, TestJobs.T0, TestJobs.T0, null), 2, null));
    assertEquals(JobStatus.Completed, end.state().status());
  }

  @Test
  void aCompletedJobChargesItsQuantumTimeToTheLedgerOnce() {
    // R25, R27
    submit();
    start();
    var done = kit.runCommand(new JobEntity.Finish(
        new RunOutcome(RunOutcome.Kind.COMPLETED, 2.5, "{}", null, TestJobs.T0, TestJobs.T0, null), null));
    assertEquals(JobStatus.Completed, done.state().status());
    UsageLedger.Record charge = ledger.expectMessageClass(UsageLedger.Record.class);
    assertEquals("job:" + id, charge.charge().chargeId());
    assertEquals(2.5, charge.charge().seconds());
    charge.replyTo().tell(Done.getInstance());
    ledger.expectNoMessage(Duration.ofMillis(100));
    // The ack is persisted as Charged; a recovery's EnsureCharged then sends nothing.
    kit.runCommand(JobEntity.EnsureCharged.INSTANCE);
    ledger.expectNoMessage(Duration.ofMillis(100));
    assertFalse(JobRules.owesCharge(kit.getState()));
  }

  @Test
  void cancelOfAFinalJobIs409AndOfAQueuedOneCancels() {
    // R28
    submit();
    var cancel = kit.<JobEntity.CancelReply>runCommand(JobEntity.Cancel::new);
    assertEquals(JobEntity.CancelReply.CANCELLED, cancel.reply());
    assertEquals(JobStatus.Cancelled, cancel.state().status());
    var again = kit.<JobEntity.CancelReply>runCommand(JobEntity.Cancel::new);
    assertEquals(JobEntity.CancelReply.NOT_CANCELLABLE, again.reply());
    ledger.expectNoMessage(Duration.ofMillis(50)); // never reached the QPU: nothing to charge (R25)
  }

  @Test
  void onlyAFinalJobCanBeDeletedAndThenItLeavesTheIndex() {
    // R28
    submit();
    var early = kit.<JobEntity.DeleteReply>runCommand(JobEntity.Delete::new);
    assertEquals(JobEntity.DeleteReply.NOT_FINAL, early.reply());
    kit.runCommand(JobEntity.Cancel::new);
    var del = kit.<JobEntity.DeleteReply>runCommand(JobEntity.Delete::new);
    assertEquals(JobEntity.DeleteReply.DELETED, del.reply());
    assertTrue(index.get(id).isEmpty());
  }

  @Test
  void anInterruptedRunIsRequeuedAfterRestartAndStartsAgainAsANewAttempt() {
    // R29
    submit();
    start();
    kit.restart();
    assertEquals(JobStatus.Running, kit.getState().status());
    var r = kit.<JobState>runCommand(replyTo -> new JobEntity.RecoverInterrupted(true, replyTo));
    assertEquals(JobStatus.Queued, r.reply().status());
    assertEquals(2, start().attempt());
  }

  @Test
  void anInterruptedRunFailsWithAClearReasonWhenRequeueIsOff() {
    // R29: jobs.requeue-interrupted = false
    submit();
    start();
    var r = kit.<JobState>runCommand(replyTo -> new JobEntity.RecoverInterrupted(false, replyTo));
    assertEquals(JobStatus.Failed, r.reply().status());
    assertTrue(r.reply().reason().contains("interrupted"));
  }

  @Test
  void ranTooLongIsCancelledWithReasonCode1305() {
    // R28
    submit();
    start();
    var r = kit.runCommand(new JobEntity.Finish(
        new RunOutcome(RunOutcome.Kind.RAN_TOO_LONG, 60, null, null, TestJobs.T0, TestJobs.T0, null), null));
    assertEquals(JobStatus.Cancelled, r.state().status());
    assertEquals(1305, r.state().reasonCode());
    assertEquals(60.0, r.state().quantumSeconds());
  }

  @Test
  void issue8_aSubmitUnderAKeyMeetsItsJobAsARepeatAConflictOrAnExpiredKey() {
    // api.md Idempotency-Key, issue 8 item 3: the entity compares, within the key's ttl from creation
    submit();
    JobEvent.Submitted s = TestJobs.submitted(id, "b", 60);
    Duration day = Duration.ofHours(24);
    java.util.function.BiFunction<java.util.List<String>, java.time.Instant, JobEvent.Submitted> retry = (tags, at) ->
        new JobEvent.Submitted(id, s.instance(), s.userId(), s.backend(), s.programId(), s.sessionId(),
            s.sessionMode(), tags, s.cost(), s.maxExecutionSeconds(), s.paramsJson(), s.shape(),
            s.estimatedQuantumSeconds(), "k", at);
    var repeat = kit.<JobEntity.Accepted>runCommand(r -> new JobEntity.Submit(retry.apply(s.tags(), TestJobs.T0.plusSeconds(60)), day, r));
    assertEquals(dev.lanes.core.limits.Idempotency.Verdict.REPEAT, repeat.reply().verdict());
    var conflict = kit.<JobEntity.Accepted>runCommand(r -> new JobEntity.Submit(retry.apply(java.util.List.of("other"), TestJobs.T0.plusSeconds(60)), day, r));
    assertEquals(dev.lanes.core.limits.Idempotency.Verdict.CONFLICT, conflict.reply().verdict());
    assertEquals(TestJobs.T0, conflict.reply().firstUse());
    assertFalse(conflict.reply().created());
    assertTrue(conflict.events().isEmpty());
    var expired = kit.<JobEntity.Accepted>runCommand(r -> new JobEntity.Submit(retry.apply(s.tags(), TestJobs.T0.plus(day)), day, r));
    assertEquals(dev.lanes.core.limits.Idempotency.Verdict.EXPIRED, expired.reply().verdict());
    assertTrue(expired.events().isEmpty());
    arbiter.expectNoMessage(Duration.ofMillis(50));
  }
}
