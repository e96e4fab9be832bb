package dev.lanes.core.session;

import java.util.Optional;

/** The two execution modes that group jobs (R10–R23); plain job mode has no session. */
public enum SessionMode {
  /** Session mode: the backend is dedicated to the session while it is active (R10–R18). */
  DEDICATED("dedicated"),
  /** Batch mode: queued jobs jump the queue once the first starts, no exclusivity (R19–R23). */
  BATCH("batch");

  private final String wire;

  SessionMode(String wire) {
    this.wire = wire;
  }

  /** The name in the HTTP API ({@code "dedicated"} / {@code "batch"}). */
  public String wire() {
    return wire;
  }

  public static Optional<SessionMode> fromWire(String s) {
    for (SessionMode m : values()) {
      if (m.wire.equals(s)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
