package dev.lanes.actors.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import com.typesafe.config.ConfigFactory;
import dev.lanes.actors.TestJobs;
import dev.lanes.actors.job.JobEntity;
import dev.lanes.core.exec.SimulatedQpu;
import dev.lanes.core.job.JobState;
import dev.lanes.core.job.RunOutcome;
import dev.lanes.core.model.TimingModel;
import dev.lanes.core.queue.FifoPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Backend, lanes and queue arbiter together, with probes standing in for the job entities. Time
 * is real but short; every assertion is on messages and their order, never on elapsed time.
 */
class BackendTest {
  static final ActorTestKit testKit = ActorTestKit.create(
      ConfigFactory.parseString("akka.actor.provider = local").withFallback(ConfigFactory.load()));
  static final AtomicInteger names = new AtomicInteger();

  private final Map<String, TestProbe<JobEntity.Command>> jobs = new ConcurrentHashMap<>();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private TestProbe<JobEntity.Command> job(String id) {
    return jobs.computeIfAbsent(id, k -> testKit.createTestProbe("job-" + k));
  }

  private ActorRef<QueueArbiter.Command> backend(int lanes, TimingModel timing) {
    String name = "b" + names.incrementAndGet();
    Lane.Wiring wiring = new Lane.Wiring(timing, new SimulatedQpu(), Runnable::run, Clock.systemUTC(),
        id -> job(id).ref(), 1, Duration.ofSeconds(5));
    ActorRef<Backend.Command> backend = testKit.spawn(Backend.create(name, lanes, wiring), name);
    return testKit.spawn(QueueArbiter.create(name, lanes, false, backend, id -> job(id).ref(), new FifoPolicy(), java.time.Clock.systemUTC()));
  }

  private void enqueue(ActorRef<QueueArbiter.Command> arbiter, String id) {
    arbiter.tell(new QueueArbiter.Enqueue(JobEntity.queued(TestJobs.queued(id, "b", 3600)), false));
  }

  /** Answers the lane's Start with Go, as the entity does once Started is durable. */
  private void go(String id, long maxExecutionSeconds) {
    JobEntity.Start start = job(id).expectMessageClass(JobEntity.Start.class);
    JobState running = TestJobs.running(id, "b", maxExecutionSeconds, start.lane());
    start.replyTo().tell(new JobEntity.Go(running));
  }

  private JobEntity.Finish finish(String id) {
    return job(id).expectMessageClass(JobEntity.Finish.class, Duration.ofSeconds(10));
  }

  @Test
  void neverMoreRunningThanLanesAndFreedLanesRefill() {
    // R1, R7: 2 lanes, 3 jobs: two start, the third starts as soon as a lane frees.
    var arbiter = backend(2, TestJobs.timing(Duration.ofMillis(600), Duration.ZERO, Duration.ZERO));
    enqueue(arbiter, "a1");
    enqueue(arbiter, "a2");
    enqueue(arbiter, "a3");
    go("a1", 3600);
    go("a2", 3600);
    job("a3").expectNoMessage(Duration.ofMillis(100));
    assertEquals(RunOutcome.Kind.COMPLETED, finish("a1").outcome().kind());
    go("a3", 3600);
    assertEquals(RunOutcome.Kind.COMPLETED, finish("a2").outcome().kind());
    assertEquals(RunOutcome.Kind.COMPLETED, finish("a3").outcome().kind());
  }

  @Test
  void theOverviewNamesTheJobOnEachLaneAndTheQueueBehindThem() {
    // issue 7, item 3 (R1, R5): what the dashboard shows: two lanes, three jobs
    var arbiter = backend(2, TestJobs.timing(Duration.ofSeconds(5), Duration.ZERO, Duration.ZERO));
    enqueue(arbiter, "o1");
    enqueue(arbiter, "o2");
    enqueue(arbiter, "o3");
    go("o1", 3600);
    go("o2", 3600);
    TestProbe<QueueArbiter.Overview> probe = testKit.createTestProbe();
    arbiter.tell(new QueueArbiter.GetOverview(10, probe.ref()));
    QueueArbiter.Overview o = probe.receiveMessage();
    assertEquals(2, o.lanes().size());
    assertEquals(java.util.Set.of("o1", "o2"),
        java.util.Set.of(o.lanes().get(0).jobId(), o.lanes().get(1).jobId()));
    assertEquals(dev.lanes.core.queue.LaneOccupancy.Kind.JOB, o.lanes().get(0).kind());
    assertNotNull(o.lanes().get(0).since());
    assertEquals(2, o.status().lanesBusy());
    assertEquals(1, o.queue().queue().size());
    assertEquals("o3", o.queue().queue().get(0).job().jobId());
    testKit.serializationTestKit().verifySerialization(o, true); // it crosses the cluster from the backend's node
    arbiter.tell(new QueueArbiter.GetOverview(0, probe.ref()));
    assertEquals(0, probe.receiveMessage().queue().queue().size()); // the head only, as asked
    arbiter.tell(new QueueArbiter.Cancel("o3", testKit.<JobEntity.CancelReply>createTestProbe().ref()));
    arbiter.tell(new QueueArbiter.Cancel("o1", testKit.<JobEntity.CancelReply>createTestProbe().ref()));
    arbiter.tell(new QueueArbiter.Cancel("o2", testKit.<JobEntity.CancelReply>createTestProbe().ref()));
  }

  @Test
  void quantumPartsOfDifferentLanesAreSerialisedFirstComeFirstServed() {
    // R2: two lanes, no classical work: the second job's quantum part starts when the first's ends.
    var arbiter = backend(2, TestJobs.timing(Duration.ZERO, Duration.ofMillis(150), Duration.ZERO));
    enqueue(arbiter, "q1");
    enqueue(arbiter, "q2");
    go("q1", 3600);
    go("q2", 3600);
    RunOutcome a = finish("q1").outcome();
    RunOutcome b = finish("q2").outcome();
    // Whichever asked first held it first; the other's quantum part must not overlap it.
    RunOutcome first = a.qpuStartedAt().isBefore(b.qpuStartedAt()) ? a : b;
    RunOutcome second = first == a ? b : a;
    assertFalse(second.qpuStartedAt().isBefore(first.qpuFinishedAt()),
        "quantum parts overlap: second took the QPU at " + second.qpuStartedAt()
            + " before the first released it at " + first.qpuFinishedAt());
    assertEquals(0.15, first.quantumSeconds(), 1e-9);
  }

  @Test
  void cancellingAQueuedJobTakesItOutOfTheQueue() {
    // R28: cancel in Queued; the job never starts.
    var arbiter = backend(1, TestJobs.timing(Duration.ofSeconds(5), Duration.ZERO, Duration.ZERO));
    enqueue(arbiter, "c1");
    enqueue(arbiter, "c2");
    go("c1", 3600);
    TestProbe<JobEntity.CancelReply> user = testKit.createTestProbe();
    arbiter.tell(new QueueArbiter.Cancel("c2", user.ref()));
    JobEntity.CancelQueued cq = job("c2").expectMessageClass(JobEntity.CancelQueued.class);
    assertSame(user.ref(), cq.replyTo());
    arbiter.tell(new QueueArbiter.Cancel("c1", user.ref())); // frees the lane
    assertEquals(RunOutcome.Kind.CANCELLED, finish("c1").outcome().kind());
    job("c2").expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void cancellingARunningJobStopsItsLaneAndChargesTheQuantumTimeUsed() {
    // R28, R25: cancel in Running during classical pre-processing: nothing reached the QPU.
    var arbiter = backend(1, TestJobs.timing(Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ZERO));
    enqueue(arbiter, "r1");
    enqueue(arbiter, "r2");
    go("r1", 3600);
    TestProbe<JobEntity.CancelReply> user = testKit.createTestProbe();
    arbiter.tell(new QueueArbiter.Cancel("r1", user.ref()));
    JobEntity.Finish f = finish("r1");
    assertEquals(RunOutcome.Kind.CANCELLED, f.outcome().kind());
    assertEquals(0.0, f.outcome().quantumSeconds());
    assertSame(user.ref(), f.canceller());
    go("r2", 3600); // the lane was handed on
  }

  @Test
  void aJobCancelledDuringItsQuantumPartIsChargedWhatItUsedOfTheQpu() {
    // R25: cancelled jobs are charged the quantum time consumed before they ended.
    var arbiter = backend(1, TestJobs.timing(Duration.ZERO, Duration.ofSeconds(30), Duration.ZERO));
    enqueue(arbiter, "u1");
    go("u1", 3600);
    job("u1").expectNoMessage(Duration.ofMillis(300)); // let the quantum part run a little
    arbiter.tell(new QueueArbiter.Cancel("u1", testKit.<JobEntity.CancelReply>createTestProbe().ref()));
    RunOutcome o = finish("u1").outcome();
    assertEquals(RunOutcome.Kind.CANCELLED, o.kind());
    assertTrue(o.quantumSeconds() > 0 && o.quantumSeconds() < 30, "charged " + o.quantumSeconds());
    assertNotNull(o.qpuFinishedAt());
  }

  @Test
  void aJobPastItsMaxExecutionTimeIsStoppedAtTheLimit() {
    // R28: quantum time 30 s, limit 1 s: stopped at 1 s of quantum time, charged the limit (1305).
    var arbiter = backend(1, TestJobs.timing(Duration.ZERO, Duration.ofSeconds(30), Duration.ZERO));
    enqueue(arbiter, "t1");
    go("t1", 1);
    RunOutcome o = finish("t1").outcome();
    assertEquals(RunOutcome.Kind.RAN_TOO_LONG, o.kind());
    assertEquals(1.0, o.quantumSeconds());
    assertNotNull(o.qpuStartedAt());
  }

  @Test
  void aLaneTheEntityRefusesIsGivenBackWithoutAnOutcome() {
    // R1: a job that is no longer Queued (cancelled meanwhile) must not start; its lane refills.
    var arbiter = backend(1, TestJobs.timing(Duration.ofMillis(10), Duration.ZERO, Duration.ZERO));
    enqueue(arbiter, "n1");
    enqueue(arbiter, "n2");
    JobEntity.Start start = job("n1").expectMessageClass(JobEntity.Start.class);
    start.replyTo().tell(new JobEntity.NoGo("n1"));
    go("n2", 3600);
    assertEquals(RunOutcome.Kind.COMPLETED, finish("n2").outcome().kind());
    job("n1").expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void aPausedBackendStartsNothingUntilOnline() {
    var arbiter = backend(2, TestJobs.timing(Duration.ofMillis(10), Duration.ZERO, Duration.ZERO));
    TestProbe<akka.Done> ack = testKit.createTestProbe();
    arbiter.tell(new QueueArbiter.SetPaused(true, ack.ref()));
    ack.receiveMessage();
    enqueue(arbiter, "p1");
    job("p1").expectNoMessage(Duration.ofMillis(200));
    TestProbe<QueueArbiter.Status> status = testKit.createTestProbe();
    arbiter.tell(new QueueArbiter.GetStatus(status.ref()));
    QueueArbiter.Status s = status.receiveMessage();
    assertTrue(s.paused());
    assertEquals(1, s.queueLength());
    arbiter.tell(new QueueArbiter.SetPaused(false, ack.ref()));
    go("p1", 3600);
    assertNull(finish("p1").canceller());
  }

  @Test
  void preProcessingOverlapsTheWriteOfStartedButNothingQuantumHappensBeforeIt() {
    // R2, R1: the lane pre-processes while the job's start is being persisted; the QPU waits for it
    var arbiter = backend(1, TestJobs.timing(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ZERO));
    enqueue(arbiter, "p1");
    JobEntity.Start start = job("p1").expectMessageClass(JobEntity.Start.class);
    job("p1").expectNoMessage(Duration.ofMillis(300)); // pre-processing is over; no result without Go
    java.time.Instant goAt = java.time.Instant.now();
    start.replyTo().tell(new JobEntity.Go(TestJobs.running("p1", "b", 3600, start.lane())));
    RunOutcome o = finish("p1").outcome();
    assertEquals(RunOutcome.Kind.COMPLETED, o.kind());
    assertFalse(o.qpuStartedAt().isBefore(goAt.minusMillis(1)), "the QPU was taken before the start was durable");
  }

  @Test
  void aStartRefusedDuringPreProcessingFreesTheLaneForTheNextJob() {
    // R1: the entity said no (the job is no longer queued): the lane is given back, nothing is reported
    var arbiter = backend(1, TestJobs.timing(Duration.ofSeconds(5), Duration.ZERO, Duration.ZERO));
    enqueue(arbiter, "n1");
    enqueue(arbiter, "n2");
    JobEntity.Start start = job("n1").expectMessageClass(JobEntity.Start.class);
    start.replyTo().tell(new JobEntity.NoGo("n1"));
    job("n2").expectMessageClass(JobEntity.Start.class);
    job("n1").expectNoMessage(Duration.ofMillis(100));
  }
}
