package dev.lanes.core.model;

/**
 * One primitive unified bloc: a circuit, its shots and how many parameter sets it is run with.
 *
 * @param parameterSets number of parameter-value rows (0 or 1 = the circuit runs once)
 */
public record Pub(CircuitSpec circuit, int shots, int parameterSets) {}
