package dev.lanes.core.session;

import dev.lanes.core.job.JobStatus;
import java.util.List;

/** What a session tells its backend's queue after a change (decided by {@link SessionOrders}). */
public sealed interface BackendOrder {
  /** R10, R12, R14, R15: the dedicated session no longer holds the backend. */
  record ReleaseHold() implements BackendOrder {}

  /** R20, R22: the batch is over; its jobs no longer go ahead of anyone. */
  record EndBatch() implements BackendOrder {}

  /** R12, R15, R20: the session's queued jobs end with this status and reason. */
  record DropQueued(List<String> jobIds, JobStatus status, String reason) implements BackendOrder {}
}
