package dev.lanes.core.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.core.session.SessionMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** R5 start order across the held, batch and normal queues, driven through Dispatcher.fill. */
class BackendQueuesTest {
  static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

  private final BackendQueues q = new BackendQueues(new FifoPolicy());
  private int submitted = 0;

  private QueuedJob job(String id, String instance, String session, SessionMode mode) {
    return new QueuedJob(id, instance, session, mode, T0.plusSeconds(submitted++));
  }

  private void normal(String instance, String... ids) {
    for (String id : ids) {
      assertTrue(q.enqueue(job(id, instance, null, null), false));
    }
  }

  private void batch(String session, String... ids) {
    for (String id : ids) {
      assertTrue(q.enqueue(job(id, "inst-" + session, session, SessionMode.BATCH), false));
    }
  }

  private void dedicated(String session, String... ids) {
    for (String id : ids) {
      assertTrue(q.enqueue(job(id, "inst-" + session, session, SessionMode.DEDICATED), false));
    }
  }

  private static List<String> started(List<Dispatcher.Assignment> starts) {
    return starts.stream().map(a -> a.job().jobId()).toList();
  }

  private List<String> fill(LaneTable lanes) {
    return started(Dispatcher.fill(q, lanes, false, T0));
  }

  private List<String> order() {
    return q.startOrder(T0).stream().map(QueuedJob::jobId).toList();
  }

  private static void finish(LaneTable lanes, String jobId) {
    assertTrue(lanes.release(lanes.laneOf(jobId).orElseThrow(), jobId));
  }

  // R5b, R7, R19: the FAQ example — 5 lanes, 2 busy, a batch of 6 ahead of 3 other jobs
  @Test
  void faqBatchExample() {
    LaneTable lanes = new LaneTable(5);
    lanes.occupy(0, "x1"); // another instance's running jobs
    lanes.occupy(1, "x2");
    batch("B", "b1", "b2", "b3", "b4", "b5", "b6");
    normal("other", "o1", "o2", "o3");

    assertEquals(List.of("b1", "b2", "b3"), fill(lanes)); // exactly 3 batch jobs start
    assertEquals(List.of("B"), q.activeBatches());
    assertEquals(List.of("b4", "b5", "b6"), q.queuedOf("B"));
    assertEquals(5, lanes.busy());

    finish(lanes, "x1");
    assertEquals(List.of("b4"), fill(lanes)); // R19: batch jobs go before the other's queued jobs
    finish(lanes, "x2");
    finish(lanes, "b1");
    assertEquals(List.of("b5", "b6"), fill(lanes));
    assertEquals(List.of("o1", "o2", "o3"), order());

    finish(lanes, "b2");
    finish(lanes, "b3");
    assertEquals(List.of("o1", "o2"), fill(lanes)); // R7: the batch has none queued, others fill
    finish(lanes, "b4");
    assertEquals(List.of("o3"), fill(lanes));
    assertTrue(q.isEmpty());
  }

  // R7: a batch that cannot fill the free lanes leaves them to others at once
  @Test
  void batchDoesNotIdleLanes() {
    LaneTable lanes = new LaneTable(5);
    batch("B", "b1", "b2");
    normal("other", "o1", "o2", "o3", "o4");
    assertEquals(List.of("b1", "b2", "o1", "o2", "o3"), fill(lanes));
    assertEquals(List.of("o4"), order());
  }

  // R6: the first job of a batch waits in the normal queue; earlier normal jobs start first
  @Test
  void firstBatchJobWaitsInNormalQueue() {
    LaneTable lanes = new LaneTable(1);
    normal("other", "o1", "o2");
    batch("B", "b1", "b2");
    normal("other", "o3");
    assertEquals(List.of(), q.activeBatches());
    assertEquals(List.of("o1", "o2", "b1", "b2", "o3"), order());
    assertEquals(List.of("o1"), fill(lanes));
    finish(lanes, "o1");
    assertEquals(List.of("o2"), fill(lanes));
    finish(lanes, "o2");
    assertEquals(List.of("b1"), fill(lanes));
    assertEquals(List.of("B"), q.activeBatches());
    normal("other", "o4");
    batch("B", "b3"); // submitted after o3, o4 but ahead of them: the batch is active (R19)
    assertEquals(List.of("b2", "b3", "o3", "o4"), order());
  }

  // R5b: with several active batches, the one activated first goes first
  @Test
  void earlierActivatedBatchGoesFirst() {
    LaneTable lanes = new LaneTable(2);
    batch("A", "a1");
    batch("B", "b1");
    assertEquals(List.of("a1", "b1"), fill(lanes));
    assertEquals(List.of("A", "B"), q.activeBatches());
    normal("other", "o1");
    batch("B", "b2"); // submitted before a2
    batch("A", "a2", "a3");
    assertEquals(List.of("a2", "a3", "b2", "o1"), order());
    finish(lanes, "b1");
    assertEquals(List.of("a2"), fill(lanes));
    finish(lanes, "a1");
    finish(lanes, "a2");
    assertEquals(List.of("a3", "b2"), fill(lanes));
    finish(lanes, "a3");
    assertEquals(List.of("o1"), fill(lanes));
  }

  // R17, R7, R16, R10: a dedicated session holds the backend; its later jobs run in parallel
  @Test
  void dedicatedSessionHoldsBackend() {
    LaneTable lanes = new LaneTable(4);
    dedicated("S", "s1");
    normal("other", "o1", "o2");
    assertEquals(List.of("s1"), fill(lanes)); // R6: s1 was first in the normal queue
    assertEquals(Optional.of("S"), q.holder());
    assertEquals(List.of("o1", "o2"), order());
    assertEquals(List.of(), fill(lanes)); // R17: three free lanes, others do not start
    assertEquals(1, lanes.busy());

    dedicated("S", "s2", "s3", "s4", "s5");
    assertEquals(List.of("s2", "s3", "s4", "s5", "o1", "o2"), order()); // R5a: the holder first
    assertEquals(List.of("s2", "s3", "s4"), fill(lanes)); // R16: on all free lanes
    assertEquals(Map.of("s5", 1, "o1", 2, "o2", 3), q.positions(List.of("s5", "o1", "o2"), T0));

    finish(lanes, "s1");
    assertEquals(List.of("s5"), fill(lanes));
    finish(lanes, "s2");
    assertEquals(List.of(), fill(lanes)); // still held, nothing of S queued: the lane idles (R7)
  }

  // R10, R17: release puts the session's queued jobs back in the normal queue in their order
  @Test
  void releaseReturnsQueuedJobsToNormalQueue() {
    LaneTable lanes = new LaneTable(2);
    dedicated("S", "s1");
    normal("other", "o1");
    assertEquals(List.of("s1"), fill(lanes));
    dedicated("S", "s2", "s3");
    normal("other", "o2");
    assertEquals(List.of("s2"), fill(lanes));
    assertEquals(List.of("s3"), q.queuedOf("S"));

    assertFalse(q.release("T")); // another session's release is ignored
    assertEquals(Optional.of("S"), q.holder());
    assertEquals(List.of("s3", "o1", "o2"), order());

    assertTrue(q.release("S"));
    assertEquals(Optional.empty(), q.holder());
    assertFalse(q.release("S"));
    assertEquals(List.of("o1", "s3", "o2"), order()); // original submission order
    assertEquals(List.of("s3"), q.queuedOf("S"));
    finish(lanes, "s1");
    assertEquals(List.of("o1"), fill(lanes)); // others start
    finish(lanes, "s2");
    assertEquals(List.of("s3"), fill(lanes)); // R10: S's next job at the head re-activates it
    assertEquals(Optional.of("S"), q.holder());
    finish(lanes, "o1");
    assertEquals(List.of(), fill(lanes)); // R17: o2 waits again
    assertEquals(List.of("o2"), order());
  }

  // R5a: while a session holds the backend, an active batch's queued jobs wait too
  @Test
  void holdGoesBeforeActiveBatch() {
    LaneTable lanes = new LaneTable(2);
    batch("B", "b1");
    dedicated("S", "s1");
    assertEquals(List.of("b1", "s1"), fill(lanes));
    assertEquals(Optional.of("S"), q.holder());
    assertEquals(List.of("B"), q.activeBatches());
    batch("B", "b2");
    finish(lanes, "b1");
    assertEquals(List.of(), fill(lanes)); // R17: the active batch waits too
    assertEquals(List.of("b2"), order());
    assertTrue(q.release("S"));
    assertEquals(List.of("b2"), fill(lanes));
  }

  // R19, R20: endBatch moves the batch's leftovers back into the normal queue
  @Test
  void endBatchMovesLeftoversBack() {
    LaneTable lanes = new LaneTable(1);
    normal("other", "o1");
    batch("B", "b1");
    normal("other", "o2");
    batch("B", "b2", "b3");
    assertEquals(List.of("o1"), fill(lanes));
    finish(lanes, "o1");
    assertEquals(List.of("b1"), fill(lanes));
    assertEquals(List.of("b2", "b3", "o2"), order());
    q.endBatch("B");
    assertEquals(List.of(), q.activeBatches());
    assertEquals(List.of("o2", "b2", "b3"), order());
    assertEquals(List.of("b2", "b3"), q.queuedOf("B"));
    q.endBatch("nope"); // unknown: no-op
    assertEquals(3, q.size());
  }

  // R15: remove (cancel) works from the normal, held and batch queues
  @Test
  void removeFromEverySubQueue() {
    LaneTable lanes = new LaneTable(2);
    batch("B", "b1", "b2");
    normal("other", "o1");
    dedicated("S", "s0");
    dedicated("T", "t1", "t2");
    assertEquals(List.of("b1", "b2"), fill(lanes)); // batch B active, empty
    batch("B", "b3", "b4");
    finish(lanes, "b1");
    finish(lanes, "b2");
    lanes.occupy(0, "x");
    // now: batch queue [b3, b4], normal [o1, s0, t1, t2]; one lane free
    assertEquals(List.of("b3"), fill(lanes));
    finish(lanes, "x");
    assertEquals(List.of("b4"), fill(lanes));
    finish(lanes, "b3");
    assertEquals(List.of("o1"), fill(lanes));
    finish(lanes, "b4");
    assertEquals(List.of("s0"), fill(lanes)); // S holds
    dedicated("S", "s1", "s2");
    batch("B", "b5");
    assertEquals(List.of("s1", "s2", "b5", "t1", "t2"), order());

    assertEquals("s1", q.remove("s1").orElseThrow().jobId()); // held
    assertEquals("b5", q.remove("b5").orElseThrow().jobId()); // batch
    assertEquals("t1", q.remove("t1").orElseThrow().jobId()); // normal, session job
    assertEquals(Optional.empty(), q.remove("t1"));
    assertEquals(Optional.empty(), q.remove("never"));
    assertFalse(q.contains("s1"));
    assertEquals(List.of("s2", "t2"), order());
    assertEquals(List.of("t2"), q.queuedOf("T"));
    assertEquals(List.of(), q.queuedOf("B"));
    assertTrue(q.release("S"));
    assertEquals(List.of("t2", "s2"), order()); // back in submission order
    assertEquals("t2", q.remove("t2").orElseThrow().jobId());
    assertEquals(List.of(), q.queuedOf("T"));
    normal("other", "o9");
    assertEquals(List.of("s2", "o9"), order());
    assertEquals(2, q.size());
  }

  // R5: positions follow startOrder()
  @Test
  void positionsFollowStartOrder() {
    LaneTable lanes = new LaneTable(1);
    normal("other", "o1");
    batch("B", "b1");
    normal("other", "o2");
    batch("B", "b2", "b3");
    assertEquals(Map.of(), q.positions(List.of(), T0));
    assertEquals(List.of("o1"), fill(lanes));
    finish(lanes, "o1");
    assertEquals(List.of("b1"), fill(lanes));
    List<String> order = order();
    assertEquals(List.of("b2", "b3", "o2"), order);
    Map<String, Integer> pos = q.positions(List.of("o2", "b3", "b2", "gone"), T0);
    assertEquals(Map.of("b2", 1, "b3", 2, "o2", 3), pos);
    for (int i = 0; i < order.size(); i++) {
      assertEquals(i + 1, q.positions(List.of(order.get(i)), T0).get(order.get(i)));
    }
  }

  // R29: enqueue atHead puts an interrupted job first; a duplicate enqueue is refused
  @Test
  void interruptedJobGoesFirst() {
    LaneTable lanes = new LaneTable(1);
    normal("other", "o1", "o2");
    assertTrue(q.enqueue(job("r1", "inst", null, null), true));
    assertFalse(q.enqueue(job("o1", "other", null, null), true));
    assertEquals(List.of("r1", "o1", "o2"), order());
    assertEquals(List.of("r1"), fill(lanes));

    // interrupted job of the holding session goes first among the session's jobs
    LaneTable two = new LaneTable(2);
    BackendQueues q2 = new BackendQueues(new FifoPolicy());
    q2.enqueue(new QueuedJob("s1", "i", "S", SessionMode.DEDICATED, T0), false);
    q2.enqueue(new QueuedJob("s2", "i", "S", SessionMode.DEDICATED, T0), false);
    q2.enqueue(new QueuedJob("s3", "i", "S", SessionMode.DEDICATED, T0), false);
    assertEquals(List.of("s1", "s2"), started(Dispatcher.fill(q2, two, false, T0)));
    assertTrue(two.release(two.laneOf("s1").orElseThrow(), "s1"));
    q2.enqueue(new QueuedJob("s1", "i", "S", SessionMode.DEDICATED, T0), true);
    assertEquals(List.of("s1", "s3"), q2.startOrder(T0).stream().map(QueuedJob::jobId).toList());
    assertEquals(List.of("s1"), started(Dispatcher.fill(q2, two, false, T0)));
  }

  // R24, R7: a paused backend starts nothing
  @Test
  void pausedStartsNothing() {
    LaneTable lanes = new LaneTable(2);
    normal("other", "o1");
    assertEquals(List.of(), started(Dispatcher.fill(q, lanes, true, T0)));
    assertEquals(List.of("o1"), order());
  }

  // R5: the entities woken ahead of time are those of the jobs that start first
  @Test
  void upcomingFollowsTheStartOrderFromItsHead() {
    normal("a", "n1", "n2", "n3");
    batch("b", "b1", "b2");
    assertEquals(List.of("n1", "n2", "n3"), q.upcoming(3, T0).stream().map(QueuedJob::jobId).toList());
    q.take("b1"); // the batch's first job starts: the batch jumps the queue (R19)
    assertEquals(List.of("b2", "n1", "n2"), q.upcoming(3, T0).stream().map(QueuedJob::jobId).toList());
    assertEquals(order().subList(0, 3), q.upcoming(3, T0).stream().map(QueuedJob::jobId).toList());
    assertEquals(List.of(), new BackendQueues(new FifoPolicy()).upcoming(3, T0));
  }
}
