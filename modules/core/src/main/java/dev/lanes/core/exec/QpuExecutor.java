package dev.lanes.core.exec;

/**
 * The device behind a backend. The built-in {@link SimulatedQpu} simulates; a real driver
 * implements this to run the quantum part on hardware. Called off the actor threads: it may block.
 */
public interface QpuExecutor {
  ExecutionResult execute(ExecutionRequest request);
}
