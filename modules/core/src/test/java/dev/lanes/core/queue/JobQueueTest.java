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

  // R5: one queue per backend, first in first out
  @Test
  void fifoOrder() {
    JobQueue q = new JobQueue();
    assertTrue(q.isEmpty());
    assertEquals(Optional.empty(), q.first());
    for (String id : List.of("a", "b", "c")) {
      assertTrue(q.addLast(job(id)));
    }
    assertEquals(3, q.size());
    assertEquals(List.of("a", "b", "c"), ids(q));
    assertEquals("a", q.first().orElseThrow().jobId());
    assertEquals(List.of("a", "b", "c"), q.snapshot().stream().map(QueuedJob::jobId).toList());
  }

  // R29: an interrupted job is put ahead of every queued job
  @Test
  void addFirstPutsAhead() {
    JobQueue q = new JobQueue();
    q.addLast(job("a"));
    q.addLast(job("b"));
    assertTrue(q.addFirst(job("x")));
    assertEquals(List.of("x", "a", "b"), ids(q));
    q.addLast(job("c"));
    assertTrue(q.addFirst(job("y")));
    assertEquals("y", q.first().orElseThrow().jobId());
    assertEquals(List.of("y", "x", "a", "b", "c"), ids(q));
  }

  // R5, R15: remove by id (cancel) anywhere in the queue
  @Test
  void removeById() {
    JobQueue q = new JobQueue();
    for (String id : List.of("a", "b", "c", "d")) {
      q.addLast(job(id));
    }
    assertEquals("c", q.remove("c").orElseThrow().jobId());
    assertFalse(q.contains("c"));
    assertEquals(Optional.empty(), q.remove("c"));
    assertEquals(Optional.empty(), q.remove("nope"));
    assertEquals(List.of("a", "b", "d"), ids(q));
    assertEquals("a", q.remove("a").orElseThrow().jobId());
    assertEquals("b", q.first().orElseThrow().jobId());
    assertEquals(2, q.size());
  }

  // R5: positions are 1-based in start order and follow removals and head inserts
  @Test
  void positionIsOneBased() {
    JobQueue q = new JobQueue();
    for (String id : List.of("a", "b", "c")) {
      q.addLast(job(id));
    }
    assertEquals(Optional.of(1), q.position("a"));
    assertEquals(Optional.of(3), q.position("c"));
    assertEquals(Optional.empty(), q.position("zzz"));
    q.remove("a");
    assertEquals(Optional.of(1), q.position("b"));
    assertEquals(Optional.of(2), q.position("c"));
    q.addFirst(job("x"));
    assertEquals(Optional.of(1), q.position("x"));
    assertEquals(Optional.of(3), q.position("c"));
  }

  // R29: a job is never queued twice, whichever end it is offered at
  @Test
  void noDuplicates() {
    JobQueue q = new JobQueue();
    assertTrue(q.addLast(job("a")));
    assertFalse(q.addLast(job("a")));
    assertFalse(q.addFirst(job("a")));
    assertFalse(q.addLast(new QueuedJob("a", "other", "s", null, T0.plusSeconds(9))));
    assertEquals(1, q.size());
    assertEquals(List.of("a"), ids(q));
    q.remove("a");
    assertTrue(q.addLast(job("a")));
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
