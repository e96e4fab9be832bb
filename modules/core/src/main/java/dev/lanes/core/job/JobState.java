package dev.lanes.core.job;

import dev.lanes.core.model.JobShape;
import dev.lanes.core.session.SessionMode;
import java.time.Instant;
import java.util.List;

/**
 * Everything known of one job, folded from its events. Immutable; {@link #apply} is the only way
 * a job changes, so the entity, the read model and recovery agree by construction.
 */
public record JobState(
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
    Instant created,
    JobStatus status,
    String reason,
    Integer reasonCode,
    Integer lane,
    int attempt,
    Instant runningAt,
    Instant qpuStartedAt,
    Instant qpuFinishedAt,
    Instant finishedAt,
    double quantumSeconds,
    String resultJson,
    boolean charged,
    boolean deleted,
    long epoch) {
  // epoch: the newest epoch of its backend this job has heard of (a start or a re-queue). A
  // backend gets a new epoch each time it starts on a node (issue 6): an older one is stale.

  /** The state before the first event: nothing submitted yet. */
  public static final JobState EMPTY =
      new JobState(null, null, null, null, null, null, null, List.of(), null, 0, null, null, 0, null,
          null, null, null, null, null, 0, null, null, null, null, 0, null, false, false, 0);

  public boolean exists() {
    return jobId != null;
  }

  /** The event that created this job: {@code EMPTY.apply(s.submitted())} is s as first submitted. */
  public JobEvent.Submitted submitted() {
    if (!exists()) {
      throw new IllegalStateException("no job: nothing was submitted");
    }
    return new JobEvent.Submitted(jobId, instance, userId, backend, programId, sessionId, sessionMode, tags, cost,
        maxExecutionSeconds, paramsJson, shape, estimatedQuantumSeconds, idempotencyKey, created);
  }

  /** R26: a dedicated session is charged wall-clock time, so its jobs are not charged quantum time. */
  public boolean inDedicatedSession() {
    return sessionMode == SessionMode.DEDICATED;
  }

  public boolean isFinal() {
    return status != null && status.isFinal();
  }

  public JobState apply(JobEvent event) {
    if (event instanceof JobEvent.Submitted s) {
      return new JobState(s.jobId(), s.instance(), s.userId(), s.backend(), s.programId(),
          s.sessionId(), s.sessionMode(), List.copyOf(s.tags()), s.cost(), s.maxExecutionSeconds(), s.paramsJson(),
          s.shape(), s.estimatedQuantumSeconds(), s.idempotencyKey(), s.at(), JobStatus.Queued,
          null, null, null, 0, null, null, null, null, 0, null, false, false, 0);
    } else if (event instanceof JobEvent.Started s) {
      return withRun(JobStatus.Running, s.lane(), s.attempt(), s.at(), null, Math.max(epoch, s.epoch()));
    } else if (event instanceof JobEvent.Requeued r) {
      return withRun(JobStatus.Queued, null, attempt, null, r.reason(), Math.max(epoch, r.epoch()));
    } else if (event instanceof JobEvent.Finished f) {
      return new JobState(jobId, instance, userId, backend, programId, sessionId, sessionMode, tags, cost,
          maxExecutionSeconds, paramsJson, shape, estimatedQuantumSeconds, idempotencyKey, created,
          f.status(), f.reason(), f.reasonCode(), lane, attempt, runningAt, f.qpuStartedAt(),
          f.qpuFinishedAt(), f.at(), f.quantumSeconds(), f.resultJson(), charged, deleted, epoch);
    } else if (event instanceof JobEvent.Charged) {
      return new JobState(jobId, instance, userId, backend, programId, sessionId, sessionMode, tags, cost,
          maxExecutionSeconds, paramsJson, shape, estimatedQuantumSeconds, idempotencyKey, created,
          status, reason, reasonCode, lane, attempt, runningAt, qpuStartedAt, qpuFinishedAt,
          finishedAt, quantumSeconds, resultJson, true, deleted, epoch);
    } else if (event instanceof JobEvent.Deleted) {
      return new JobState(jobId, instance, userId, backend, programId, sessionId, sessionMode, tags, cost,
          maxExecutionSeconds, paramsJson, shape, estimatedQuantumSeconds, idempotencyKey, created,
          status, reason, reasonCode, lane, attempt, runningAt, qpuStartedAt, qpuFinishedAt,
          finishedAt, quantumSeconds, resultJson, charged, true, epoch);
    }
    throw new IllegalArgumentException("unknown event " + event);
  }

  private JobState withRun(JobStatus next, Integer lane, int attempt, Instant runningAt, String reason, long epoch) {
    return new JobState(jobId, instance, userId, backend, programId, sessionId, sessionMode, tags, cost,
        maxExecutionSeconds, paramsJson, shape, estimatedQuantumSeconds, idempotencyKey, created,
        next, reason, null, lane, attempt, runningAt, null, null, null, 0, null, charged, deleted, epoch);
  }
}
