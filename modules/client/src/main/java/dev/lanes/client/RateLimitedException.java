package dev.lanes.client;

/**
 * The user created more jobs than {@code lanes.limits.jobs-per-minute} allows (429); the server's
 * message says so. Not retried by the client: the caller decides whether to wait (the answer's
 * {@code Retry-After} says how long) or to give up.
 */
public final class RateLimitedException extends LanesApiException {
  public RateLimitedException(String message) {
    super(429, message);
  }
}
