package dev.lanes.core.usage;

import java.time.Instant;

/** One charge to an instance (R25–R27). {@code chargeId} makes a retried charge harmless. */
public record Charge(String chargeId, String kind, double seconds, Instant at) {
  /** The id of a job's quantum-time charge (R25): one per job, so a retry is never doubled. */
  public static String jobChargeId(String jobId) {
    return "job:" + jobId;
  }
}
