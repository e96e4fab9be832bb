package dev.lanes.core.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Maintenance windows (R24) as pure decisions. */
class MaintenanceQueueTest {
  static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

  private static MaintenanceQueue.Window window(String id, String kind) {
    return new MaintenanceQueue.Window(id, kind, Duration.ofMinutes(10), T0);
  }

  // R24, R17: it waits while a session holds the backend, then for every lane, then takes them all
  @Test
  void maintenanceWaitsForTheHoldAndTheLanesThenBlocksEveryStart() {
    MaintenanceQueue m = new MaintenanceQueue();
    assertFalse(m.blocksStarts(false));
    m.schedule(window("c1", "calibration"));
    assertFalse(m.blocksStarts(true)); // the session's own jobs keep starting
    assertTrue(m.blocksStarts(false)); // no session: new jobs wait while the lanes drain
    assertEquals(Optional.empty(), m.startIfReady(true, 0, T0));
    assertEquals(Optional.empty(), m.startIfReady(false, 2, T0));
    assertEquals("c1", m.startIfReady(false, 0, T0).orElseThrow().id());
    assertTrue(m.blocksStarts(true)); // running: nothing starts, held or not
    assertEquals(T0.plus(Duration.ofMinutes(10)), m.currentEndsAt());
    assertFalse(m.finish("other"));
    assertTrue(m.finish("c1"));
    assertFalse(m.blocksStarts(false));
  }

  // R24: one calibration waiting or running is enough; missed periods do not pile up
  @Test
  void periodicCalibrationsDoNotPileUp() {
    MaintenanceQueue m = new MaintenanceQueue();
    assertTrue(m.wantsPeriodicCalibration());
    m.schedule(window("u1", "upgrade"));
    assertTrue(m.wantsPeriodicCalibration());
    m.schedule(window("c1", "calibration"));
    assertFalse(m.wantsPeriodicCalibration());
    m.startIfReady(false, 0, T0); // the upgrade runs; the calibration still waits
    assertFalse(m.wantsPeriodicCalibration());
  }
}
