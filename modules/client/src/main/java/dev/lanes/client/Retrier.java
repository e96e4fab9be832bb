package dev.lanes.client;

import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Retries a call the server failed (5xx) or never answered, with doubling pauses. Only calls that
 * are safe to repeat come here: reads, and POSTs that carry an {@code Idempotency-Key} so that a
 * retry returns the first answer (api.md "Conventions"). After the last attempt the failure is a
 * {@link ServiceUnavailableException}; 4xx answers are never retried.
 */
final class Retrier {
  static final Duration MAX_PAUSE = Duration.ofSeconds(4);

  private final int attempts;
  private final Duration firstPause;

  Retrier(int attempts, Duration firstPause) {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
    }
    this.attempts = attempts;
    this.firstPause = firstPause;
  }

  <T> T call(String what, Supplier<T> call) {
    long pause = firstPause.toMillis();
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get();
      } catch (ServiceUnavailableException e) {
        if (attempt == attempts) {
          throw e;
        }
      } catch (UncheckedIOException e) {
        if (e.getCause() instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
          throw e;
        }
        if (attempt == attempts) {
          throw new ServiceUnavailableException(0, what + ": no answer after " + attempts + " attempts: "
              + e.getMessage(), e);
        }
      }
      pause(pause);
      pause = Math.min(pause * 2, MAX_PAUSE.toMillis());
    }
  }

  void run(String what, Runnable call) {
    call(what, () -> {
      call.run();
      return null;
    });
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new InterruptedIOException("interrupted between retries"));
    }
  }
}
