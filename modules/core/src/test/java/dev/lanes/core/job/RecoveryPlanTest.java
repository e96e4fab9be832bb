package dev.lanes.core.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lanes.core.model.JobShape;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** R29, issue 6: what a backend's start in an epoch does with the jobs the journal holds for it. */
class RecoveryPlanTest {
  static final Instant T0 = JobRulesTest.T0;

  static JobState queued(String id, String backend, int secondsAfterT0) {
    return JobState.EMPTY.apply(new JobEvent.Submitted(id, "inst", "user", backend, "sampler", null, null,
        List.of(), null, 60, "{}", new JobShape(1, 100, 1, 1, 1), 2.5, null, T0.plusSeconds(secondsAfterT0)));
  }

  static JobState running(JobState q, int startedAfterT0, long epoch) {
    return JobEpochRulesTest.apply(q, JobRules.start(q, 0, T0.plusSeconds(startedAfterT0), epoch));
  }

  static List<String> ids(List<JobState> states) {
    return states.stream().map(JobState::jobId).toList();
  }

  // R29: queued jobs keep their order; a job an earlier recovery re-queued stays ahead of them
  @Test
  void queuedJobsKeepTheirOrderAndEarlierRecoveriesStayAtTheHead() {
    JobState a = queued("a", "b1", 1);
    JobState b = queued("b", "b1", 2);
    JobState requeuedOld = JobEpochRulesTest.apply(running(queued("r1", "b1", 3), 10, 1),
        List.of(JobRules.recoverInterrupted(running(queued("r1", "b1", 3), 10, 1), true, T0.plusSeconds(20), 2)));
    JobState requeuedNew = JobEpochRulesTest.apply(running(queued("r2", "b1", 4), 11, 1),
        List.of(JobRules.recoverInterrupted(running(queued("r2", "b1", 4), 11, 1), true, T0.plusSeconds(20), 2)));

    RecoveryPlan plan = RecoveryPlan.of(List.of(requeuedNew, b, requeuedOld, a), "b1", 3);

    assertEquals(List.of("a", "b"), ids(plan.toTail()));
    assertEquals(List.of("r2", "r1"), ids(plan.toHead()), "newest first, each to the head: r1 ends up first");
  }

  // R29, issue 6: runs of an older epoch were cut off; the earliest-started ends up first in the queue
  @Test
  void runsOfOlderEpochsAreCutOffLatestStartedFirst() {
    JobState early = running(queued("early", "b1", 1), 5, 1);
    JobState late = running(queued("late", "b1", 2), 6, 1);
    JobState thisEpoch = running(queued("mine", "b1", 3), 7, 2);

    RecoveryPlan plan = RecoveryPlan.of(List.of(early, thisEpoch, late), "b1", 2);

    assertEquals(List.of("late", "early"), ids(plan.cutOff()));
    assertEquals(List.of(), plan.toTail(), "a run of this epoch is left alone");
  }

  // R25, R27: a final job whose charge was not recorded is charged again; other backends and deleted jobs are not ours
  @Test
  void finalJobsOwingAChargeAreChargedAgainAndOthersAreLeftOut() {
    JobState run = running(queued("owes", "b1", 1), 5, 1);
    JobState owes = run.apply(JobRules.finish(run, new RunOutcome(RunOutcome.Kind.COMPLETED, 3.0, "{}", null,
        T0.plusSeconds(6), T0.plusSeconds(9), null), T0.plusSeconds(10), 1).orElseThrow());
    JobState charged = owes.apply(new JobEvent.Charged(T0.plusSeconds(11)));
    JobState deleted = queued("gone", "b1", 2).apply(new JobEvent.Deleted(T0.plusSeconds(3)));

    RecoveryPlan plan = RecoveryPlan.of(List.of(owes, charged, deleted, queued("other", "b2", 1)), "b1", 2);

    assertEquals(List.of("owes"), ids(plan.owingCharge()));
    assertEquals(List.of(), plan.toTail());
    assertEquals(List.of(), plan.cutOff());
  }
}
