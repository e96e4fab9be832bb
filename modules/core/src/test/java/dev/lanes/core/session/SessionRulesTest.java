package dev.lanes.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.core.job.JobStatus;
import dev.lanes.core.model.Rejection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * State machine of one session or batch under a fixed clock: every SessionRules decision is applied
 * to the state right away, as the entity does.
 */
class SessionRulesTest {
  static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
  static final SessionRules.Limits SESSION =
      new SessionRules.Limits(Duration.ofSeconds(60), Duration.ofHours(8), Duration.ofMinutes(30));
  static final SessionRules.Limits BATCH =
      new SessionRules.Limits(Duration.ofSeconds(1), Duration.ofHours(8), Duration.ofMinutes(30));

  private SessionState s;

  static Instant t(double seconds) {
    return T0.plusNanos(Math.round(seconds * 1e9));
  }

  private void open(SessionMode mode, Long maxTtlSeconds) {
    SessionRules.Limits limits = mode == SessionMode.BATCH ? BATCH : SESSION;
    assertEquals(Optional.empty(), SessionRules.checkMaxTtl(maxTtlSeconds, limits));
    s = SessionState.empty().apply(SessionRules.open("S", mode, "qpu", "inst", "user", maxTtlSeconds, limits, T0));
  }

  private List<SessionEvent> apply(List<SessionEvent> events) {
    events.forEach(s::apply);
    return events;
  }

  private List<SessionEvent> add(String job, double at) {
    SessionRules.Either e = SessionRules.addJob(s, job, t(at));
    assertFalse(e.isRejected(), () -> "rejected: " + e.rejection());
    return apply(e.events());
  }

  private Rejection addRejected(String job, double at) {
    SessionRules.Either e = SessionRules.addJob(s, job, t(at));
    assertTrue(e.isRejected());
    assertEquals(List.of(), e.events());
    return e.rejection();
  }

  private List<SessionEvent> start(String job, double at) {
    return apply(SessionRules.jobStarted(s, job, t(at)));
  }

  private List<SessionEvent> end(String job, double quantum, double at) {
    return apply(SessionRules.jobEnded(s, job, quantum, t(at)));
  }

  private List<SessionEvent> deadline(double now) {
    return apply(SessionRules.deadlineReached(s, t(now)));
  }

  private static SessionEvent.Closed closed(List<SessionEvent> events) {
    assertEquals(1, events.size(), () -> "events: " + events);
    return assertInstanceOf(SessionEvent.Closed.class, events.get(0));
  }

  private static SessionState.Stamp stamp(SessionStatus status, double at) {
    return new SessionState.Stamp(status, t(at));
  }

  // ---------------------------------------------------------------- R10

  // R18: the event that accepts a new job can carry it, so one write adds and creates it; a
  // session that refuses the job writes nothing, so the job is never created
  @Test
  void theJobAddedOfANewJobCarriesItAndARefusalWritesNothing() {
    open(SessionMode.DEDICATED, null);
    dev.lanes.core.job.JobEvent.Submitted job = new dev.lanes.core.job.JobEvent.Submitted("j9", "inst", "user", "qpu",
        "sampler", "S", SessionMode.DEDICATED, List.of(), null, 60, "{\"pubs\":[]}",
        new dev.lanes.core.model.JobShape(1, 100, 1, 1, 1), 2.5, null, t(1));
    SessionRules.Either e = SessionRules.addJob(s, job, t(2));
    assertEquals(List.of(new SessionEvent.JobAdded("j9", t(2), job)), apply(e.events()));
    assertTrue(s.queued().contains("j9"));
    apply(SessionRules.stopAccepting(s, t(3)));
    SessionRules.Either refused = SessionRules.addJob(s, new dev.lanes.core.job.JobEvent.Submitted("j10", "inst", "user",
        "qpu", "sampler", "S", SessionMode.DEDICATED, List.of(), null, 60, "{}", new dev.lanes.core.model.JobShape(1, 100, 1, 1, 1),
        2.5, null, t(3)), t(3));
    assertEquals(409, refused.rejection().status());
    assertEquals(List.of(), refused.events());
  }

  // R10: open → active on first JobStarted → inactive at ITTL → active again, activated_at updated
  @Test
  void sessionLifecycleOpenActiveInactiveActive() {
    open(SessionMode.DEDICATED, null);
    assertEquals(SessionStatus.OPEN, s.status());
    assertNull(s.view().activatedAt());
    assertNull(s.startedAt());

    assertEquals(List.of(new SessionEvent.JobAdded("j1", t(5))), add("j1", 5));
    assertEquals(SessionStatus.OPEN, s.status()); // R10: a queued job does not activate it
    assertEquals(List.of(new SessionEvent.JobStarted("j1", t(10))), start("j1", 10));
    assertEquals(SessionStatus.ACTIVE, s.status());
    assertEquals(t(10), s.view().activatedAt());
    assertEquals(t(10), s.startedAt());

    end("j1", 2.0, 20);
    assertEquals(SessionStatus.ACTIVE, s.status());
    assertEquals(Optional.of(t(80)), s.interactiveDeadline());
    assertEquals(List.of(), deadline(79.999));
    assertEquals(List.of(new SessionEvent.Deactivated(t(80))), deadline(80));
    assertEquals(SessionStatus.INACTIVE, s.status());
    assertTrue(s.acceptingJobs());

    add("j2", 200);
    assertEquals(SessionStatus.INACTIVE, s.status());
    start("j2", 300);
    assertEquals(SessionStatus.ACTIVE, s.status());
    assertEquals(t(300), s.view().activatedAt());
    assertEquals(t(10), s.startedAt()); // first start never moves
    assertEquals(List.of(
        stamp(SessionStatus.OPEN, 0), stamp(SessionStatus.ACTIVE, 10),
        stamp(SessionStatus.INACTIVE, 80), stamp(SessionStatus.ACTIVE, 300)), s.timestamps());
    assertEquals(s.timestamps(), s.view().timestamps());
  }

  // R10: a second job starting while active adds no stamp; a repeated JobStarted is idempotent
  @Test
  void secondStartWhileActiveAddsNoStamp() {
    open(SessionMode.DEDICATED, null);
    add("j1", 1);
    add("j2", 1);
    start("j1", 2);
    assertEquals(List.of(), start("j1", 3));
    start("j2", 4);
    assertEquals(t(2), s.view().activatedAt());
    assertEquals(2, s.timestamps().size());
    assertEquals(2, s.view().jobsRunning());
  }

  // ---------------------------------------------------------------- R11

  // R11: ITTL = last job end + interactive TTL; a job within it keeps the session active
  @Test
  void interactiveTtlRestartsAfterEachJobEnd() {
    open(SessionMode.DEDICATED, null);
    add("j1", 0);
    start("j1", 10);
    assertEquals(Optional.empty(), s.interactiveDeadline()); // running: suspended
    end("j1", 1, 20);
    assertEquals(Optional.of(t(80)), s.interactiveDeadline());

    add("j2", 50); // within the ITTL
    assertEquals(Optional.empty(), s.interactiveDeadline()); // queued: suspended
    assertEquals(List.of(), deadline(80));
    assertEquals(List.of(), deadline(500)); // still queued (e.g. lanes busy): stays active
    assertEquals(SessionStatus.ACTIVE, s.status());
    assertTrue(s.holdsBackend());

    start("j2", 510);
    assertEquals(Optional.empty(), s.interactiveDeadline());
    assertEquals(List.of(), deadline(600));
    end("j2", 1, 700);
    assertEquals(Optional.of(t(760)), s.interactiveDeadline()); // restarted from the last end
    assertEquals(List.of(), deadline(759));
    assertEquals(List.of(new SessionEvent.Deactivated(t(760))), deadline(760));
    assertEquals(List.of(stamp(SessionStatus.OPEN, 0), stamp(SessionStatus.ACTIVE, 10),
        stamp(SessionStatus.INACTIVE, 760)), s.timestamps());
  }

  // R11: with two jobs running, the end of one does not start the ITTL
  @Test
  void interactiveTtlWaitsForTheLastRunningJob() {
    open(SessionMode.DEDICATED, null);
    add("j1", 0);
    add("j2", 0);
    start("j1", 1);
    start("j2", 1);
    end("j1", 1, 5);
    assertEquals(Optional.empty(), s.interactiveDeadline());
    assertEquals(List.of(), deadline(1000));
    end("j2", 1, 30);
    assertEquals(Optional.of(t(90)), s.interactiveDeadline());
  }

  // R11, R29: deadline passed long ago (node was down) → Deactivated dated at the deadline
  @Test
  void lateTimerIsDatedAtTheDeadline() {
    open(SessionMode.DEDICATED, null);
    add("j1", 0);
    start("j1", 0);
    end("j1", 1, 10);
    List<SessionEvent> ev = deadline(3 * 3600);
    assertEquals(List.of(new SessionEvent.Deactivated(t(70))), ev);
    assertEquals(70.0, s.committedSeconds(), 1e-9); // R26: charged to the deadline, not to now
  }

  // ---------------------------------------------------------------- R12

  // R12: max TTL from the first start, never pauses (also while inactive); closes Closed(MAX_TTL)
  @Test
  void maxTtlRunsFromFirstStartAndNeverPauses() {
    open(SessionMode.DEDICATED, 100L);
    assertEquals(Duration.ofSeconds(100), s.maxTtl());
    assertEquals(Optional.empty(), s.maxTtlDeadline()); // not before the first start
    add("j1", 5);
    start("j1", 10);
    assertEquals(Optional.of(t(110)), s.maxTtlDeadline());
    end("j1", 1, 20);
    assertEquals(List.of(new SessionEvent.Deactivated(t(80))), deadline(80));
    assertEquals(Optional.of(t(110)), s.maxTtlDeadline()); // inactive: still runs
    add("j2", 90); // queued, waits in the normal queue
    assertEquals(Optional.of(t(110)), s.nextDeadline());
    assertEquals(List.of(), deadline(109));

    SessionEvent.Closed c = closed(deadline(110));
    assertEquals(CloseReason.MAX_TTL, c.reason());
    assertEquals(t(110), c.at());
    assertTrue(c.message().contains("100 s"), c.message());
    assertEquals(SessionStatus.CLOSED, s.status());
    assertEquals(CloseReason.MAX_TTL, s.closeReason());
    assertEquals(c.message(), s.stateReason());
    assertEquals(t(110), s.closedAt());
    assertFalse(s.acceptingJobs());
    assertEquals(JobStatus.Failed, s.closeReason().queuedJobsEnd(s.mode())); // R12: queued jobs fail
    assertEquals(List.of("j2"), List.copyOf(s.queued()));
    assertEquals(Optional.empty(), s.nextDeadline());
    assertEquals(List.of(), deadline(100_000));
  }

  // R12: absent max_ttl → the system maximum
  @Test
  void defaultMaxTtlIsTheSystemMaximum() {
    open(SessionMode.DEDICATED, null);
    assertEquals(Duration.ofHours(8), s.maxTtl());
    add("j1", 0);
    start("j1", 0);
    assertEquals(Optional.of(t(8 * 3600)), s.maxTtlDeadline());
  }

  // R12: max TTL while a job runs: closed, the running job finishes (and the backend stays held)
  @Test
  void maxTtlWithRunningJob() {
    open(SessionMode.DEDICATED, 100L);
    add("j1", 0);
    start("j1", 0);
    SessionEvent.Closed c = closed(deadline(100));
    assertEquals(CloseReason.MAX_TTL, c.reason());
    assertTrue(s.holdsBackend()); // R17, R26: its job still runs on the backend
    assertEquals(List.of(new SessionEvent.JobEnded("j1", 3, t(130))), end("j1", 3, 130));
    assertFalse(s.holdsBackend());
    assertEquals(SessionStatus.CLOSED, s.status());
  }

  // R12: both ITTL and max TTL passed → earliest first (Deactivated), then Closed(MAX_TTL)
  @Test
  void earliestPassedDeadlineComesFirst() {
    open(SessionMode.DEDICATED, 100L);
    add("j1", 0);
    start("j1", 10);
    end("j1", 1, 20); // ITTL deadline 80, max TTL deadline 110
    assertEquals(List.of(new SessionEvent.Deactivated(t(80))), deadline(5000));
    SessionEvent.Closed c = closed(deadline(5000));
    assertEquals(CloseReason.MAX_TTL, c.reason());
    assertEquals(t(110), c.at());
    assertEquals(List.of(), deadline(5000));
    assertEquals(List.of(stamp(SessionStatus.OPEN, 0), stamp(SessionStatus.ACTIVE, 10),
        stamp(SessionStatus.INACTIVE, 80), stamp(SessionStatus.CLOSED, 110)), s.timestamps());
    assertEquals(70.0, s.elapsedSeconds(t(5000)), 1e-9); // R26: inactive time not counted
  }

  // R12: checkMaxTtl bounds
  @Test
  void checkMaxTtl() {
    assertEquals(Optional.empty(), SessionRules.checkMaxTtl(null, SESSION));
    assertEquals(Optional.empty(), SessionRules.checkMaxTtl(1L, SESSION));
    assertEquals(Optional.empty(), SessionRules.checkMaxTtl(8 * 3600L, SESSION)); // exactly the max
    for (long bad : new long[] {0, -5, 8 * 3600 + 1, Long.MAX_VALUE}) {
      Rejection r = SessionRules.checkMaxTtl(bad, SESSION).orElseThrow(() -> new AssertionError("accepted " + bad));
      assertEquals(400, r.status());
      assertEquals("max_ttl", r.field());
      assertTrue(r.message().contains("28800"), r.message());
    }
  }

  // R12, R20: max TTL queued-jobs fate per mode
  @Test
  void closeReasonQueuedJobsEnd() {
    assertEquals(JobStatus.Failed, CloseReason.MAX_TTL.queuedJobsEnd(SessionMode.DEDICATED)); // R12
    assertEquals(JobStatus.Cancelled, CloseReason.MAX_TTL.queuedJobsEnd(SessionMode.BATCH)); // R20
    assertEquals(JobStatus.Cancelled, CloseReason.CANCELLED.queuedJobsEnd(SessionMode.DEDICATED)); // R15
    assertEquals(JobStatus.Cancelled, CloseReason.CANCELLED.queuedJobsEnd(SessionMode.BATCH)); // R15, R22
    assertNull(CloseReason.CLIENT_CLOSED.queuedJobsEnd(SessionMode.DEDICATED)); // R14: they run
  }

  // ---------------------------------------------------------------- R13

  // R13: an open session with no job closes after the unused timeout, dated at it
  @Test
  void unusedSessionCloses() {
    open(SessionMode.DEDICATED, null);
    assertEquals(Optional.of(t(1800)), s.unusedDeadline());
    assertEquals(List.of(), deadline(0)); // before any deadline
    assertEquals(List.of(), deadline(1799));
    SessionEvent.Closed c = closed(deadline(7200)); // late timer
    assertEquals(CloseReason.UNUSED, c.reason());
    assertEquals(t(1800), c.at());
    assertTrue(c.message().contains("1800 s"), c.message());
    assertEquals(SessionStatus.CLOSED, s.status());
    assertFalse(s.holdsBackend());
    assertNull(CloseReason.UNUSED.queuedJobsEnd(SessionMode.DEDICATED));
  }

  // R13: a JobAdded cancels the unused timeout
  @Test
  void jobAddedCancelsUnusedTimeout() {
    open(SessionMode.DEDICATED, null);
    add("j1", 600);
    assertEquals(Optional.empty(), s.unusedDeadline());
    assertEquals(Optional.empty(), s.nextDeadline());
    assertEquals(List.of(), deadline(1800));
    assertEquals(List.of(), deadline(100_000));
    assertEquals(SessionStatus.OPEN, s.status());
  }

  // R13: a job whose submit failed (JobForgotten) was never received: the unused timeout applies again
  @Test
  void forgottenJobDoesNotCountAsReceived() {
    open(SessionMode.DEDICATED, null);
    add("j1", 600);
    assertEquals(List.of(new SessionEvent.JobForgotten("j1", t(601))),
        apply(SessionRules.forgetJob(s, "j1", t(601))));
    assertEquals(Optional.of(t(1800)), s.unusedDeadline());
    SessionEvent.Closed c = closed(deadline(1800));
    assertEquals(CloseReason.UNUSED, c.reason());
  }

  // ---------------------------------------------------------------- R14

  // R14: stopAccepting with nothing queued or running closes at once
  @Test
  void stopAcceptingWhenIdleClosesAtOnce() {
    open(SessionMode.DEDICATED, null);
    add("j1", 0);
    start("j1", 10);
    end("j1", 1, 20);
    List<SessionEvent> ev = apply(SessionRules.stopAccepting(s, t(30)));
    assertEquals(2, ev.size());
    assertEquals(new SessionEvent.AcceptingStopped(t(30)), ev.get(0));
    SessionEvent.Closed c = assertInstanceOf(SessionEvent.Closed.class, ev.get(1));
    assertEquals(CloseReason.CLIENT_CLOSED, c.reason());
    assertEquals(t(30), c.at());
    assertEquals(SessionStatus.CLOSED, s.status());
    assertFalse(s.holdsBackend());
    assertEquals(20.0, s.committedSeconds(), 1e-9); // R26: 10 → 30
    assertEquals(List.of(), apply(SessionRules.stopAccepting(s, t(40))));
  }

  // R14: stopAccepting on a session that never got a job closes at once
  @Test
  void stopAcceptingOpenSessionWithoutJobs() {
    open(SessionMode.DEDICATED, null);
    List<SessionEvent> ev = apply(SessionRules.stopAccepting(s, t(5)));
    assertEquals(2, ev.size());
    assertEquals(CloseReason.CLIENT_CLOSED, ((SessionEvent.Closed) ev.get(1)).reason());
    assertEquals(0.0, s.elapsedSeconds(t(100)), 1e-9);
    assertEquals(List.of(), s.pendingCharges());
  }

  // R14: with jobs left, AcceptingStopped only; closed when the last job ends, no ITTL wait
  @Test
  void stopAcceptingWithJobsClosesWhenLastEnds() {
    open(SessionMode.DEDICATED, null);
    add("j1", 0);
    add("j2", 0);
    start("j1", 10);
    assertEquals(List.of(new SessionEvent.AcceptingStopped(t(15))), apply(SessionRules.stopAccepting(s, t(15))));
    assertFalse(s.acceptingJobs());
    assertEquals(SessionStatus.ACTIVE, s.status());
    assertEquals(List.of(), apply(SessionRules.stopAccepting(s, t(16)))); // already stopped
    Rejection r = addRejected("j3", 17); // R18
    assertEquals(409, r.status());

    assertEquals(List.of(new SessionEvent.JobEnded("j1", 1, t(20))), end("j1", 1, 20)); // j2 still queued
    assertEquals(Optional.empty(), s.interactiveDeadline());
    start("j2", 20);
    List<SessionEvent> ev = end("j2", 2, 50);
    assertEquals(2, ev.size());
    assertEquals(new SessionEvent.JobEnded("j2", 2, t(50)), ev.get(0));
    SessionEvent.Closed c = assertInstanceOf(SessionEvent.Closed.class, ev.get(1));
    assertEquals(CloseReason.CLIENT_CLOSED, c.reason());
    assertEquals(t(50), c.at()); // no interactive-TTL wait
    assertEquals(SessionStatus.CLOSED, s.status());
    assertNull(c.reason().queuedJobsEnd(SessionMode.DEDICATED));
    assertEquals(40.0, s.committedSeconds(), 1e-9); // R26: 10 → 50
  }

  // R14: a queued job whose submit failed is the last one: closes
  @Test
  void stopAcceptingThenForgetLastJobCloses() {
    open(SessionMode.DEDICATED, null);
    add("j1", 0);
    apply(SessionRules.stopAccepting(s, t(1)));
    List<SessionEvent> ev = apply(SessionRules.forgetJob(s, "j1", t(2)));
    assertEquals(2, ev.size());
    assertEquals(CloseReason.CLIENT_CLOSED, ((SessionEvent.Closed) ev.get(1)).reason());
  }

  // ---------------------------------------------------------------- R15

  // R15: cancel closes at once even with running jobs; queued jobs end Cancelled; running finish
  @Test
  void cancelClosesAtOnce() {
    open(SessionMode.DEDICATED, null);
    add("j1", 0);
    add("j2", 0);
    start("j1", 10);
    SessionEvent.Closed c = closed(apply(SessionRules.cancel(s, t(20))));
    assertEquals(CloseReason.CANCELLED, c.reason());
    assertEquals(t(20), c.at());
    assertEquals(SessionStatus.CLOSED, s.status());
    assertFalse(s.acceptingJobs());
    assertEquals(JobStatus.Cancelled, s.closeReason().queuedJobsEnd(s.mode()));
    assertTrue(s.holdsBackend()); // j1 still runs
    assertEquals(List.of(), apply(SessionRules.cancel(s, t(21))));
    assertEquals(409, addRejected("j3", 22).status()); // R18
    // the entity cancels j2 in the queue and j1 finishes
    assertEquals(List.of(new SessionEvent.JobEnded("j2", 0, t(22))), end("j2", 0, 22));
    end("j1", 1, 40);
    assertFalse(s.holdsBackend());
    assertEquals(30.0, s.committedSeconds(), 1e-9); // R26: 10 → 40
  }

  // ---------------------------------------------------------------- R18

  // R18: closed → 409 on session_id; non-accepting → 409; a retried add of a known job → nothing
  @Test
  void addJobRejections() {
    open(SessionMode.DEDICATED, null);
    add("j1", 0);
    SessionRules.Either retry = SessionRules.addJob(s, "j1", t(1));
    assertFalse(retry.isRejected());
    assertEquals(List.of(), retry.events());
    start("j1", 2);
    retry = SessionRules.addJob(s, "j1", t(3)); // running: still known
    assertFalse(retry.isRejected());
    assertEquals(List.of(), retry.events());

    apply(SessionRules.stopAccepting(s, t(4)));
    Rejection r = addRejected("j2", 5);
    assertEquals(409, r.status());
    assertEquals("session_id", r.field());
    assertTrue(r.message().contains("S"), r.message());
    assertTrue(r.message().contains("accepting"), r.message());
    assertEquals(List.of("j1"), List.copyOf(s.running()));

    end("j1", 1, 6); // closes (R14)
    assertEquals(SessionStatus.CLOSED, s.status());
    r = addRejected("j3", 7);
    assertEquals(409, r.status());
    assertEquals("session_id", r.field());
    assertTrue(r.message().contains("closed"), r.message());
    assertTrue(s.queued().isEmpty());
  }

  // R18: a batch says "batch" in its rejection
  @Test
  void addJobToClosedBatchIsRejected() {
    open(SessionMode.BATCH, null);
    apply(SessionRules.cancel(s, t(1)));
    Rejection r = addRejected("j1", 2);
    assertEquals(409, r.status());
    assertEquals("session_id", r.field());
    assertTrue(r.message().startsWith("batch S"), r.message());
  }

  // ---------------------------------------------------------------- R20, R22 (batch)

  // R20: batch max TTL from the first start → Closed(MAX_TTL); queued jobs Cancelled
  @Test
  void batchMaxTtl() {
    open(SessionMode.BATCH, 3600L);
    add("j1", 0);
    add("j2", 0);
    start("j1", 10);
    assertTrue(s.batchActive());
    assertFalse(s.holdsBackend());
    assertEquals(Optional.of(t(3610)), s.nextDeadline());
    assertEquals(List.of(), deadline(3609));
    SessionEvent.Closed c = closed(deadline(3610));
    assertEquals(CloseReason.MAX_TTL, c.reason());
    assertEquals(t(3610), c.at());
    assertTrue(c.message().contains("3600 s"), c.message());
    assertEquals(JobStatus.Cancelled, s.closeReason().queuedJobsEnd(SessionMode.BATCH));
    assertFalse(s.batchActive());
    assertEquals(409, addRejected("j3", 3611).status());
  }

  // R22: a batch ends by itself once its last job ended and the batch ITTL passed
  @Test
  void batchEndsByItself() {
    open(SessionMode.BATCH, null);
    add("j1", 0);
    add("j2", 0);
    add("j3", 0);
    start("j1", 10);
    start("j2", 10);
    end("j1", 1, 15);
    assertEquals(List.of(), deadline(1000)); // j2 running, j3 queued
    end("j2", 1, 20);
    assertEquals(Optional.empty(), s.interactiveDeadline()); // j3 still queued
    assertEquals(List.of(), deadline(2000));
    assertEquals(SessionStatus.ACTIVE, s.status());
    start("j3", 2000);
    end("j3", 1, 2030);
    assertEquals(Optional.of(t(2031)), s.interactiveDeadline());
    assertEquals(List.of(), deadline(2030.5));
    SessionEvent.Closed c = closed(deadline(2031));
    assertEquals(CloseReason.BATCH_DONE, c.reason());
    assertEquals(t(2031), c.at());
    assertTrue(c.message().contains("1 s"), c.message());
    assertFalse(s.batchActive());
    assertEquals(List.of(stamp(SessionStatus.OPEN, 0), stamp(SessionStatus.ACTIVE, 10),
        stamp(SessionStatus.CLOSED, 2031)), s.timestamps());
  }

  // R22: a new job within the batch ITTL keeps the batch going
  @Test
  void batchJobWithinIttlKeepsItGoing() {
    open(SessionMode.BATCH, null);
    add("j1", 0);
    start("j1", 1);
    end("j1", 1, 2);
    add("j2", 2.5);
    assertEquals(List.of(), deadline(3));
    start("j2", 3);
    end("j2", 1, 4);
    assertEquals(List.of(), deadline(4.9));
    assertEquals(CloseReason.BATCH_DONE, closed(deadline(5)).reason());
  }

  // ---------------------------------------------------------------- R26

  // R26: dedicated elapsed = committed wall clock; inactive not counted; periods charged once each
  @Test
  void dedicatedUsageIsCommittedWallClock() {
    open(SessionMode.DEDICATED, null);
    add("j1", 0);
    assertEquals(0.0, s.elapsedSeconds(t(5)), 1e-9);
    start("j1", 10);
    assertEquals(15.0, s.elapsedSeconds(t(25)), 1e-9); // live while active
    end("j1", 4, 20);
    assertEquals(50.0, s.elapsedSeconds(t(60)), 1e-9); // ITTL idle counts
    deadline(80);
    assertEquals(70.0, s.elapsedSeconds(t(80)), 1e-9);
    assertEquals(70.0, s.elapsedSeconds(t(250)), 1e-9); // inactive: not counted
    assertEquals(List.of(new PendingCharge("session:S:1", 70.0, t(80))), s.pendingCharges());

    add("j2", 290);
    add("j3", 290);
    start("j2", 300);
    start("j3", 300);
    end("j3", 1, 310);
    assertEquals(80.0, s.elapsedSeconds(t(310)), 1e-9); // a second active period adds
    closed(apply(SessionRules.cancel(s, t(320))));
    assertEquals(1, s.pendingCharges().size()); // j2 still runs: period still open
    assertEquals(90.0, s.elapsedSeconds(t(320)), 1e-9);
    assertEquals(120.0, s.elapsedSeconds(t(350)), 1e-9); // counts until j2 ends
    end("j2", 2, 350);
    assertEquals(120.0, s.elapsedSeconds(t(10_000)), 1e-9);
    assertEquals(120.0, s.committedSeconds(), 1e-9);
    assertEquals(List.of(new PendingCharge("session:S:1", 70.0, t(80)),
        new PendingCharge("session:S:2", 50.0, t(350))), s.pendingCharges());
    assertEquals(7.0, s.quantumSeconds(), 1e-9);

    apply(List.of(new SessionEvent.ChargeRecorded("session:S:1", t(400))));
    assertEquals(List.of(new PendingCharge("session:S:2", 50.0, t(350))), s.pendingCharges());
    apply(List.of(new SessionEvent.ChargeRecorded("session:S:1", t(401)))); // re-sent ack: harmless
    apply(List.of(new SessionEvent.ChargeRecorded("session:S:2", t(402))));
    assertEquals(List.of(), s.pendingCharges());
    assertEquals(120.0, s.elapsedSeconds(t(10_000)), 1e-9);
  }

  // R26: a session closed at max TTL while inactive charges nothing more
  @Test
  void closeWhileInactiveAddsNoPeriod() {
    open(SessionMode.DEDICATED, 1000L);
    add("j1", 0);
    start("j1", 0);
    end("j1", 1, 10);
    deadline(70);
    closed(deadline(1000));
    assertEquals(1, s.pendingCharges().size());
    assertEquals(70.0, s.elapsedSeconds(t(2000)), 1e-9);
  }

  // R25, R26: batch elapsed = sum of its jobs' quantum seconds; no wall-clock charges
  @Test
  void batchUsageIsQuantumTime() {
    open(SessionMode.BATCH, null);
    add("j1", 0);
    add("j2", 0);
    start("j1", 10);
    start("j2", 10);
    assertEquals(0.0, s.elapsedSeconds(t(100)), 1e-9);
    end("j1", 1.5, 20);
    end("j2", 2.25, 30);
    closed(deadline(31));
    assertEquals(3.75, s.elapsedSeconds(t(1000)), 1e-9);
    assertEquals(3.75, s.view().elapsedSeconds(t(5)), 1e-9);
    assertEquals(List.of(), s.pendingCharges());
    assertEquals(0.0, s.committedSeconds(), 1e-9);
  }

  // ---------------------------------------------------------------- R17, R19: backend flags per state

  // R17: holdsBackend in each state of a dedicated session
  @Test
  void holdsBackendPerState() {
    open(SessionMode.DEDICATED, null);
    assertFalse(s.holdsBackend()); // open
    assertFalse(s.batchActive());
    add("j1", 0);
    assertFalse(s.holdsBackend()); // open with a queued job (R6)
    start("j1", 1);
    assertTrue(s.holdsBackend()); // active, running
    assertFalse(s.batchActive());
    end("j1", 1, 2);
    assertTrue(s.holdsBackend()); // active, ITTL idle
    deadline(62);
    assertEquals(SessionStatus.INACTIVE, s.status());
    assertFalse(s.holdsBackend()); // inactive
    add("j2", 70);
    start("j2", 70);
    assertTrue(s.holdsBackend());
    closed(apply(SessionRules.cancel(s, t(80))));
    assertTrue(s.holdsBackend()); // closed while its job runs
    end("j2", 1, 90);
    assertFalse(s.holdsBackend()); // closed, nothing running
    assertFalse(s.batchActive());
  }

  // R19: batchActive in each state of a batch; a batch never holds the backend
  @Test
  void batchActivePerState() {
    open(SessionMode.BATCH, null);
    assertFalse(s.batchActive());
    add("j1", 0);
    assertFalse(s.batchActive()); // R6: first job waits like any job
    start("j1", 1);
    assertTrue(s.batchActive());
    assertFalse(s.holdsBackend());
    end("j1", 1, 2);
    assertTrue(s.batchActive()); // batch ITTL running
    closed(deadline(3));
    assertFalse(s.batchActive());
    assertFalse(s.holdsBackend());
  }

  // ---------------------------------------------------------------- misc

  // R10: deadlineReached before any deadline (or with none armed) → nothing
  @Test
  void deadlineBeforeAnyDeadlineIsEmpty() {
    open(SessionMode.DEDICATED, null);
    assertEquals(List.of(), deadline(-10));
    assertEquals(List.of(), deadline(1));
    add("j1", 2);
    start("j1", 3);
    assertEquals(List.of(), deadline(3600)); // running: only max TTL armed, far away
    assertEquals(SessionStatus.ACTIVE, s.status());
  }

  // R29: requeue of a running job goes back to queued; ITTL stays suspended
  @Test
  void requeueKeepsSessionActive() {
    open(SessionMode.DEDICATED, null);
    add("j1", 0);
    start("j1", 1);
    assertEquals(List.of(new SessionEvent.JobRequeued("j1", t(5))), apply(SessionRules.jobRequeued(s, "j1", t(5))));
    assertEquals(List.of("j1"), List.copyOf(s.queued()));
    assertEquals(Optional.empty(), s.interactiveDeadline());
    assertEquals(List.of(), apply(SessionRules.jobRequeued(s, "j1", t(6)))); // not running any more
    start("j1", 7);
    assertEquals(SessionStatus.ACTIVE, s.status());
  }

  // R14: an end of an unknown job is ignored
  @Test
  void unknownJobEndIgnored() {
    open(SessionMode.DEDICATED, null);
    assertEquals(List.of(), end("nope", 1, 1));
    assertEquals(List.of(), apply(SessionRules.forgetJob(s, "nope", t(1))));
  }

  // R26: a job end reported after the close that followed it still counts to the close
  @Test
  void aJobEndHeardAfterTheCloseChargesUpToTheClose() {
    open(SessionMode.DEDICATED, null);
    add("j1", 0);
    start("j1", 10);
    apply(SessionRules.cancel(s, t(50))); // the job had ended at 40; the session hears it later
    end("j1", 1, 40);
    assertEquals(40.0, s.committedSeconds(), 1e-9);
    assertEquals(t(50), s.pendingCharges().get(0).at());
  }

  // R13: a session whose only job was cancelled before it started is unused again from then
  @Test
  void aJobCancelledBeforeItStartedRestartsTheUnusedTimeout() {
    open(SessionMode.DEDICATED, null);
    add("j1", 100);
    assertTrue(s.unusedDeadline().isEmpty());
    end("j1", 0, 200);
    assertEquals(java.util.Optional.of(t(200 + 1800)), s.unusedDeadline());
    assertEquals(CloseReason.UNUSED, closed(deadline(2000)).reason());
  }

  // R21: a batch takes any number of jobs
  @Test
  void aBatchHasNoJobLimit() {
    open(SessionMode.BATCH, null);
    for (int i = 0; i < 20_000; i++) {
      add("j" + i, 1);
    }
    assertEquals(20_000, s.queued().size());
  }

  // R23: a failed job ends alone; the batch and its other jobs carry on
  @Test
  void aFailedJobInABatchDoesNotAffectTheOthers() {
    open(SessionMode.BATCH, null);
    add("j1", 0);
    add("j2", 0);
    start("j1", 1);
    List<SessionEvent> ended = end("j1", 0.5, 2); // j1 failed after 0.5 s on the QPU
    assertEquals(List.of(new SessionEvent.JobEnded("j1", 0.5, t(2))), ended);
    assertEquals(SessionStatus.ACTIVE, s.status());
    assertEquals(java.util.Set.of("j2"), s.queued());
    assertEquals(List.of(), SessionOrders.after(ended, s)); // nothing is dropped or ended
    start("j2", 3);
    assertEquals(SessionStatus.ACTIVE, s.status());
  }

  // R12, R15, R20, R22, R17: what the backend's queue is told after each change
  @Test
  void theQueueIsToldToDropEndOrReleaseExactlyWhenTheRulesSay() {
    open(SessionMode.DEDICATED, 600L);
    add("j1", 0);
    add("j2", 0);
    List<SessionEvent> started = start("j1", 1);
    assertEquals(List.of(), SessionOrders.after(started, s)); // R17: it holds now
    List<SessionEvent> maxTtl = deadline(601);
    assertEquals(List.of(new BackendOrder.DropQueued(List.of("j2"), dev.lanes.core.job.JobStatus.Failed,
        closed(maxTtl).message())), SessionOrders.after(maxTtl, s)); // R12: still held while j1 runs
    List<SessionEvent> lastEnd = end("j1", 1, 650);
    assertEquals(List.of(new BackendOrder.ReleaseHold()), SessionOrders.after(lastEnd, s));
    assertEquals(List.of(new BackendOrder.DropQueued(List.of("j2"), dev.lanes.core.job.JobStatus.Failed,
        s.stateReason())), SessionOrders.afterRestart(s)); // j2 not heard of as ended yet: again

    open(SessionMode.BATCH, null);
    add("b1", 0);
    add("b2", 0);
    start("b1", 1);
    List<SessionEvent> cancelled = apply(SessionRules.cancel(s, t(2)));
    assertEquals(List.of(new BackendOrder.DropQueued(List.of("b2"), dev.lanes.core.job.JobStatus.Cancelled,
        closed(cancelled).message()), new BackendOrder.EndBatch()), SessionOrders.after(cancelled, s)); // R15
    assertEquals(List.of(new BackendOrder.EndBatch()), SessionOrders.after(end("b1", 1, 3), s)); // R22
  }
}
