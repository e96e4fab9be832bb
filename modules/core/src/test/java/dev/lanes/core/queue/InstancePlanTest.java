package dev.lanes.core.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.core.model.Rejection;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What an instance's plan decides: its hard cap (R8). */
class InstancePlanTest {
  // R8: reject-when-exceeded answers 409 at the limit, or at the allocation when there is no limit
  @Test
  void theHardCapRefusesNewJobsOnlyWhenAskedFor() {
    Duration window = Duration.ofDays(28);
    assertEquals(Optional.empty(), new InstancePlan(100, 10.0, true, false).refuseNewJob(50, window));
    InstancePlan capped = new InstancePlan(100, 10.0, false, true);
    assertEquals(Optional.empty(), capped.refuseNewJob(9.9, window));
    Rejection r = capped.refuseNewJob(10, window).orElseThrow();
    assertEquals(409, r.status());
    assertTrue(r.message().contains("usage exceeds instance limit"), r.message());
    InstancePlan byAllocation = new InstancePlan(100, null, false, true);
    assertEquals(Optional.empty(), byAllocation.refuseNewJob(99, window));
    assertTrue(byAllocation.refuseNewJob(100, window).isPresent());
  }
}
