package dev.lanes.core.session;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * An immutable snapshot of a session for readers (the API's session object). The deadlines are
 * the state's own (absolute; null when that clock does not run): R13's unused timeout, R12/R20's
 * max TTL, R11/R22's interactive TTL.
 */
public record SessionView(
    String id,
    SessionMode mode,
    String backend,
    String instance,
    String userId,
    SessionStatus status,
    String stateReason,
    boolean acceptingJobs,
    Duration interactiveTtl,
    Duration maxTtl,
    Instant createdAt,
    Instant startedAt,
    Instant activatedAt,
    Instant closedAt,
    Instant lastJobStarted,
    Instant lastJobCompleted,
    Instant committedSince,
    double committedSeconds,
    double quantumSeconds,
    int jobsQueued,
    int jobsRunning,
    int jobsEnded,
    List<SessionState.Stamp> timestamps,
    Instant unusedDeadline,
    Instant maxTtlDeadline,
    Instant interactiveDeadline) {

  /** R26 live: a dedicated session's open committed period keeps counting. */
  public double elapsedSeconds(Instant now) {
    if (mode == SessionMode.BATCH) {
      return quantumSeconds;
    }
    double open = committedSince == null ? 0 : Math.max(0, Duration.between(committedSince, now).toNanos() / 1e9);
    return committedSeconds + open;
  }

  public double activeTtlSeconds(Instant now) {
    if (startedAt == null) {
      return maxTtl.toNanos() / 1e9;
    }
    if (status == SessionStatus.CLOSED) {
      return 0;
    }
    return Math.max(0, Duration.between(now, startedAt.plus(maxTtl)).toNanos() / 1e9);
  }
}
