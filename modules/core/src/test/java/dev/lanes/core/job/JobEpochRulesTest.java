package dev.lanes.core.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 6 with R1 and R29: a backend lives once in the cluster, and each start of it on a node
 * has a higher epoch. A stale node's epoch can never start a job again, nor end its run.
 */
class JobEpochRulesTest {
  static final Instant T1 = JobRulesTest.T1;
  static final Instant T2 = JobRulesTest.T2;

  static JobState runningIn(long epoch) {
    JobState q = JobRulesTest.queued();
    List<JobEvent> started = JobRules.start(q, 2, T1, epoch);
    assertEquals(1, started.size());
    return apply(q, started);
  }

  static JobState apply(JobState s, List<JobEvent> events) {
    for (JobEvent e : events) {
      s = s.apply(e);
    }
    return s;
  }

  // R1: a queued job starts in the backend's epoch, which the job then remembers
  @Test
  void aQueuedJobStartsAndRemembersTheEpoch() {
    JobState r = runningIn(3);
    assertEquals(JobStatus.Running, r.status());
    assertEquals(3, r.epoch());
    assertEquals(1, r.attempt());
  }

  // R1: the same epoch cannot start a running job a second time
  @Test
  void theSameEpochNeverStartsARunningJobAgain() {
    assertEquals(List.of(), JobRules.start(runningIn(3), 4, T2, 3));
  }

  // R1, issue 6: a stale node (older epoch) can never start the job, whatever its state
  @Test
  void anOlderEpochIsRefused() {
    assertEquals(List.of(), JobRules.start(runningIn(3), 4, T2, 2));
    JobState requeued = runningIn(3).apply(JobRules.recoverInterrupted(runningIn(3), true, T2, 4));
    assertEquals(JobStatus.Queued, requeued.status());
    assertEquals(List.of(), JobRules.start(requeued, 0, T2, 3));
    assertEquals(1, JobRules.start(requeued, 0, T2, 4).size());
  }

  // R29, issue 6: a run of an older epoch was interrupted when its backend moved: the new epoch
  // re-queues it (uncharged) and starts it again as the next attempt
  @Test
  void aNewerEpochTakesOverARunOfAnOlderOne() {
    JobState old = runningIn(1);
    List<JobEvent> events = JobRules.start(old, 4, T2, 2);
    assertEquals(2, events.size());
    assertTrue(events.get(0) instanceof JobEvent.Requeued, events.toString());
    JobState again = apply(old, events);
    assertEquals(JobStatus.Running, again.status());
    assertEquals(2, again.attempt());
    assertEquals(4, again.lane());
    assertEquals(2, again.epoch());
    assertEquals(0, again.quantumSeconds());
  }

  // R1, R25, issue 6: the report of a run from another epoch is dropped: no end, no charge
  @Test
  void aRunEndsOnlyByTheReportOfItsOwnEpoch() {
    JobState r = runningIn(5);
    RunOutcome done = JobRulesTest.outcome(RunOutcome.Kind.COMPLETED, 4);
    assertTrue(JobRules.finish(r, done, T2, 4).isEmpty());
    assertTrue(JobRules.finish(r, done, T2, 6).isEmpty());
    assertEquals(JobStatus.Completed, r.apply(JobRules.finish(r, done, T2, 5).orElseThrow()).status());
  }

  // R29, issue 6: a backend's start cuts off only runs of older epochs: a late re-queue from its
  // recovery must not undo a run it has started since
  @Test
  void aRecoveryCutsOffOnlyRunsOfOlderEpochs() {
    assertTrue(JobRules.cutOffBy(runningIn(2), 3));
    assertEquals(false, JobRules.cutOffBy(runningIn(3), 3));
    assertEquals(false, JobRules.cutOffBy(JobRulesTest.queued(), 3));
    assertTrue(JobRules.cutOffBy(runningIn(3), 0), "epoch 0: no epochs, any run");
  }

  // R29: events written before epochs existed read as epoch 0, and behave as before
  @Test
  void eventsWithoutAnEpochAreEpochZero() {
    JobState r = JobRulesTest.queued().apply(new JobEvent.Started(1, 1, T1));
    assertEquals(0, r.epoch());
    assertEquals(1, JobRules.start(r, 2, T2, 1).size() / 2);
  }
}
