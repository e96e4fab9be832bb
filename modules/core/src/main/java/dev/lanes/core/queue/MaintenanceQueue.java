package dev.lanes.core.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;

/**
 * Maintenance of one backend (R24): calibrations and upgrades, periodic or scheduled by an
 * administrator, one at a time in the order asked. A maintenance job needs the whole backend: it
 * waits while a session holds it (R17), then new jobs wait while the lanes drain, and it starts
 * once every lane is free. Between a batch's jobs is fine: a batch does not hold the backend.
 */
public final class MaintenanceQueue {
  /** One maintenance job: {@code kind} is "calibration" or "upgrade". */
  public record Window(String id, String kind, Duration duration, Instant requestedAt) {}

  private final ArrayDeque<Window> pending = new ArrayDeque<>();
  private Window current;
  private Instant currentEndsAt;

  public void schedule(Window w) {
    if ((current == null || !current.id().equals(w.id())) && pending.stream().noneMatch(p -> p.id().equals(w.id()))) {
      pending.add(w);
    }
  }

  /**
   * A periodic calibration is due: worth scheduling only if no calibration is pending or running,
   * so periods missed behind a long session do not pile up into back-to-back outages (R24, R7).
   */
  public boolean wantsPeriodicCalibration() {
    return (current == null || !current.kind().equals("calibration"))
        && pending.stream().noneMatch(w -> w.kind().equals("calibration"));
  }

  /** Recovery: it was running when the node stopped; it runs on until its planned end. */
  public void resume(Window w, Instant startedAt) {
    pending.removeIf(p -> p.id().equals(w.id()));
    current = w;
    currentEndsAt = startedAt.plus(w.duration());
  }

  /** No job may start: maintenance runs, or waits for the lanes to drain (no session holds it). */
  public boolean blocksStarts(boolean held) {
    return current != null || (!pending.isEmpty() && !held);
  }

  /** Starts the next maintenance if nothing holds the backend and every lane is free. */
  public Optional<Window> startIfReady(boolean held, int busyLanes, Instant now) {
    if (current != null || held || busyLanes > 0 || pending.isEmpty()) {
      return Optional.empty();
    }
    current = pending.poll();
    currentEndsAt = now.plus(current.duration());
    return Optional.of(current);
  }

  /** The running maintenance is over; false for a stale report. */
  public boolean finish(String id) {
    if (current == null || !current.id().equals(id)) {
      return false;
    }
    current = null;
    currentEndsAt = null;
    return true;
  }

  public Optional<Window> current() {
    return Optional.ofNullable(current);
  }

  public Instant currentEndsAt() {
    return currentEndsAt;
  }

  /** When the running maintenance started (null when none runs). */
  public Instant currentStartedAt() {
    return current == null ? null : currentEndsAt.minus(current.duration());
  }

  public List<Window> pending() {
    return List.copyOf(pending);
  }
}
