package dev.lanes.actors.gateway;

/**
 * A new job refused by {@code limits.jobs-per-minute} (issue 8 item 4): the API answers 429 with
 * {@code Retry-After: retryAfterSeconds}. Nothing was created.
 */
public final class RateLimitedException extends RuntimeException {
  private final long retryAfterSeconds;

  public RateLimitedException(String message, long retryAfterSeconds) {
    super(message, null, false, false);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
