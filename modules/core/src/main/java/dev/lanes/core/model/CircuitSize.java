package dev.lanes.core.model;

/** Width and depth of one circuit, as the timing model sees it. */
public record CircuitSize(int qubits, int depth) {}
