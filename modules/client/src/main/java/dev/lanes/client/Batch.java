package dev.lanes.client;

import java.time.Duration;

/**
 * A batch (batch mode): independent jobs that jump the queue once the first one starts, beside
 * other users' jobs; charged quantum time only (R19–R23, R25).
 */
public final class Batch extends ExecutionMode {
  Batch(Engine engine, String backend, Duration maxTtl) {
    super(engine, "batch", backend, maxTtl);
  }
}
