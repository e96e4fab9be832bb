package dev.lanes.core.session;

import dev.lanes.core.job.JobStatus;

/** Why a session or batch closed, and what happens to its queued jobs. */
public enum CloseReason {
  /** R14: accepting_jobs=false and nothing left to run. */
  CLIENT_CLOSED(null),
  /** R15: DELETE /close: queued jobs end Cancelled, running jobs finish. */
  CANCELLED(JobStatus.Cancelled),
  /** R12 / R20: max TTL from the first job start; queued jobs fail (session) or are cancelled (batch). */
  MAX_TTL(null),
  /** R13: no job within the unused timeout of being opened. */
  UNUSED(null),
  /** R22: a batch ends by itself once its last job ended and its interactive TTL passed. */
  BATCH_DONE(null);

  private final JobStatus queuedJobsEnd;

  CloseReason(JobStatus queuedJobsEnd) {
    this.queuedJobsEnd = queuedJobsEnd;
  }

  /**
   * How queued jobs of a session closed for this reason end, or null when none can be queued or
   * they may still run (R14). Max TTL depends on the mode: Failed for a session (R12), Cancelled
   * for a batch (R20).
   */
  public JobStatus queuedJobsEnd(SessionMode mode) {
    if (this == MAX_TTL) {
      return mode == SessionMode.DEDICATED ? JobStatus.Failed : JobStatus.Cancelled;
    }
    return queuedJobsEnd;
  }
}
