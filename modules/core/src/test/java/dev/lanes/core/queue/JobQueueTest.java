package dev.lanes.core.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JobQueueTest {
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  static QueuedJob job(String id) {
    return new QueuedJob(id, "inst", null, null, T0);
  }

  private static List<String> ids(JobQueue q) {
    List<String> out = new ArrayList<>();
    q.inOrder().forEachRemaining(j -> out.add(j.jobId()));
    return out;
  }

  // R5: jobs leave in the order of their keys, whatever order they arrive in
  @Test
  void keyOrder() {
    JobQueue q = new JobQueue();
    assertTrue(q.isEmpty());
    assertEquals(Optional.empty(), q.first());
    assertTrue(q.add(job("b"), 2));
    assertTrue(q.add(job("c"), 3));
    assertTrue(q.add(job("a"), 1));
    assertTrue(q.add(job("x"), -1)); // R29: an interrupted run's key is below every other
    assertEquals(4, q.size());
    assertEquals(List.of("x", "a", "b", "c"), ids(q));
    assertEquals("x", q.first().orElseThrow().jobId());
    assertEquals(Optional.of(2L), q.keyOf("b"));
    assertEquals(List.of("x", "a", "b", "c"), q.snapshot().stream().map(QueuedJob::jobId).toList());
  }

  // R5, R15: remove by id (cancel) anywhere in the queue
  @Test
  void removeById() {
    JobQueue q = new JobQueue();
    long key = 0;
    for (String id : List.of("a", "b", "c", "d")) {
      q.add(job(id), ++key);
    }
    assertEquals("c", q.remove("c").orElseThrow().jobId());
    assertFalse(q.contains("c"));
    assertEquals(Optional.empty(), q.keyOf("c"));
    assertEquals(Optional.empty(), q.remove("c"));
    assertEquals(Optional.empty(), q.remove("nope"));
    assertEquals(List.of("a", "b", "d"), ids(q));
    assertEquals("a", q.remove("a").orElseThrow().jobId());
    assertEquals("b", q.first().orElseThrow().jobId());
    assertEquals(2, q.size());
  }

  // R29: a job is never queued twice, whatever key it is offered with
  @Test
  void noDuplicates() {
    JobQueue q = new JobQueue();
    assertTrue(q.add(job("a"), 1));
    assertFalse(q.add(job("a"), 2));
    assertFalse(q.add(job("a"), -1));
    assertFalse(q.add(new QueuedJob("a", "other", "s", null, T0.plusSeconds(9)), 3));
    assertEquals(1, q.size());
    assertEquals(List.of("a"), ids(q));
    q.remove("a");
    assertTrue(q.add(job("a"), 4));
    assertEquals(1, q.size());
  }

  // R1: a lane table holds one job per lane and refuses stale releases
  @Test
  void laneTableOccupyAndRelease() {
    LaneTable t = new LaneTable(2);
    assertEquals(2, t.lanes());
    assertEquals(0, t.freeLane().getAsInt());
    t.occupy(0, "a");
    assertEquals(1, t.freeLane().getAsInt());
    t.occupy(1, "b");
    assertTrue(t.freeLane().isEmpty());
    assertEquals(2, t.busy());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> t.occupy(0, "c"));
    assertFalse(t.release(0, "b"));
    assertFalse(t.release(7, "a"));
    assertFalse(t.release(-1, "a"));
    assertEquals(1, t.laneOf("b").getAsInt());
    assertTrue(t.release(0, "a"));
    assertEquals(Optional.empty(), t.holder(0));
    assertTrue(t.laneOf("a").isEmpty());
    assertEquals(1, t.busy());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new LaneTable(0));
  }

  // R1, R7: fill takes as many jobs as free lanes, in FIFO order; paused starts nothing
  @Test
  void dispatcherFillsFreeLanesInOrderUnlessPaused() {
    BackendQueues q = new BackendQueues(new FifoPolicy());
    for (int i = 0; i < 7; i++) {
      q.enqueue(job("j" + i), false);
    }
    LaneTable lanes = new LaneTable(5);
    assertTrue(Dispatcher.fill(q, lanes, true, T0).isEmpty());
    assertEquals(7, q.size());
    assertEquals(0, lanes.busy());
    List<Dispatcher.Assignment> a = Dispatcher.fill(q, lanes, false, T0);
    assertEquals(List.of("j0", "j1", "j2", "j3", "j4"), a.stream().map(x -> x.job().jobId()).toList());
    assertEquals(List.of(0, 1, 2, 3, 4), a.stream().map(Dispatcher.Assignment::lane).toList());
    assertEquals(5, lanes.busy());
    assertEquals(List.of("j5", "j6"), q.startOrder(T0).stream().map(QueuedJob::jobId).toList());
    assertTrue(Dispatcher.fill(q, lanes, false, T0).isEmpty());
    lanes.release(2, "j2");
    a = Dispatcher.fill(q, lanes, false, T0);
    assertEquals(List.of(new Dispatcher.Assignment(2, job("j5"))), a);
  }
}
