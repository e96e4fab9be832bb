package dev.lanes.client;

import java.time.Duration;

/**
 * A dedicated session (session mode): once its first job starts, the backend runs only its jobs
 * until it goes inactive or closes; charged wall-clock time (R10–R18, R26).
 */
public final class Session extends ExecutionMode {
  Session(Engine engine, String backend, Duration maxTtl) {
    super(engine, "dedicated", backend, maxTtl);
  }
}
