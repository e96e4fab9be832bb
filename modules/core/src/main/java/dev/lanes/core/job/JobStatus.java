package dev.lanes.core.job;

/** R28: Queued → Running → Completed | Failed | Cancelled. Spellings are the API's. */
public enum JobStatus {
  Queued,
  Running,
  Completed,
  Failed,
  Cancelled;

  public boolean isFinal() {
    return this == Completed || this == Failed || this == Cancelled;
  }
}
