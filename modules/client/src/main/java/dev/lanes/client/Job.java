package dev.lanes.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * A job on a Lanes server (or run locally, R30). Every call asks the server afresh; nothing is
 * cached but the id.
 */
public final class Job {
  /** Polls back off from 100 ms by ×1.5 to at most 2 s between calls. */
  static final Duration FIRST_POLL = Duration.ofMillis(100);
  static final Duration MAX_POLL = Duration.ofSeconds(2);

  private final Engine engine;
  private final String id;

  Job(Engine engine, String id) {
    this.engine = engine;
    this.id = id;
  }

  public String id() {
    return id;
  }

  public JobStatus status() {
    return JobStatus.parse(details().path("status").asText());
  }

  /** The job object (api.md "Jobs"), without its params. */
  public JsonNode details() {
    return engine.job(id);
  }

  /** Timestamps, quantum time, the lane it ran on (api.md {@code GET /jobs/{id}/metrics}). */
  public JsonNode metrics() {
    return engine.metrics(id);
  }

  /**
   * Asks the server to cancel it: queued, it never runs; running, it stops (R3).
   *
   * @throws ConflictException if it is already final
   */
  public void cancel() {
    engine.cancel(id);
  }

  /** Waits as long as it takes for the job to be final; returns its final status. */
  public JobStatus waitForFinalState() {
    return waitForFinalState(null);
  }

  /**
   * Waits for the job to be final, polling with back-off; returns its final status.
   *
   * @param timeout null to wait as long as it takes
   * @throws JobTimeoutException if it is not final in time (it keeps running)
   */
  public JobStatus waitForFinalState(Duration timeout) {
    long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    long pause = FIRST_POLL.toMillis();
    while (true) {
      JobStatus status = status();
      if (status.isFinal()) {
        return status;
      }
      long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
      if (timeout != null && leftMillis <= 0) {
        throw new JobTimeoutException("job " + id + " is still " + status.wire() + " after " + timeout);
      }
      sleep(Math.min(pause, Math.max(1, leftMillis)));
      pause = Math.min((long) (pause * 1.5), MAX_POLL.toMillis());
    }
  }

  /** Waits for the job and returns its results; see {@link #result(Duration)}. */
  public JobResult result() {
    return result(null);
  }

  /**
   * Waits for the job and returns its results.
   *
   * @throws JobFailedException if it ended Failed or Cancelled, with the server's reason
   * @throws JobTimeoutException if it is not final within {@code timeout} (null: no limit)
   */
  public JobResult result(Duration timeout) {
    JobStatus status = waitForFinalState(timeout);
    if (status != JobStatus.COMPLETED) {
      throw new JobFailedException(id, status, details().path("state").path("reason").asText(""));
    }
    return JobResult.fromJson(engine.results(id).orElseThrow(() ->
        new LanesApiException(204, "job " + id + " is Completed but the server has no results for it")));
  }

  @Override
  public String toString() {
    return "Job(" + id + ")";
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JobTimeoutException("interrupted while waiting for a job");
    }
  }
}
