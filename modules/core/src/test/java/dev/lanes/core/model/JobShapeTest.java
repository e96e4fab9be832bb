package dev.lanes.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class JobShapeTest {
  // R3, R4: executions are circuits × shots, summed over PUBs
  @Test
  void executionsAreCircuitsTimesShots() {
    JobShape s = JobShape.of(List.of(
        new Pub(new CircuitSpec.Descriptor(4, 9, 3), 100, 0),
        new Pub(new CircuitSpec.Opaque(7, 2), 10, 5)));
    assertEquals(8, s.circuits());
    assertEquals(350, s.executions());
    assertEquals(3L * 100 * 9 + 5L * 10 * 2, s.totalShotLayers());
    assertEquals(36, s.largestQubitLayers());
    assertEquals(7, s.maxQubits());
  }

  // R4: a shape that cannot be counted saturates at Long.MAX_VALUE and so is over every limit
  @Test
  void hugeShapeSaturatesInsteadOfWrapping() {
    JobShape s = JobShape.of(List.of(
        new Pub(new CircuitSpec.Descriptor(Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE),
            Integer.MAX_VALUE, 1),
        new Pub(new CircuitSpec.Descriptor(1, 1, Long.MAX_VALUE), 1, 0)));
    assertEquals(Long.MAX_VALUE, s.circuits());
    assertEquals(Long.MAX_VALUE, s.totalShots());
    assertEquals(Long.MAX_VALUE, s.totalShotLayers());
    assertEquals((long) Integer.MAX_VALUE * Integer.MAX_VALUE, s.largestQubitLayers());
  }

  // R3, R4: circuits × parameter sets must saturate too, never wrap to a negative count
  @Test
  void circuitsTimesParameterSetsDoesNotWrap() {
    JobShape s = JobShape.of(List.of(new Pub(new CircuitSpec.Descriptor(1, 1, Long.MAX_VALUE), 1, 2)));
    assertTrue(s.circuits() >= 0, "circuits = " + s.circuits());
    assertEquals(Long.MAX_VALUE, s.circuits());
  }
}
