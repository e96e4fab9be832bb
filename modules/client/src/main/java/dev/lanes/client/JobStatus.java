package dev.lanes.client;

/** A job's status (api.md job object {@code status}). */
public enum JobStatus {
  QUEUED("Queued"), RUNNING("Running"), COMPLETED("Completed"), FAILED("Failed"), CANCELLED("Cancelled");

  private final String wire;

  JobStatus(String wire) {
    this.wire = wire;
  }

  /** Completed, Failed or Cancelled: the job will not change again. */
  public boolean isFinal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }

  /** The status as the API spells it ("Queued", …). */
  public String wire() {
    return wire;
  }

  static JobStatus parse(String wire) {
    for (JobStatus s : values()) {
      if (s.wire.equals(wire)) {
        return s;
      }
    }
    throw new LanesApiException(200, "unknown job status from the server: '" + wire + "'");
  }
}
