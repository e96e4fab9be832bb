package dev.lanes.core.job;

import dev.lanes.core.model.Rejection;
import java.time.Instant;
import java.util.Optional;

/** Decisions on one job (R28, R29): commands in, events (or a rejection) out. */
public final class JobRules {
  /** The public client maps Cancelled with this code to "ran too long" (RuntimeJobMaxTimeoutError). */
  public static final int RAN_TOO_LONG_CODE = 1305;

  private JobRules() {}

  /**
   * A lane may start a job only while it is queued: never twice (R1, R29). {@code takenAt} is
   * when the lane took it: the job's Running time.
   */
  public static Optional<JobEvent.Started> start(JobState s, int lane, Instant takenAt) {
    return start(s, lane, takenAt, s.epoch()).stream()
        .filter(JobEvent.Started.class::isInstance).map(JobEvent.Started.class::cast).findFirst();
  }

  /**
   * A start asked by the backend in its epoch {@code epoch} (issue 6, R1, R29). A backend lives
   * once in the cluster, and each time it starts on a node it gets a new, higher epoch:
   * <ul>
   *   <li>an epoch older than one the job has heard of is a stale node's: refused, so a node that
   *       lost its backend can never start the job again;</li>
   *   <li>a queued job starts, as with {@link #start(JobState, int, Instant)};</li>
   *   <li>a job Running under an older epoch was interrupted when its backend moved: the run is
   *       over (re-queued, never charged) and the new epoch starts it again, as after a restart.</li>
   * </ul>
   * Empty when refused.
   */
  public static java.util.List<JobEvent> start(JobState s, int lane, Instant takenAt, long epoch) {
    if (!s.exists() || s.deleted() || epoch < s.epoch()) {
      return java.util.List.of();
    }
    if (s.status() == JobStatus.Queued) {
      return java.util.List.of(new JobEvent.Started(lane, s.attempt() + 1, takenAt, epoch));
    }
    if (s.status() == JobStatus.Running && epoch > s.epoch()) {
      return java.util.List.of(
          new JobEvent.Requeued("interrupted: its backend moved to another node", takenAt, epoch),
          new JobEvent.Started(lane, s.attempt() + 1, takenAt, epoch));
    }
    return java.util.List.of();
  }

  /** R28: cancel is allowed in Queued and Running; 409 otherwise. */
  public static Optional<Rejection> checkCancellable(JobState s) {
    if (s.isFinal()) {
      return Optional.of(Rejection.conflict("status", "job is " + s.status() + ": non cancellable status"));
    }
    return Optional.empty();
  }

  /** Cancelling a job that never reached the QPU charges nothing (R25). */
  public static JobEvent.Finished cancelQueued(Instant now) {
    return new JobEvent.Finished(JobStatus.Cancelled, "cancelled by user", null, 0, null, null, null, now);
  }

  /**
   * Its session ended it while it waited (R12, R15, R20): Failed or Cancelled with the session's
   * reason; nothing ran, nothing is charged. Only a queued job ends this way: a running one
   * finishes (R12, R15).
   */
  public static Optional<JobEvent.Finished> endQueued(JobState s, JobStatus status, String reason, Instant now) {
    if (!s.exists() || s.status() != JobStatus.Queued) {
      return Optional.empty();
    }
    return Optional.of(new JobEvent.Finished(status, reason, null, 0, null, null, null, now));
  }

  /**
   * A run's end becomes the job's final event. Only a Running job can finish (R28): a late report
   * for a final job, or for a job re-queued since (R29), is dropped.
   */
  public static Optional<JobEvent.Finished> finish(JobState s, RunOutcome o, Instant now) {
    return finish(s, o, now, s.epoch());
  }

  /**
   * As {@link #finish(JobState, RunOutcome, Instant)}, for a run its backend started in epoch
   * {@code epoch}: the report of a run from another epoch than the current one is a stale node's,
   * and dropped (issue 6).
   */
  public static Optional<JobEvent.Finished> finish(JobState s, RunOutcome o, Instant now, long epoch) {
    if (s.status() != JobStatus.Running || epoch != s.epoch()) {
      return Optional.empty();
    }
    // The lane's end time, not when the entity got to it: the lane may already run the next job,
    // and a job must never look as if it ended after its successor on the lane started.
    Instant end = o.endedAt() != null ? o.endedAt() : now;
    return Optional.of(switch (o.kind()) {
      case COMPLETED -> new JobEvent.Finished(JobStatus.Completed, null, null, o.quantumSeconds(),
          o.resultJson(), o.qpuStartedAt(), o.qpuFinishedAt(), end);
      case FAILED -> new JobEvent.Finished(JobStatus.Failed, o.reason(), null, o.quantumSeconds(),
          null, o.qpuStartedAt(), o.qpuFinishedAt(), end);
      case CANCELLED -> new JobEvent.Finished(JobStatus.Cancelled, "cancelled by user", null,
          o.quantumSeconds(), null, o.qpuStartedAt(), o.qpuFinishedAt(), end);
      case RAN_TOO_LONG -> new JobEvent.Finished(JobStatus.Cancelled,
          "job exceeded its maximum execution time of " + s.maxExecutionSeconds() + " s",
          RAN_TOO_LONG_CODE, o.quantumSeconds(), null, o.qpuStartedAt(), o.qpuFinishedAt(), end);
    });
  }

  /** R28: only a final job may be deleted. */
  public static Optional<Rejection> checkDeletable(JobState s) {
    if (!s.isFinal()) {
      return Optional.of(Rejection.conflict("status", "job is " + s.status() + ": only a final job can be deleted"));
    }
    return Optional.empty();
  }

  /**
   * R29: after a node stop a Running job either goes back to the head of the queue or fails with
   * a clear reason. Its interrupted run is never charged: only a finished run is.
   */
  public static JobEvent recoverInterrupted(JobState s, boolean requeue, Instant now) {
    return recoverInterrupted(s, requeue, now, s.epoch());
  }

  /**
   * Whether {@code s} is a run that the backend's start in epoch {@code epoch} cut off (R29): it
   * is Running in an older epoch. A run the same epoch started (a recovery's message arriving
   * after the job already started again) is not. Epoch 0: no epochs, any run.
   */
  public static boolean cutOffBy(JobState s, long epoch) {
    return s.status() == JobStatus.Running && (epoch == 0 || s.epoch() < epoch);
  }

  /** As above, by the backend in its epoch {@code epoch}: no older epoch may start it again. */
  public static JobEvent recoverInterrupted(JobState s, boolean requeue, Instant now, long epoch) {
    if (requeue) {
      return new JobEvent.Requeued("interrupted by a node stop; re-queued at the head of the queue", now,
          Math.max(epoch, s.epoch()));
    }
    return new JobEvent.Finished(JobStatus.Failed,
        "interrupted by a node stop while running (jobs.requeue-interrupted = false)", null, 0, null,
        null, null, now);
  }

  /**
   * A final job with quantum time owes the ledger a charge until it has been recorded (R25, R27);
   * a dedicated session's job never does: its session is charged wall-clock time instead (R26).
   */
  public static boolean owesCharge(JobState s) {
    return s.isFinal() && !s.charged() && s.quantumSeconds() > 0 && !s.inDedicatedSession();
  }
}
