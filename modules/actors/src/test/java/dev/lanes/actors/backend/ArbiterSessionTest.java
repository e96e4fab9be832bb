package dev.lanes.actors.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import com.typesafe.config.ConfigFactory;
import dev.lanes.actors.TestJobs;
import dev.lanes.actors.job.JobEntity;
import dev.lanes.core.job.JobStatus;
import dev.lanes.core.job.RunOutcome;
import dev.lanes.core.queue.FifoPolicy;
import dev.lanes.core.queue.QueuedJob;
import dev.lanes.core.session.SessionMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The queue arbiter's side of sessions and batches, with probes for the lanes and the job
 * entities: holds made at start, releases that must not cut a running session short, queued jobs
 * a session ended before they arrived.
 */
class ArbiterSessionTest {
  static final ActorTestKit testKit = ActorTestKit.create(
      ConfigFactory.parseString("akka.actor.provider = local").withFallback(ConfigFactory.load()));
  static final RunOutcome DONE = new RunOutcome(RunOutcome.Kind.COMPLETED, 1, "{}", null, TestJobs.T0, TestJobs.T0, null);

  final TestProbe<Backend.Command> lanes = testKit.createTestProbe();
  final Map<String, TestProbe<JobEntity.Command>> jobs = new ConcurrentHashMap<>();
  final ActorRef<QueueArbiter.Command> arbiter = testKit.spawn(
      QueueArbiter.create("b", 2, false, lanes.ref(), id -> job(id).ref(), new FifoPolicy(), java.time.Clock.systemUTC()));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private TestProbe<JobEntity.Command> job(String id) {
    return jobs.computeIfAbsent(id, k -> testKit.createTestProbe());
  }

  private void enqueue(String id, String session, SessionMode mode) {
    arbiter.tell(new QueueArbiter.Enqueue(new QueuedJob(id, session == null ? "bob" : "alice", session, mode,
        TestJobs.T0), false));
  }

  private Backend.RunOnLane started() {
    return lanes.expectMessageClass(Backend.RunOnLane.class);
  }

  private QueueArbiter.Status status() {
    TestProbe<QueueArbiter.Status> probe = testKit.createTestProbe();
    arbiter.tell(new QueueArbiter.GetStatus(probe.ref()));
    return probe.receiveMessage();
  }

  @Test
  void aSessionHoldsFromItsFirstStartAndAReleaseWaitsForItsRunningJobs() {
    // R10, R16, R17, R7
    enqueue("s1", "S", SessionMode.DEDICATED);
    assertEquals("s1", started().jobId());
    enqueue("b1", null, null);
    lanes.expectNoMessage(Duration.ofMillis(100)); // a lane is free, but the backend is held
    assertEquals("session", status().holderKind());
    enqueue("s2", "S", SessionMode.DEDICATED);
    Backend.RunOnLane s2 = started();
    assertEquals("s2", s2.jobId());
    arbiter.tell(new QueueArbiter.LaneFinished(0, "s1", DONE));
    // a release that crossed a start of the session's job must not let anyone else in
    arbiter.tell(new QueueArbiter.ReleaseHold("S"));
    lanes.expectNoMessage(Duration.ofMillis(100));
    arbiter.tell(new QueueArbiter.LaneFinished(s2.lane(), "s2", DONE));
    lanes.expectNoMessage(Duration.ofMillis(100));
    arbiter.tell(new QueueArbiter.ReleaseHold("S"));
    assertEquals("b1", started().jobId());
    assertNull(status().holderKind());
  }

  @Test
  void aHoldMadeByAJobThatNeverStartedIsUndone() {
    // R17: the session never heard of a start, so it would never release the backend
    enqueue("s1", "S", SessionMode.DEDICATED);
    Backend.RunOnLane s1 = started();
    enqueue("b1", null, null);
    lanes.expectNoMessage(Duration.ofMillis(100));
    arbiter.tell(new QueueArbiter.LaneFinished(s1.lane(), "s1", null)); // its entity said no
    assertEquals("b1", started().jobId());
  }

  @Test
  void jobsASessionEndedBeforeTheyArrivedEndOnArrival() {
    // R15, R12: a submit in flight when the session was cancelled never runs
    arbiter.tell(new QueueArbiter.DropJobs("S", List.of("late"), JobStatus.Cancelled, "session cancelled"));
    enqueue("late", "S", SessionMode.BATCH);
    JobEntity.EndQueued end = job("late").expectMessageClass(JobEntity.EndQueued.class);
    assertEquals(JobStatus.Cancelled, end.status());
    lanes.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void droppedQueuedJobsLeaveTheQueueAndRunningOnesFinish() {
    // R20: at batch max time queued-not-running jobs are cancelled, running ones finish
    enqueue("x1", "B", SessionMode.BATCH);
    enqueue("x2", "B", SessionMode.BATCH);
    enqueue("x3", "B", SessionMode.BATCH);
    started();
    started();
    assertEquals("batch", status().holderKind());
    arbiter.tell(new QueueArbiter.DropJobs("B", List.of("x1", "x2", "x3"), JobStatus.Cancelled, "max time"));
    assertEquals(JobStatus.Cancelled, job("x3").expectMessageClass(JobEntity.EndQueued.class).status());
    job("x1").expectNoMessage(Duration.ofMillis(50));
    arbiter.tell(new QueueArbiter.EndBatch("B"));
    assertEquals(0, status().queueLength());
    assertNull(status().holderKind());
  }

  @Test
  void aHoldMadeByTwoJobsThatBothNeverStartedIsUndone() {
    // R17: neither start was confirmed, so the session never heard of one
    enqueue("s1", "S", SessionMode.DEDICATED);
    enqueue("s2", "S", SessionMode.DEDICATED);
    Backend.RunOnLane a = started();
    Backend.RunOnLane b = started();
    enqueue("b1", null, null);
    arbiter.tell(new QueueArbiter.LaneFinished(a.lane(), a.jobId(), null));
    lanes.expectNoMessage(Duration.ofMillis(100)); // the other may still start
    arbiter.tell(new QueueArbiter.LaneFinished(b.lane(), b.jobId(), null));
    assertEquals("b1", started().jobId());
  }

  @Test
  void nothingStartsUntilRecoveryIsDone() {
    // R29, R17: holds, batches and maintenance are restored before the first start
    ActorRef<QueueArbiter.Command> recovering = testKit.spawn(QueueArbiter.create("r", 2, false, lanes.ref(),
        id -> job(id).ref(), new FifoPolicy(), java.time.Clock.systemUTC(), null, QueueArbiter.Calibration.NONE, true,
        false));
    recovering.tell(new QueueArbiter.Enqueue(new QueuedJob("x1", "bob", null, null, TestJobs.T0), true));
    recovering.tell(new QueueArbiter.RestoreHold("S"));
    recovering.tell(new QueueArbiter.Enqueue(new QueuedJob("s1", "alice", "S", SessionMode.DEDICATED, TestJobs.T0), true));
    lanes.expectNoMessage(Duration.ofMillis(100));
    recovering.tell(QueueArbiter.RecoveryDone.INSTANCE);
    assertEquals("s1", started().jobId()); // the restored holder's job, not the other instance's
    lanes.expectNoMessage(Duration.ofMillis(100));
  }

  // R5: the entities of the jobs that start next are woken while the lanes are busy, once each
  @Test
  void theNextJobsEntitiesAreWokenAheadOfTheirStart() {
    ActorRef<QueueArbiter.Command> warming = testKit.spawn(QueueArbiter.create("w", 1, false, lanes.ref(),
        id -> job(id).ref(), new FifoPolicy(), java.time.Clock.systemUTC(), null, QueueArbiter.Calibration.NONE, false,
        true));
    for (String id : List.of("w1", "w2", "w3")) {
      warming.tell(new QueueArbiter.Enqueue(new QueuedJob(id, "bob", null, null, TestJobs.T0), false));
    }
    assertEquals("w1", started().jobId());
    job("w2").expectMessage(JobEntity.Warm.INSTANCE); // one lane: one job ahead
    job("w3").expectNoMessage(java.time.Duration.ofMillis(100));
    warming.tell(new QueueArbiter.LaneFinished(0, "w1", DONE));
    assertEquals("w2", started().jobId());
    job("w3").expectMessage(JobEntity.Warm.INSTANCE);
    job("w2").expectNoMessage(java.time.Duration.ofMillis(50));
  }
}
