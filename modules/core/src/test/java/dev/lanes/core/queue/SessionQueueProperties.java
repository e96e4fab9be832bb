package dev.lanes.core.queue;

import dev.lanes.core.session.SessionMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

/**
 * Random sessions, batches and plain jobs on one backend (BackendQueues + Dispatcher.fill +
 * LaneTable): lanes never overfilled (R1), no job started twice, nobody else starts while a
 * session holds the backend (R17), and no lane idles while an eligible job waits (R7).
 */
class SessionQueueProperties {
  static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

  sealed interface Op {}

  /** A plain job of one of two instances. */
  record EnqueueNormal(int instance) implements Op {}

  /** A job of batch "A" or "B". */
  record EnqueueBatch(String batch) implements Op {}

  /** A job of dedicated session "S" or "T". */
  record EnqueueDedicated(String session) implements Op {}

  /** A running job ends. */
  record Finish(int pick) implements Op {}

  /** A running job is interrupted (node stop) and re-queued at the head (R29). */
  record Interrupt(int pick) implements Op {}

  /** A queued job is cancelled. */
  record Cancel(int pick) implements Op {}

  /** The session went inactive or closed. */
  record Release(String session) implements Op {}

  /** The batch ended. */
  record EndBatch(String batch) implements Op {}

  @Provide
  Arbitrary<Op> ops() {
    Arbitrary<Integer> picks = Arbitraries.integers().between(0, 1000);
    Arbitrary<String> batchIds = Arbitraries.of("A", "B");
    Arbitrary<String> sessionIds = Arbitraries.of("S", "T");
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.integers().between(0, 1).map(EnqueueNormal::new)),
        Tuple.of(3, batchIds.map(EnqueueBatch::new)),
        Tuple.of(3, sessionIds.map(EnqueueDedicated::new)),
        Tuple.of(5, picks.map(Finish::new)),
        Tuple.of(1, picks.map(Interrupt::new)),
        Tuple.of(1, picks.map(Cancel::new)),
        Tuple.of(1, sessionIds.map(Release::new)),
        Tuple.of(1, batchIds.map(EndBatch::new)));
  }

  // R1, R5a, R7, R16, R17, R19, R29
  @Property(tries = 1000)
  void holdIsExclusiveAndOtherwiseWorkConserving(
      @ForAll @IntRange(min = 1, max = 6) int laneCount,
      @ForAll @Size(max = 120) List<@From("ops") Op> ops) {
    BackendQueues queues = new BackendQueues(new FifoPolicy());
    LaneTable lanes = new LaneTable(laneCount);
    Map<String, QueuedJob> jobs = new HashMap<>();
    Set<String> queued = new HashSet<>();
    Set<String> running = new HashSet<>();
    Set<String> done = new HashSet<>();
    int next = 0;

    for (Op op : ops) {
      QueuedJob fresh = null;
      String id = "j" + next;
      Instant at = T0.plusSeconds(next);
      if (op instanceof EnqueueNormal n) {
        fresh = new QueuedJob(id, "inst" + n.instance(), null, null, at);
      } else if (op instanceof EnqueueBatch b) {
        fresh = new QueuedJob(id, "inst-" + b.batch(), b.batch(), SessionMode.BATCH, at);
      } else if (op instanceof EnqueueDedicated d) {
        fresh = new QueuedJob(id, "inst-" + d.session(), d.session(), SessionMode.DEDICATED, at);
      } else if (op instanceof Finish f && !running.isEmpty()) {
        String job = pick(running, f.pick());
        check(lanes.release(lanes.laneOf(job).orElseThrow(), job), "lane of " + job + " not released");
        running.remove(job);
        done.add(job);
      } else if (op instanceof Interrupt i && !running.isEmpty()) {
        String job = pick(running, i.pick());
        check(lanes.release(lanes.laneOf(job).orElseThrow(), job), "lane of " + job + " not released");
        running.remove(job);
        check(queues.enqueue(jobs.get(job), true), "R29: interrupted " + job + " not re-queued");
        queued.add(job);
      } else if (op instanceof Cancel c && !queued.isEmpty()) {
        String job = pick(queued, c.pick());
        check(queues.remove(job).isPresent(), "queued " + job + " could not be removed");
        queued.remove(job);
        done.add(job);
      } else if (op instanceof Release r) {
        boolean wasHolder = queues.holder().equals(Optional.of(r.session()));
        check(queues.release(r.session()) == wasHolder, "release of " + r.session() + " misreported");
        check(queues.holder().isEmpty() || !wasHolder, "still held after release");
      } else if (op instanceof EndBatch e) {
        queues.endBatch(e.batch());
        check(!queues.activeBatches().contains(e.batch()), "batch " + e.batch() + " still active");
      }
      if (fresh != null) {
        check(queues.enqueue(fresh, false), "fresh job refused: " + id);
        jobs.put(id, fresh);
        queued.add(id);
        next++;
      }

      Optional<String> holderBefore = queues.holder();
      String holder = holderBefore.orElse(null);
      List<Dispatcher.Assignment> starts = Dispatcher.fill(queues, lanes, false, T0);
      for (Dispatcher.Assignment a : starts) {
        QueuedJob job = a.job();
        check(queued.remove(job.jobId()), "job " + job.jobId() + " started but was not queued (twice?)");
        check(!done.contains(job.jobId()), "ended job " + job.jobId() + " started again");
        check(running.add(job.jobId()), "job " + job.jobId() + " started twice");
        check(lanes.holder(a.lane()).equals(Optional.of(job.jobId())), "lane " + a.lane() + " not held");
        // R17: while a session holds the backend, only its jobs start
        if (holder != null) {
          check(job.inSession(holder), "R17: " + job + " started while " + holder + " holds the backend");
        } else if (job.sessionMode() == SessionMode.DEDICATED) {
          holder = job.sessionId(); // its first start takes the backend
        }
      }
      check(queues.holder().equals(Optional.ofNullable(holder)),
          "holder " + queues.holder() + ", expected " + holder);
      // R1
      check(lanes.busy() <= laneCount, "R1: " + lanes.busy() + " busy of " + laneCount);
      check(lanes.busy() == running.size(), "lanes " + lanes.busy() + " vs running " + running.size());
      check(queues.size() == queued.size(), "queue holds " + queues.size() + ", expected " + queued.size());
      check(queued.size() + running.size() + done.size() == next, "a job was lost or invented");
      for (String q : queued) {
        check(queues.contains(q), "queued " + q + " missing");
      }
      if (lanes.freeLane().isPresent()) {
        if (queues.holder().isEmpty()) {
          // R7: work-conserving when nothing holds
          check(queues.isEmpty(), "R7: a lane idles while " + queues.size() + " jobs wait");
        } else {
          // R16: the holder's jobs run on every free lane
          check(queues.queuedOf(queues.holder().get()).isEmpty(), "R16: holder's job waits beside a free lane");
        }
      }
      // R5: start order begins with the holder's jobs, then the active batches' jobs
      List<QueuedJob> order = queues.startOrder(T0);
      check(order.size() == queued.size(), "startOrder size");
      if (queues.holder().isPresent() && !order.isEmpty()) {
        String h = queues.holder().get();
        int own = queues.queuedOf(h).size();
        for (int i = 0; i < order.size(); i++) {
          check(order.get(i).inSession(h) == (i < own), "R5a: start order " + order);
        }
      }
    }
  }

  private static String pick(Set<String> from, int pick) {
    List<String> sorted = new ArrayList<>(from);
    sorted.sort(String::compareTo);
    return sorted.get(pick % sorted.size());
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new AssertionError(message);
    }
  }
}
