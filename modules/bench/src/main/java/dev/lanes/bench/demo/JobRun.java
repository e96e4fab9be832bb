package dev.lanes.bench.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;

/**
 * A job as the server recorded it: {@code GET /jobs/{id}} for its final status and
 * {@code GET /jobs/{id}/metrics} for its timestamps, lane and usage.
 *
 * @param running null if it never started
 * @param finished null if it has not ended
 * @param lane -1 if it never had one
 */
public record JobRun(String id, String label, String status, Instant created, Instant running, Instant finished,
    int lane, double quantumSeconds, Instant qpuStarted, Instant qpuFinished) {

  public JobRun(String id, String label, String status, Instant created, Instant running, Instant finished,
      int lane, double quantumSeconds) {
    this(id, label, status, created, running, finished, lane, quantumSeconds, null, null);
  }

  public static JobRun of(String id, String label, JsonNode job, JsonNode metrics) {
    JsonNode ts = metrics.path("timestamps");
    String status = job.path("status").asText(job.path("state").path("status").asText("?"));
    return new JobRun(id, label, status, instant(ts.path("created")), instant(ts.path("running")),
        instant(ts.path("finished")), metrics.path("lane").isInt() ? metrics.path("lane").asInt() : -1,
        metrics.path("usage").path("quantum_seconds").asDouble(job.path("usage").path("quantum_seconds").asDouble(0)),
        instant(metrics.path("qpu").path("started")), instant(metrics.path("qpu").path("finished")));
  }

  public boolean ran() {
    return running != null;
  }

  /** running → finished in seconds (0 if it never ran). */
  public double runSeconds() {
    return running == null || finished == null ? 0 : seconds(running, finished);
  }

  static Instant instant(JsonNode n) {
    return n.isTextual() && !n.asText().isEmpty() ? Instant.parse(n.asText()) : null;
  }

  public static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e9;
  }
}
