package dev.lanes.bench.demo;

/**
 * One row of the summary table.
 *
 * @param step the tour step ("1", "2", …)
 * @param what what ran
 * @param time how long it took, from the server's timestamps
 * @param cost what it was charged
 * @param outcome what happened, checked against the FAQ
 * @param ok whether the outcome is what the FAQ says
 */
public record StepResult(String step, String what, String time, String cost, String outcome, boolean ok) {}
