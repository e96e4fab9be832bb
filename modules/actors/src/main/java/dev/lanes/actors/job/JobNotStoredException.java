package dev.lanes.actors.job;

/** The journal did not store a new job (storage down or refusing writes): nothing was accepted. */
public final class JobNotStoredException extends RuntimeException {
  public JobNotStoredException(Throwable cause) {
    super("the job was not stored: " + cause.getMessage(), cause);
  }
}
