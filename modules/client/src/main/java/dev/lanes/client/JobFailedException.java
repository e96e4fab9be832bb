package dev.lanes.client;

/** A job whose result was asked for ended Failed or Cancelled; the message is the server's reason. */
public final class JobFailedException extends RuntimeException {
  private final String jobId;
  private final JobStatus status;

  JobFailedException(String jobId, JobStatus status, String reason) {
    super("job " + jobId + " ended " + status.wire() + (reason == null || reason.isEmpty() ? "" : ": " + reason));
    this.jobId = jobId;
    this.status = status;
  }

  public String jobId() {
    return jobId;
  }

  /** FAILED or CANCELLED. */
  public JobStatus status() {
    return status;
  }
}
