package dev.lanes.core.model;

/** A backend (QPU) as configured: its size, its lanes (R1) and its timing (R2, R3). */
public record BackendSpec(
    String name, int qubits, int lanes, boolean paused, TimingModel timing, String version) {}
