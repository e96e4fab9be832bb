package dev.lanes.actors.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.actors.TestJobs;
import dev.lanes.core.job.JobEvent;
import dev.lanes.core.job.JobState;
import dev.lanes.core.job.JobStatus;
import org.junit.jupiter.api.Test;

/**
 * Issue 6: in a cluster a node's job index has two writers, the entities on the node (at once)
 * and the journal's tag stream (later): versions keep a job from going back to an older state.
 */
class JobIndexVersionsTest {
  final JobIndex index = new JobIndex(true);
  final JobEvent.Submitted submitted = TestJobs.submitted("j1", "b", 60);
  final JobState queued = JobState.EMPTY.apply(submitted);
  final JobEvent.Started started = new JobEvent.Started(1, 1, TestJobs.T0.plusSeconds(1), 1);
  final JobState running = queued.apply(started);

  // R28: the stream's older events do not undo what the entity here already published
  @Test
  void theStreamNeverTakesAJobBackToAnOlderState() {
    index.put(running, 2);
    index.apply("j1", 1, submitted);
    assertEquals(JobStatus.Running, index.get("j1").orElseThrow().status());
    index.putNew(queued); // the job's first record, read late
    assertEquals(JobStatus.Running, index.get("j1").orElseThrow().status());
  }

  // R28: a node that only reads the stream folds each event onto the job's state, in order
  @Test
  void theStreamAloneFoldsEveryEvent() {
    index.putNew(queued);
    index.apply("j1", 1, submitted);
    index.apply("j1", 2, started);
    assertEquals(JobStatus.Running, index.get("j1").orElseThrow().status());
    assertEquals(1, index.get("j1").orElseThrow().epoch());
    index.apply("j1", 2, started); // a repeat: ignored
    assertEquals(1, index.get("j1").orElseThrow().attempt());
  }

  // R28: an event for a job whose first record was not seen yet has nothing to apply to
  @Test
  void anEventWithoutItsJobIsNotGuessed() {
    index.apply("j1", 2, started);
    assertTrue(index.get("j1").isEmpty());
    index.apply("j1", 1, submitted);
    assertEquals(JobStatus.Queued, index.get("j1").orElseThrow().status());
  }
}
