package dev.lanes.core.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class DispatcherProperties {
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  sealed interface Op {}

  record Enqueue() implements Op {}

  record FinishRunning(int pick) implements Op {}

  record TogglePause() implements Op {}

  record CancelQueued(int pick) implements Op {}

  @Provide
  Arbitrary<Op> ops() {
    Arbitrary<Integer> picks = Arbitraries.integers().between(0, 1000);
    return Arbitraries.frequencyOf(
        Tuple.of(5, Arbitraries.just(new Enqueue())),
        Tuple.of(3, picks.map(FinishRunning::new)),
        Tuple.of(1, Arbitraries.just(new TogglePause())),
        Tuple.of(2, picks.map(CancelQueued::new)));
  }

  private static int index(String jobId) {
    return Integer.parseInt(jobId.substring(1));
  }

  // R1, R7, R5: random enqueue/finish/pause/cancel sequences against Dispatcher.fill with FIFO
  @Property(tries = 500)
  void lanesAreNeverOverfilledNorIdleAndStartsAreFifo(
      @ForAll @IntRange(min = 1, max = 6) int laneCount,
      @ForAll @Size(max = 80) List<@From("ops") Op> ops) {
    BackendQueues queue = new BackendQueues(new FifoPolicy());
    LaneTable lanes = new LaneTable(laneCount);
    boolean paused = false;
    int next = 0;
    Set<String> everAssigned = new HashSet<>();
    Set<String> cancelled = new HashSet<>();
    int lastStarted = -1;

    for (Op op : ops) {
      if (op instanceof Enqueue) {
        String id = "j" + next;
        if (!queue.enqueue(new QueuedJob(id, "inst", null, null, T0.plusSeconds(next)), false)) {
          throw new AssertionError("fresh job refused: " + id);
        }
        next++;
      } else if (op instanceof FinishRunning f && lanes.busy() > 0) {
        List<Integer> busy = new ArrayList<>();
        for (int l = 0; l < laneCount; l++) {
          if (lanes.holder(l).isPresent()) {
            busy.add(l);
          }
        }
        int lane = busy.get(f.pick() % busy.size());
        String holder = lanes.holder(lane).orElseThrow();
        if (!lanes.release(lane, holder) || lanes.release(lane, holder)) {
          throw new AssertionError("release of lane " + lane + " misbehaved");
        }
      } else if (op instanceof TogglePause) {
        paused = !paused;
      } else if (op instanceof CancelQueued c && !queue.isEmpty()) {
        List<QueuedJob> snap = queue.startOrder(T0);
        String id = snap.get(c.pick() % snap.size()).jobId();
        if (queue.remove(id).isEmpty()) {
          throw new AssertionError("queued job " + id + " could not be removed");
        }
        cancelled.add(id);
      }

      int queuedBefore = queue.size();
      int busyBefore = lanes.busy();
      List<Dispatcher.Assignment> starts = Dispatcher.fill(queue, lanes, paused, T0);

      if (paused && (!starts.isEmpty() || queue.size() != queuedBefore || lanes.busy() != busyBefore)) {
        throw new AssertionError("R7/R24: a paused backend started " + starts);
      }
      Set<Integer> lanesUsed = new HashSet<>();
      for (Dispatcher.Assignment a : starts) {
        String id = a.job().jobId();
        if (!everAssigned.add(id)) {
          throw new AssertionError("R1: job " + id + " assigned twice");
        }
        if (cancelled.contains(id)) {
          throw new AssertionError("cancelled job " + id + " started");
        }
        if (!lanesUsed.add(a.lane()) || !lanes.holder(a.lane()).equals(java.util.Optional.of(id))) {
          throw new AssertionError("R1: lane " + a.lane() + " given twice or not held by " + id);
        }
        if (queue.contains(id)) {
          throw new AssertionError("started job " + id + " is still queued");
        }
        if (index(id) <= lastStarted) {
          throw new AssertionError("R5: FIFO broken, " + id + " after j" + lastStarted);
        }
        lastStarted = index(id);
      }
      if (starts.size() != Math.min(queuedBefore, laneCount - busyBefore) && !paused) {
        throw new AssertionError("R7: started " + starts.size() + " with " + queuedBefore
            + " queued and " + (laneCount - busyBefore) + " free lanes");
      }
      if (lanes.busy() > laneCount) {
        throw new AssertionError("R1: " + lanes.busy() + " busy lanes of " + laneCount);
      }
      if (!paused && !queue.isEmpty() && lanes.freeLane().isPresent()) {
        throw new AssertionError("R7: lane idle while " + queue.size() + " jobs wait");
      }
      for (QueuedJob waiting : queue.startOrder(T0)) {
        if (index(waiting.jobId()) < lastStarted) {
          throw new AssertionError("R5: " + waiting.jobId() + " overtaken by j" + lastStarted);
        }
      }
      if (queue.size() + everAssigned.size() + cancelled.size() != next) {
        throw new AssertionError("a job was lost or invented");
      }
    }
  }
}
