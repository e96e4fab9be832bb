package dev.lanes.core.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lanes.core.session.SessionMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who holds each lane, as the dashboard shows it (issue 7, item 3). */
class LaneOccupancyTest {
  static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

  private static QueueForecast.OnLane on(String id, String session, SessionMode mode, Instant since) {
    return new QueueForecast.OnLane(new QueuedJob(id, "crn:a", session, mode, T0), since);
  }

  // R1: each busy lane names its job, whose session and mode, and since when; free lanes are free
  @Test
  void eachLaneNamesItsJobAndItsMode() {
    LaneTable lanes = new LaneTable(4);
    lanes.occupy(0, "j1");
    lanes.occupy(1, "j2");
    lanes.occupy(3, "j3");
    Map<String, QueueForecast.OnLane> running = Map.of(
        "j1", on("j1", null, null, T0),
        "j2", on("j2", "s1", SessionMode.DEDICATED, T0.plusSeconds(1)),
        "j3", on("j3", "b1", SessionMode.BATCH, T0.plusSeconds(2)));
    List<LaneOccupancy.Lane> out = LaneOccupancy.of(lanes, running, new MaintenanceQueue(), false);
    assertEquals(List.of(LaneOccupancy.Kind.JOB, LaneOccupancy.Kind.DEDICATED, LaneOccupancy.Kind.FREE,
        LaneOccupancy.Kind.BATCH), out.stream().map(LaneOccupancy.Lane::kind).toList());
    assertEquals("j2", out.get(1).jobId());
    assertEquals("s1", out.get(1).sessionId());
    assertEquals("crn:a", out.get(1).instance());
    assertEquals(T0.plusSeconds(1), out.get(1).since());
    assertEquals(3, out.get(3).lane());
    assertNull(out.get(2).jobId());
  }

  // R24: a waiting maintenance drains the free lanes (unless a session holds the backend); once
  // it runs it holds every lane, since its start
  @Test
  void maintenanceDrainsThenHoldsEveryLane() {
    LaneTable lanes = new LaneTable(2);
    lanes.occupy(0, "j1");
    MaintenanceQueue m = new MaintenanceQueue();
    m.schedule(new MaintenanceQueue.Window("c1", "calibration", Duration.ofMinutes(5), T0));
    Map<String, QueueForecast.OnLane> running = Map.of("j1", on("j1", null, null, T0));
    List<LaneOccupancy.Lane> draining = LaneOccupancy.of(lanes, running, m, false);
    assertEquals(LaneOccupancy.Kind.JOB, draining.get(0).kind());
    assertEquals(LaneOccupancy.Kind.DRAINING, draining.get(1).kind());
    assertEquals("c1", draining.get(1).maintenanceId());
    assertEquals(LaneOccupancy.Kind.FREE, LaneOccupancy.of(lanes, running, m, true).get(1).kind());

    lanes.release(0, "j1");
    m.startIfReady(false, 0, T0.plusSeconds(30));
    List<LaneOccupancy.Lane> held = LaneOccupancy.of(lanes, Map.of(), m, false);
    for (LaneOccupancy.Lane l : held) {
      assertEquals(LaneOccupancy.Kind.MAINTENANCE, l.kind());
      assertEquals("calibration", l.maintenanceKind());
      assertEquals(T0.plusSeconds(30), l.since());
    }
  }
}
