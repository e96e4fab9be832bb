package dev.lanes.core.session;

import java.time.Duration;
import java.time.Instant;

/** What happened to a session or batch; the journal of {@code Session|<id>}. */
public sealed interface SessionEvent {
  Instant at();

  /** Created by POST /sessions; TTLs fixed from config and the user's max_ttl. */
  record Opened(
      String sessionId,
      SessionMode mode,
      String backend,
      String instance,
      String userId,
      Duration interactiveTtl,
      Duration maxTtl,
      Duration unusedTimeout,
      Instant at)
      implements SessionEvent {}

  /**
   * A job was accepted into the session (R18: nothing is created for a session that refuses it).
   * With {@code job} (a new job without an Idempotency-Key) this one event also creates the job:
   * it is the job's first record, as a row of the intake is for jobs outside sessions. Without it
   * the job's own journal is written next (a job with a key, or an event of an older version).
   */
  record JobAdded(String jobId, Instant at, dev.lanes.core.job.JobEvent.Submitted job) implements SessionEvent {
    public JobAdded(String jobId, Instant at) {
      this(jobId, at, null);
    }
  }

  /** A job accepted into the session was never created (its submit failed): forget it. */
  record JobForgotten(String jobId, Instant at) implements SessionEvent {}

  /** One of its jobs took a lane; the first one activates the session (R10, R19). */
  record JobStarted(String jobId, Instant at) implements SessionEvent {}

  /** A running job was interrupted by a node stop and waits again (R29). */
  record JobRequeued(String jobId, Instant at) implements SessionEvent {}

  /** One of its jobs reached a final state, with the quantum time it consumed (R25). */
  record JobEnded(String jobId, double quantumSeconds, Instant at) implements SessionEvent {}

  /** R10/R11: the interactive TTL ran out with nothing running or queued; the backend is released. */
  record Deactivated(Instant at) implements SessionEvent {}

  /** R14: PATCH accepting_jobs=false. */
  record AcceptingStopped(Instant at) implements SessionEvent {}

  /** The session or batch closed; {@code at} is when the rule says, not when a timer fired. */
  record Closed(CloseReason reason, String message, Instant at) implements SessionEvent {}

  /** A committed period's wall-clock charge reached the instance's ledger (R26, R27). */
  record ChargeRecorded(String chargeId, Instant at) implements SessionEvent {}
}
