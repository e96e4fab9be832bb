package dev.lanes.actors.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * The intake writes each new job as event 1 of its own {@code Job|<id>} journal, several jobs per
 * write; the job is queued and answered only once stored (accepted work survives a crash), and its
 * entity later recovers it like any job it wrote itself.
 */
class JobIntakeTest {
  static final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config()
      .withFallback(ConfigFactory.parseString("akka.actor.provider = local")).withFallback(ConfigFactory.load()));
  static final PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());

  final TestProbe<QueueArbiter.Command> arbiter = testKit.createTestProbe();
  final JobIndex index = new JobIndex();
  final ActorRef<JobIntake.Command> intake = testKit.spawn(JobIntake.create(index, b -> arbiter.ref()));

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
    ids.forEach(id -> intake.tell(new JobIntake.Write(TestJobs.submitted(id, "b", 60), later(), replies.ref())));
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
    for (String id : ids) {
      journal.expectNextPersisted(JobEntity.persistenceId(id), TestJobs.submitted(id, "b", 60));
      assertEquals(JobStatus.Queued, index.get(id).orElseThrow().status());
    }

    // The entity, started later (a lane's Start), replays event 1 and writes its next as event 2.
    TestProbe<QueueArbiter.Command> entityArbiter = testKit.createTestProbe();
    TestProbe<UsageLedger.Command> ledger = testKit.createTestProbe();
    TestProbe<SessionEntity.Command> session = testKit.createTestProbe();
    JobWiring wiring = new JobWiring(Clock.fixed(TestJobs.T0, ZoneOffset.UTC), new JobIndex(),
        b -> entityArbiter.ref(), i -> ledger.ref(), s -> session.ref(), Duration.ofSeconds(3));
    ActorRef<JobEntity.Command> entity = testKit.spawn(JobEntity.create("intake-2", wiring));
    TestProbe<JobEntity.StartReply> start = testKit.createTestProbe();
    entity.tell(new JobEntity.Start(1, TestJobs.T0.plusSeconds(5), start.ref()));
    JobState running = assertInstanceOf(JobEntity.Go.class, start.receiveMessage()).job();
    assertEquals(JobStatus.Running, running.status());
    assertEquals("intake-2", running.jobId());
    journal.expectNextPersisted(JobEntity.persistenceId("intake-2"), new JobEvent.Started(1, 1, TestJobs.T0.plusSeconds(5)));
  }

  @Test
  void aJobTheJournalRefusesIsNeitherQueuedNorListedAndTheAnswerSaysSo() {
    journal.failNextPersisted(JobEntity.persistenceId("intake-bad"));
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
    journal.expectNextPersisted(JobEntity.persistenceId("intake-on-time"), TestJobs.submitted("intake-on-time", "b", 60));
    journal.expectNothingPersisted(JobEntity.persistenceId("intake-late"));
    assertTrue(index.get("intake-late").isEmpty());
  }
}
