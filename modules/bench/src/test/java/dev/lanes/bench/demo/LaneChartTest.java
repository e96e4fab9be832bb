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

  // R2: classical work on the lane around the quantum part, each group from its own start
  @Test
  void phasesShowTheQuantumPartOfEachJobOnOneAxis() {
    JobRun one = new JobRun("J", "J", "Completed", T0, at(10), at(14), 0, 0, at(11), at(13));
    JobRun a = new JobRun("1", "1", "Completed", T0, at(20), at(22), 0, 0, at(20.5), at(21.5));
    JobRun b = new JobRun("2", "2", "Completed", T0, at(20), at(23), 1, 0, at(21.5), at(22.5));
    assertEquals(String.join("\n",
        "job J  |--QQQQ--|",
        "job 1  |-QQ-    |",
        "job 2  |---QQ-  |",
        "       0   4.00 s",
        ""), LaneChart.phases(List.of(List.of(one), List.of(a, b)), 8));
  }
}
