package dev.lanes.core.limits;

import java.time.Duration;
import java.time.Instant;

/**
 * Issue 8 item 4: {@code limits.jobs-per-minute} per user, as a token bucket in its GCRA form (one
 * instant of state). A user may create up to {@code perMinute} jobs at once, then one every
 * {@code 60 s / perMinute}: {@code perMinute} a minute sustained. Immutable; {@link #decide} is
 * the rule, {@link #refund} gives back the token of a request that created nothing.
 *
 * @param tat the theoretical arrival time: when the bucket is full again (null: full)
 */
public record RateLimit(Instant tat) {
  public static final RateLimit FULL = new RateLimit(null);

  /** The answer to one request: allowed (with the state after it), or when to retry. */
  public record Decision(boolean allowed, RateLimit next, Duration retryAfter) {
    /** {@code Retry-After} in whole seconds, at least 1 (HTTP's header has seconds). */
    public long retryAfterSeconds() {
      long nanos = retryAfter.toNanos();
      return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }
  }

  /** One request at {@code now}; {@code perMinute} ≤ 0 means no limit. */
  public Decision decide(int perMinute, Instant now) {
    if (perMinute <= 0) {
      return new Decision(true, this, Duration.ZERO);
    }
    Duration interval = interval(perMinute);
    Duration burst = interval.multipliedBy(perMinute - 1L);
    Instant from = tat == null || tat.isBefore(now) ? now : tat;
    Duration ahead = Duration.between(now, from);
    if (ahead.compareTo(burst) > 0) {
      return new Decision(false, this, ahead.minus(burst));
    }
    return new Decision(true, new RateLimit(from.plus(interval)), Duration.ZERO);
  }

  /** Gives back the token an allowed request took, if it created nothing after all. */
  public RateLimit refund(int perMinute, Instant now) {
    if (perMinute <= 0 || tat == null) {
      return this;
    }
    Instant back = tat.minus(interval(perMinute));
    return back.isAfter(now) ? new RateLimit(back) : FULL;
  }

  private static Duration interval(int perMinute) {
    return Duration.ofMinutes(1).dividedBy(perMinute);
  }
}
