package dev.lanes.client;

/** A job was not final within the time its caller was willing to wait; it still runs. */
public final class JobTimeoutException extends RuntimeException {
  JobTimeoutException(String message) {
    super(message);
  }
}
