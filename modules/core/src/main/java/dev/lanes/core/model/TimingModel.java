package dev.lanes.core.model;

import java.time.Duration;

/**
 * The simulated QPU's timing (config.md). Classical pre/post-processing runs on the lane in
 * parallel; the quantum segment holds the backend's single QPU (R2, R3).
 */
public record TimingModel(
    Duration prepPerCircuit,
    Duration postPerCircuit,
    Duration jobOverhead,
    Duration jobOverheadPerQubitLayer,
    Duration shotTime,
    Duration layerTime) {

  public static TimingModel defaults() {
    return new TimingModel(
        Duration.ofMillis(20),
        Duration.ofMillis(5),
        Duration.ofSeconds(2),
        Duration.ofNanos(400_000),
        Duration.ofNanos(250_000),
        Duration.ZERO);
  }

  /** Pre-processing on the lane: per circuit of the job. */
  public Duration preProcessing(JobShape shape) {
    return prepPerCircuit.multipliedBy(shape.circuits());
  }

  /** Post-processing on the lane: per circuit of the job. */
  public Duration postProcessing(JobShape shape) {
    return postPerCircuit.multipliedBy(shape.circuits());
  }

  /**
   * Quantum time (R3): a fixed overhead, an overhead that grows with the job's largest circuit
   * (qubits × depth), and per-shot time of every circuit. Because the size overhead is paid once
   * per job, N single-PUB jobs cost more than one N-PUB job.
   */
  public Duration quantum(JobShape shape) {
    // Saturating: an absurd but accepted job gets an absurdly long quantum time, never a negative one.
    long nanos = jobOverhead.toNanos();
    nanos = JobShape.saturatingAdd(nanos, JobShape.saturatingMul(jobOverheadPerQubitLayer.toNanos(), shape.largestQubitLayers()));
    nanos = JobShape.saturatingAdd(nanos, JobShape.saturatingMul(shotTime.toNanos(), shape.totalShots()));
    nanos = JobShape.saturatingAdd(nanos, JobShape.saturatingMul(layerTime.toNanos(), shape.totalShotLayers()));
    return Duration.ofNanos(nanos);
  }
}
