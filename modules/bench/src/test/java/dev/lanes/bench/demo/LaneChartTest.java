package dev.lanes.bench.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LaneChartTest {
  private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");

  static JobRun run(String label, int lane, double from, double to) {
    return new JobRun(label, label, "Completed", T0, at(from), at(to), lane, 0);
  }

  static Instant at(double s) {
    return T0.plusNanos((long) (s * 1e9));
  }

  @Test
  void drawsEachJobOnItsLaneFromItsTimestamps() {
    String chart = LaneChart.render(List.of(run("A", 0, 0, 2), run("1", 1, 0, 1), run("C", 1, 1, 2),
        new JobRun("x", "x", "Cancelled", T0, null, null, -1, 0)), 3, 10);
    assertEquals(String.join("\n",
        "lane 0 |AAAAAAAAAA|",
        "lane 1 |11111CCCCC|",
        "lane 2 |          |",
        "       0     2.00 s",
        ""), chart);
  }
}
