package dev.lanes.core.model;

import java.time.Duration;

/**
 * A backend (QPU) as configured: its size, its lanes (R1), its timing (R2, R3) and its periodic
 * calibration (R24; zero durations: none).
 */
public record BackendSpec(
    String name, int qubits, int lanes, boolean paused, TimingModel timing, String version,
    Duration calibrationEvery, Duration calibrationDuration) {

  public BackendSpec(String name, int qubits, int lanes, boolean paused, TimingModel timing, String version) {
    this(name, qubits, lanes, paused, timing, version, Duration.ZERO, Duration.ZERO);
  }
}
