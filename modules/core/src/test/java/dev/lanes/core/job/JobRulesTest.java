package dev.lanes.core.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.core.model.JobShape;
import dev.lanes.core.model.Rejection;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JobRulesTest {
  static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  static final Instant T1 = T0.plusSeconds(5);
  static final Instant T2 = T0.plusSeconds(60);
  static final Instant T3 = T0.plusSeconds(120);

  static JobState queued() {
    return JobState.EMPTY.apply(new JobEvent.Submitted("job-1", "inst", "user", "sim", "sampler", null, null,
        List.of("t"), 60L, 60, "{}", new JobShape(1, 100, 1, 1, 1), 2.5, null, T0));
  }

  static JobState running() {
    return queued().apply(JobRules.start(queued(), 3, T1).orElseThrow());
  }

  static RunOutcome outcome(RunOutcome.Kind kind, double q) {
    return new RunOutcome(kind, q, kind == RunOutcome.Kind.COMPLETED ? "{\"ok\":1}" : null,
        kind == RunOutcome.Kind.FAILED ? "device error" : null, T1.plusSeconds(1), T1.plusSeconds(2), null);
  }

  static JobState finished(RunOutcome.Kind kind, double q) {
    return running().apply(JobRules.finish(running(), outcome(kind, q), T2).orElseThrow());
  }

  // R28, R29: a job written only by the intake is rebuilt from its state: the event it was created by
  @Test
  void aJobsStateGivesBackTheEventThatCreatedItWhateverHappenedSince() {
    JobEvent.Submitted s = new JobEvent.Submitted("job-2", "inst", "user", "sim", "sampler", "sess-1",
        dev.lanes.core.session.SessionMode.BATCH, List.of("a", "b"), null, 60, "{\"pubs\":[]}",
        new JobShape(1, 100, 1, 1, 1), 2.5, "key-1", T0);
    JobState q = JobState.EMPTY.apply(s);
    assertEquals(s, q.submitted());
    assertEquals(q, JobState.EMPTY.apply(q.submitted()));
    assertEquals(queued().submitted(), finished(RunOutcome.Kind.COMPLETED, 1).submitted());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, JobState.EMPTY::submitted);
  }

  // R28: Queued → Running → Completed
  @Test
  void happyPathQueuedRunningCompleted() {
    JobState q = queued();
    assertEquals(JobStatus.Queued, q.status());
    assertEquals(0, q.attempt());
    JobState r = running();
    assertEquals(JobStatus.Running, r.status());
    assertEquals(3, r.lane());
    assertEquals(1, r.attempt());
    assertEquals(T1, r.runningAt());
    JobState c = finished(RunOutcome.Kind.COMPLETED, 7.5);
    assertEquals(JobStatus.Completed, c.status());
    assertEquals(7.5, c.quantumSeconds());
    assertEquals("{\"ok\":1}", c.resultJson());
    assertEquals(T2, c.finishedAt());
    assertEquals(T1.plusSeconds(1), c.qpuStartedAt());
    assertNull(c.reasonCode());
  }

  // R1, R28: start only from Queued; never on a running, final, deleted or unknown job
  @Test
  void startOnlyFromQueued() {
    assertTrue(JobRules.start(queued(), 0, T1).isPresent());
    assertEquals(Optional.empty(), JobRules.start(running(), 1, T2));
    assertEquals(Optional.empty(), JobRules.start(JobState.EMPTY, 0, T1));
    for (RunOutcome.Kind k : RunOutcome.Kind.values()) {
      assertEquals(Optional.empty(), JobRules.start(finished(k, 1), 0, T3), k.name());
    }
    JobState deleted = finished(RunOutcome.Kind.COMPLETED, 1).apply(new JobEvent.Deleted(T3));
    assertEquals(Optional.empty(), JobRules.start(deleted, 0, T3));
  }

  // R28: cancel allowed in Queued and Running, 409 in every final state
  @Test
  void cancelOnlyInQueuedOrRunning() {
    assertEquals(Optional.empty(), JobRules.checkCancellable(queued()));
    assertEquals(Optional.empty(), JobRules.checkCancellable(running()));
    for (RunOutcome.Kind k : RunOutcome.Kind.values()) {
      Rejection r = JobRules.checkCancellable(finished(k, 1)).orElseThrow();
      assertEquals(409, r.status(), k.name());
    }
  }

  // R25, R28: cancelling a queued job ends it Cancelled, charges nothing
  @Test
  void cancelQueuedChargesNothing() {
    JobState c = queued().apply(JobRules.cancelQueued(T2));
    assertEquals(JobStatus.Cancelled, c.status());
    assertEquals(0, c.quantumSeconds());
    assertNull(c.reasonCode());
    assertFalse(JobRules.owesCharge(c));
  }

  // R28: reaching the max execution time → Cancelled, reason_code 1305, quantum time as reported
  @Test
  void ranTooLongIsCancelledWith1305() {
    JobState c = finished(RunOutcome.Kind.RAN_TOO_LONG, 60.0);
    assertEquals(JobStatus.Cancelled, c.status());
    assertEquals(1305, c.reasonCode());
    assertEquals(JobRules.RAN_TOO_LONG_CODE, c.reasonCode());
    assertEquals(60.0, c.quantumSeconds());
    assertTrue(c.reason().contains("60"), c.reason());
    assertTrue(JobRules.owesCharge(c));
  }

  // R25, R28: failed and user-cancelled running jobs keep the quantum time they consumed
  @Test
  void failedAndCancelledRunsKeepTheirQuantumTime() {
    JobState f = finished(RunOutcome.Kind.FAILED, 3.0);
    assertEquals(JobStatus.Failed, f.status());
    assertEquals("device error", f.reason());
    assertEquals(3.0, f.quantumSeconds());
    JobState c = finished(RunOutcome.Kind.CANCELLED, 2.0);
    assertEquals(JobStatus.Cancelled, c.status());
    assertNull(c.reasonCode());
    assertEquals(2.0, c.quantumSeconds());
  }

  // R28, R29: a late report for a final job is dropped (ends exactly once)
  @Test
  void finishIsIgnoredWhenAlreadyFinal() {
    for (RunOutcome.Kind first : RunOutcome.Kind.values()) {
      JobState done = finished(first, 1);
      for (RunOutcome.Kind late : RunOutcome.Kind.values()) {
        assertEquals(Optional.empty(), JobRules.finish(done, outcome(late, 9), T3), first + "/" + late);
      }
    }
    JobState cancelled = queued().apply(JobRules.cancelQueued(T1));
    assertEquals(Optional.empty(), JobRules.finish(cancelled, outcome(RunOutcome.Kind.COMPLETED, 1), T2));
    assertEquals(Optional.empty(), JobRules.finish(JobState.EMPTY, outcome(RunOutcome.Kind.COMPLETED, 1), T2));
  }

  // R28: a run outcome cannot complete a job that is not running (Queued → Running → final)
  @Test
  void finishIsIgnoredForAQueuedJob() {
    assertEquals(Optional.empty(), JobRules.finish(queued(), outcome(RunOutcome.Kind.COMPLETED, 4), T2));
    JobState requeued = running().apply(JobRules.recoverInterrupted(running(), true, T2));
    assertEquals(Optional.empty(), JobRules.finish(requeued, outcome(RunOutcome.Kind.COMPLETED, 4), T3));
  }

  // R28: only a final job may be deleted; the charge it owes stays owed
  @Test
  void deleteOnlyWhenFinal() {
    assertEquals(409, JobRules.checkDeletable(queued()).orElseThrow().status());
    assertEquals(409, JobRules.checkDeletable(running()).orElseThrow().status());
    for (RunOutcome.Kind k : RunOutcome.Kind.values()) {
      assertEquals(Optional.empty(), JobRules.checkDeletable(finished(k, 1)), k.name());
    }
    JobState deleted = finished(RunOutcome.Kind.COMPLETED, 4).apply(new JobEvent.Deleted(T3));
    assertTrue(deleted.deleted());
    assertEquals(4.0, deleted.quantumSeconds());
    assertTrue(JobRules.owesCharge(deleted));
  }

  // R29: an interrupted run is re-queued: Queued again, attempt kept, no lane, nothing charged
  @Test
  void recoverInterruptedRequeues() {
    JobEvent e = JobRules.recoverInterrupted(running(), true, T2);
    assertTrue(e instanceof JobEvent.Requeued, e.toString());
    JobState s = running().apply(e);
    assertEquals(JobStatus.Queued, s.status());
    assertEquals(1, s.attempt());
    assertNull(s.lane());
    assertNull(s.runningAt());
    assertEquals(0, s.quantumSeconds());
    assertFalse(JobRules.owesCharge(s));
    JobEvent.Started again = JobRules.start(s, 4, T3).orElseThrow();
    assertEquals(2, again.attempt());
    assertEquals(4, again.lane());
  }

  // R29: with jobs.requeue-interrupted = false the job fails with a clear reason, uncharged
  @Test
  void recoverInterruptedFailsWhenRequeueIsOff() {
    JobEvent e = JobRules.recoverInterrupted(running(), false, T2);
    JobState s = running().apply(e);
    assertEquals(JobStatus.Failed, s.status());
    assertTrue(s.reason().contains("requeue-interrupted"), s.reason());
    assertEquals(0, s.quantumSeconds());
    assertFalse(JobRules.owesCharge(s));
    assertEquals(Optional.empty(), JobRules.start(s, 0, T3));
  }

  // R27: a final job with quantum time owes its charge until Charged; then never again
  @Test
  void owesChargeOnlyUntilCharged() {
    assertFalse(JobRules.owesCharge(JobState.EMPTY));
    assertFalse(JobRules.owesCharge(queued()));
    assertFalse(JobRules.owesCharge(running()));
    for (RunOutcome.Kind k : RunOutcome.Kind.values()) {
      JobState done = finished(k, 2.5);
      assertTrue(JobRules.owesCharge(done), k.name());
      JobState charged = done.apply(new JobEvent.Charged(T3));
      assertTrue(charged.charged());
      assertFalse(JobRules.owesCharge(charged), k.name());
      assertFalse(JobRules.owesCharge(charged.apply(new JobEvent.Deleted(T3))), k.name());
    }
    assertFalse(JobRules.owesCharge(finished(RunOutcome.Kind.FAILED, 0)));
  }

  // R28: a job ends when its lane was done with it, even if the entity records it later
  @Test
  void aRunEndsAtTheLanesEndTimeNotWhenItIsRecorded() {
    JobState running = queued().apply(JobRules.start(queued(), 0, T1).orElseThrow());
    RunOutcome o = new RunOutcome(RunOutcome.Kind.COMPLETED, 1, "{}", null, T1, T1, T1.plusSeconds(5));
    assertEquals(T1.plusSeconds(5), JobRules.finish(running, o, T1.plusSeconds(9)).orElseThrow().at());
  }
}
