package dev.lanes.core.job;

import java.time.Instant;

/**
 * How one run on a lane ended, as the lane reports it. Turned into a {@link JobEvent.Finished} by
 * {@link JobRules#finish}.
 */
public record RunOutcome(
    Kind kind,
    double quantumSeconds,
    String resultJson,
    String reason,
    Instant qpuStartedAt,
    Instant qpuFinishedAt,
    /** When the lane was done with the job (null: unknown, the entity's clock is used). */
    Instant endedAt) {

  public enum Kind {
    COMPLETED,
    FAILED,
    /** Stopped on a user's cancel while running. */
    CANCELLED,
    /** Quantum time reached the job's max execution time (R28, reason_code 1305). */
    RAN_TOO_LONG
  }
}
