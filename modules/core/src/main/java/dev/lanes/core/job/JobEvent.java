package dev.lanes.core.job;

import dev.lanes.core.model.JobShape;
import dev.lanes.core.session.SessionMode;
import java.time.Instant;
import java.util.List;

/** What happened to a job; the journal of {@code Job|<id>}. Past tense, records only. */
public sealed interface JobEvent {
  Instant at();

  /** Accepted at submit (R4 passed); the job waits in its backend's queue. */
  record Submitted(
      String jobId,
      String instance,
      String userId,
      String backend,
      String programId,
      String sessionId,
      SessionMode sessionMode,
      List<String> tags,
      Long cost,
      long maxExecutionSeconds,
      String paramsJson,
      JobShape shape,
      double estimatedQuantumSeconds,
      String idempotencyKey,
      Instant at)
      implements JobEvent {}

  /**
   * Took a lane (R1). {@code attempt} grows when an interrupted run is repeated (R29).
   * {@code epoch}: the backend's epoch that started it (0 in events from before epochs).
   */
  record Started(int lane, int attempt, Instant at, long epoch) implements JobEvent {
    public Started(int lane, int attempt, Instant at) {
      this(lane, attempt, at, 0);
    }
  }

  /**
   * Its run was interrupted by a node stop; it goes back to the head of the queue (R29).
   * {@code epoch}: the backend's epoch that re-queued it; no older one may start it again.
   */
  record Requeued(String reason, Instant at, long epoch) implements JobEvent {
    public Requeued(String reason, Instant at) {
      this(reason, at, 0);
    }
  }

  /** Reached a final state, with the quantum time it consumed (R25, R28). */
  record Finished(
      JobStatus status,
      String reason,
      Integer reasonCode,
      double quantumSeconds,
      String resultJson,
      Instant qpuStartedAt,
      Instant qpuFinishedAt,
      Instant at)
      implements JobEvent {}

  /** Its quantum time reached the instance's ledger (R27); never charged twice. */
  record Charged(Instant at) implements JobEvent {}

  /** Removed from the API by its owner; the ledger keeps its charge (R28). */
  record Deleted(Instant at) implements JobEvent {}
}
