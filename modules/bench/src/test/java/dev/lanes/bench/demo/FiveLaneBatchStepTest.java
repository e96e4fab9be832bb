package dev.lanes.bench.demo;

import static dev.lanes.bench.demo.LaneChartTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The FAQ's 5-lane example, checked on timelines (R1, R5b, R7, R19). */
class FiveLaneBatchStepTest {
  private static final List<JobRun> HOLDERS = List.of(run("A", 0, 0, 2.2), run("B", 1, 0, 2.4));

  private static List<JobRun> batch(double lastStart) {
    return List.of(run("1", 2, 0.1, 1.3), run("2", 3, 0.1, 1.4), run("3", 4, 0.1, 1.5),
        run("4", 2, 1.3, 2.5), run("5", 3, 1.4, 2.6), run("6", 4, lastStart, lastStart + 1.2));
  }

  @Test
  void theFaqTimelinePasses() {
    List<JobRun> next = List.of(run("C", 0, 2.2, 3.4), run("D", 1, 2.4, 3.6));
    assertEquals(List.of(), FiveLaneBatchStep.check(HOLDERS, batch(1.5), next, 5));
  }

  @Test
  void aLaterUsersJobStartingBeforeTheBatchIsDoneFails() {
    List<JobRun> next = List.of(run("C", 0, 2.2, 3.4), run("D", 1, 2.4, 3.6));
    List<String> problems = FiveLaneBatchStep.check(HOLDERS, batch(2.5), next, 5);
    assertEquals(List.of("job C started while batch job 6 was queued (R5b)", "job D started while batch job 6 was queued (R5b)"), problems);
  }

  // R5b is about jobs that were queued: a batch job sent after C started may start after it
  @Test
  void aBatchJobSentAfterTheOtherJobStartedMayFollowIt() {
    JobRun late = new JobRun("6", "6", "Completed", LaneChartTest.at(2.45), LaneChartTest.at(2.5), LaneChartTest.at(3.7), 4, 0);
    List<JobRun> b = new java.util.ArrayList<>(batch(1.5).subList(0, 5));
    b.add(late);
    List<JobRun> next = List.of(run("C", 0, 2.2, 3.4), run("D", 1, 2.4, 3.6));
    assertEquals(List.of(), FiveLaneBatchStep.check(HOLDERS, b, next, 5));
  }

  @Test
  void fewerThanThreeAtOnceFails() {
    List<JobRun> slow = List.of(run("1", 2, 0.1, 1.3), run("2", 3, 0.1, 1.4), run("3", 4, 2.3, 3.5),
        run("4", 2, 1.3, 2.5), run("5", 3, 1.4, 2.6), run("6", 0, 2.2, 3.4));
    List<String> problems = FiveLaneBatchStep.check(HOLDERS, slow, List.of(run("C", 1, 2.6, 3.6)), 5);
    assertTrue(problems.contains("only 2 of the batch's first 3 started while A and B held their lanes"), problems.toString());
  }

  @Test
  void aJobThatDidNotCompleteFails() {
    List<JobRun> next = List.of(new JobRun("C", "C", "Cancelled", LaneChartTest.at(0), null, null, -1, 0));
    assertEquals(List.of("job C ended Cancelled"), FiveLaneBatchStep.check(HOLDERS, batch(1.5), next, 5));
  }

  // R1: a lane handed over at the same instant is not two jobs at once
  @Test
  void peakRunningCountsAHandOverOnce() {
    assertEquals(2, FiveLaneBatchStep.peakRunning(List.of(run("a", 0, 0, 1), run("b", 0, 1, 2), run("c", 1, 0, 2))));
    assertEquals(3, FiveLaneBatchStep.peakRunning(List.of(run("a", 0, 0, 1.5), run("b", 2, 1, 2), run("c", 1, 0, 2))));
  }
}
