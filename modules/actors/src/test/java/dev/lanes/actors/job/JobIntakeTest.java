package dev.lanes.actors.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import com.typesafe.config.ConfigFactory;
import dev.lanes.actors.TestJobs;
import dev.lanes.actors.backend.QueueArbiter;
import dev.lanes.actors.session.SessionEntity;
import dev.lanes.actors.usage.UsageLedger;
import dev.lanes.core.job.JobEvent;
import dev.lanes.core.job.JobState;
import dev.lanes.core.job.JobStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The intake writes new jobs several per journal row under its own persistence id; a job is
 * queued and answered only once stored (accepted work survives a crash); its entity later takes
 * it from the read model and writes it again as its own first event; recovery reads both.
 */
class JobIntakeTest {
  static final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config()
      .withFallback(ConfigFactory.parseString("akka.actor.provider = local")).withFallback(ConfigFactory.load()));
  static final PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());

  final TestProbe<QueueArbiter.Command> arbiter = testKit.createTestProbe();
  final JobIndex index = new JobIndex();
  final String intakeId = "JobIntake|test-" + java.util.UUID.randomUUID();
  final ActorRef<JobIntake.Command> intake = testKit.spawn(JobIntake.create(index, b -> arbiter.ref(), intakeId));

  @BeforeEach
  void clean() {
    journal.clearAll();
    journal.resetPolicy();
  }

  private static long later() {
    return System.nanoTime() + Duration.ofSeconds(30).toNanos();
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void storesQueuesAndAnswersEveryJobAndItsEntityRecoversIt() {
    TestProbe<StatusReply<JobEntity.Accepted>> replies = testKit.createTestProbe();
    List<String> ids = List.of("intake-1", "intake-2", "intake-3");
    // The journal holds the first write until the other two jobs are at the intake: they then
    // share the next write, and its row.
    java.util.concurrent.CountDownLatch othersSent = new java.util.concurrent.CountDownLatch(1);
    journal.withPolicy((pid, op) -> {
      if (pid.equals(intakeId) && op instanceof akka.persistence.testkit.WriteEvents) {
        try {
          othersSent.await(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return akka.persistence.testkit.ProcessingSuccess.getInstance();
    });
    ids.forEach(id -> intake.tell(new JobIntake.Write(TestJobs.submitted(id, "b", 60), later(), replies.ref())));
    othersSent.countDown();
    Set<String> answered = new HashSet<>();
    for (int i = 0; i < ids.size(); i++) {
      JobEntity.Accepted a = replies.receiveMessage().getValue();
      assertTrue(a.created());
      answered.add(a.jobId());
    }
    assertEquals(Set.copyOf(ids), answered);
    Set<String> queued = new HashSet<>();
    for (int i = 0; i < ids.size(); i++) {
      queued.add(assertInstanceOf(QueueArbiter.Enqueue.class, arbiter.receiveMessage()).job().jobId());
    }
    assertEquals(Set.copyOf(ids), queued);
    List<JobEvent.Submitted> stored = journal.persistedInStorage(intakeId).stream()
        .flatMap(e -> ((JobIntake.Batch) e).jobs().stream()).toList();
    assertEquals(ids.stream().map(id -> TestJobs.submitted(id, "b", 60)).toList(), stored);
    assertEquals(List.of(1, 2), journal.persistedInStorage(intakeId).stream()
        .map(e -> ((JobIntake.Batch) e).jobs().size()).toList(), "the jobs that waited share a row");
    journal.resetPolicy();
    for (String id : ids) {
      assertTrue(journal.persistedInStorage(JobEntity.persistenceId(id)).isEmpty());
      assertEquals(JobStatus.Queued, index.get(id).orElseThrow().status());
    }

    // The entity, started later (a lane's Start), has no events: it takes the job from the read
    // model, and its first write is the same Submitted, then Started.
    TestProbe<QueueArbiter.Command> entityArbiter = testKit.createTestProbe();
    TestProbe<UsageLedger.Command> ledger = testKit.createTestProbe();
    TestProbe<SessionEntity.Command> session = testKit.createTestProbe();
    JobWiring wiring = new JobWiring(Clock.fixed(TestJobs.T0, ZoneOffset.UTC), index,
        b -> entityArbiter.ref(), i -> ledger.ref(), s -> session.ref(), Duration.ofSeconds(3));
    ActorRef<JobEntity.Command> entity = testKit.spawn(JobEntity.create("intake-2", wiring));
    TestProbe<JobState> get = testKit.createTestProbe();
    entity.tell(new JobEntity.Get(get.ref()));
    assertEquals(TestJobs.queued("intake-2", "b", 60), get.receiveMessage());
    assertTrue(journal.persistedInStorage(JobEntity.persistenceId("intake-2")).isEmpty(), "a read writes nothing");
    TestProbe<JobEntity.StartReply> start = testKit.createTestProbe();
    entity.tell(new JobEntity.Start(1, TestJobs.T0.plusSeconds(5), start.ref()));
    JobState running = assertInstanceOf(JobEntity.Go.class, start.receiveMessage()).job();
    assertEquals(JobStatus.Running, running.status());
    assertEquals("intake-2", running.jobId());
    journal.expectNextPersisted(JobEntity.persistenceId("intake-2"), TestJobs.submitted("intake-2", "b", 60));
    journal.expectNextPersisted(JobEntity.persistenceId("intake-2"), new JobEvent.Started(1, 1, TestJobs.T0.plusSeconds(5)));
    assertEquals(JobStatus.Running, index.get("intake-2").orElseThrow().status());

    // R29: after a restart the entity replays its own journal, which now holds the whole job.
    testKit.stop(entity);
    JobWiring fresh = new JobWiring(Clock.fixed(TestJobs.T0, ZoneOffset.UTC), new JobIndex(),
        b -> entityArbiter.ref(), i -> ledger.ref(), s -> session.ref(), Duration.ofSeconds(3));
    ActorRef<JobEntity.Command> again = testKit.spawn(JobEntity.create("intake-2", fresh));
    again.tell(new JobEntity.Get(get.ref()));
    assertEquals(running, get.receiveMessage());
  }

  @Test
  void recoveryRebuildsEveryJobFromTheIntakesRowsAndTheEntitiesOwnEvents() throws Exception {
    // R29: the node's start replays the tag; rows of several jobs expand to one state per job.
    TestProbe<StatusReply<JobEntity.Accepted>> replies = testKit.createTestProbe();
    List<String> ids = List.of("rec-1", "rec-2", "rec-3", "rec-4");
    ids.forEach(id -> intake.tell(new JobIntake.Write(TestJobs.submitted(id, "b", 60), later(), replies.ref())));
    ids.forEach(id -> assertTrue(replies.receiveMessage().isSuccess()));
    java.util.Map<String, JobState> replayed = JobRecovery.replay(testKit.system(),
        akka.persistence.testkit.query.javadsl.PersistenceTestKitReadJournal.Identifier())
        .toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
    for (String id : ids) {
      assertEquals(TestJobs.queued(id, "b", 60), replayed.get(id));
    }
  }

  @Test
  void aJobItsSessionCreatedIsQueuedAfterThatOneWriteAndRecoveryFindsIt() throws Exception {
    // R18, R29: a session's JobAdded that carries a new job is that job's first record
    TestProbe<dev.lanes.actors.usage.UsageLedger.Command> ledger = testKit.createTestProbe();
    var wiring = new dev.lanes.actors.session.SessionWiring(java.time.Clock.fixed(TestJobs.T0, java.time.ZoneOffset.UTC),
        new dev.lanes.actors.session.SessionIndex(), b -> arbiter.ref(), i -> ledger.ref(), Duration.ofSeconds(3),
        submitted -> JobIntake.admit(index, b -> arbiter.ref(), submitted));
    String sessionId = "sess-" + java.util.UUID.randomUUID();
    var session = testKit.spawn(dev.lanes.actors.session.SessionEntity.create(sessionId, wiring));
    TestProbe<dev.lanes.core.session.SessionView> opened = testKit.createTestProbe();
    session.tell(new dev.lanes.actors.session.SessionEntity.Open(dev.lanes.core.session.SessionRules.open(sessionId,
        dev.lanes.core.session.SessionMode.DEDICATED, "b", TestJobs.INSTANCE, "alice", null,
        new dev.lanes.core.session.SessionRules.Limits(Duration.ofSeconds(60), Duration.ofHours(1), Duration.ofHours(1)),
        TestJobs.T0), opened.ref()));
    opened.receiveMessage();
    TestProbe<dev.lanes.actors.session.SessionEntity.AddJobReply> added = testKit.createTestProbe();
    session.tell(new dev.lanes.actors.session.SessionEntity.AddJob(TestJobs.submitted("in-session", "b", 60), added.ref()));
    assertNull(added.receiveMessage().rejection());
    assertEquals("in-session", arbiter.expectMessageClass(QueueArbiter.Enqueue.class).job().jobId());
    assertEquals(TestJobs.queued("in-session", "b", 60), index.get("in-session").orElseThrow());
    java.util.Map<String, JobState> replayed = JobRecovery.replay(testKit.system(),
        akka.persistence.testkit.query.javadsl.PersistenceTestKitReadJournal.Identifier())
        .toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(TestJobs.queued("in-session", "b", 60), replayed.get("in-session"));
    assertEquals(1, replayed.size(), "the session's own events are not jobs");
  }

  @Test
  void aJobTheJournalRefusesIsNeitherQueuedNorListedAndTheAnswerSaysSo() {
    journal.failNextPersisted(intakeId);
    TestProbe<StatusReply<JobEntity.Accepted>> replies = testKit.createTestProbe();
    intake.tell(new JobIntake.Write(TestJobs.submitted("intake-bad", "b", 60), later(), replies.ref()));
    StatusReply<JobEntity.Accepted> r = replies.receiveMessage();
    assertTrue(r.isError());
    assertInstanceOf(JobNotStoredException.class, r.getError());
    arbiter.expectNoMessage(Duration.ofMillis(100));
    assertTrue(index.get("intake-bad").isEmpty());

    // The intake goes on: the next job is stored.
    intake.tell(new JobIntake.Write(TestJobs.submitted("intake-good", "b", 60), later(), replies.ref()));
    assertTrue(replies.receiveMessage().isSuccess());
  }

  @Test
  void aJobWhoseCallerGaveUpIsNeverWritten() {
    // Its client was told 503 "retry": writing it later would make a job nobody knows of.
    TestProbe<StatusReply<JobEntity.Accepted>> replies = testKit.createTestProbe();
    intake.tell(new JobIntake.Write(TestJobs.submitted("intake-late", "b", 60), System.nanoTime() - 1, replies.ref()));
    intake.tell(new JobIntake.Write(TestJobs.submitted("intake-on-time", "b", 60), later(), replies.ref()));
    assertEquals("intake-on-time", replies.receiveMessage().getValue().jobId());
    replies.expectNoMessage(Duration.ofMillis(100));
    assertEquals(List.of(new JobIntake.Batch(List.of(TestJobs.submitted("intake-on-time", "b", 60)))),
        journal.persistedInStorage(intakeId));
    assertTrue(index.get("intake-late").isEmpty());
  }
}
