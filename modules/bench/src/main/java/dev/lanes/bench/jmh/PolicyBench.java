package dev.lanes.bench.jmh;

import dev.lanes.core.queue.Dispatcher;
import dev.lanes.core.queue.LaneTable;
import dev.lanes.core.queue.QueuedJob;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The start policy's per-decision cost at 10^3..10^6 queued jobs of 100 instances on one backend
 * ({@link QueueFixture}), through {@link dev.lanes.core.queue.BackendQueues} as the queue arbiter
 * uses it; fair share against FIFO. Every benchmark keeps the queue at {@code queued} jobs.
 *
 * <ul>
 *   <li>{@code pickNext}: {@code queues.next(now)}, no mutation (usage unchanged: no refresh).
 *   <li>{@code enqueueAndRemove}: a new job queued behind its peers, then removed (a cancel).
 *   <li>{@code dispatchStep}: a running job ends (lane released, {@code ended}), {@link
 *       Dispatcher#fill} starts the next job on the freed lane (next, take, started), and a
 *       replacement job of the started job's instance is queued. 16 lanes, all busy.
 *   <li>{@code dispatchStepCharged}: the same, and the ended job is charged to the usage book
 *       first, as the ledger does: the book's version changes, so fair share re-reads the usage
 *       of every instance at the next decision (its O(I log I) refresh).
 * </ul>
 *
 * Run with scripts/jmh (see there). 10^6 queued jobs hold ~330 MiB of heap after setup (FIFO ~290
 * MiB); the forks run with -Xms2g -Xmx2g.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class PolicyBench {
  static final int LANES = 16;
  static final int POOL = 1024;

  @Param({"1000", "10000", "100000", "1000000"})
  public int queued;

  @Param({"fairshare", "fifo"})
  public String policy;

  QueueFixture f;
  LaneTable lanes;
  QueuedJob[] running;
  int nextLane;
  /** Jobs for enqueueAndRemove, queued and removed again in turn (never left in the queue). */
  QueuedJob[] pool;
  int nextPooled;

  @Setup(Level.Trial)
  public void setUp() {
    f = new QueueFixture(policy, queued);
    pool = new QueuedJob[POOL];
    for (int i = 0; i < POOL; i++) {
      pool[i] = f.job(f.zipfInstance(), QueueFixture.NOW);
    }
    lanes = new LaneTable(LANES);
    running = new QueuedJob[LANES];
    for (Dispatcher.Assignment a : Dispatcher.fill(f.queues, lanes, false, QueueFixture.NOW)) {
      running[a.lane()] = a.job();
      f.queues.enqueue(f.job(a.job().instance(), QueueFixture.NOW), false);
    }
    if (f.queues.size() != queued || lanes.busy() != LANES) {
      throw new IllegalStateException("setup: " + f.queues.size() + " queued, " + lanes.busy() + " busy");
    }
    System.out.println("# " + policy + ", " + queued + " queued: " + QueueFixture.usedHeapMiB() + " MiB heap in use after setup");
  }

  @Benchmark
  public Optional<QueuedJob> pickNext() {
    return f.queues.next(QueueFixture.NOW);
  }

  @Benchmark
  public Optional<QueuedJob> enqueueAndRemove() {
    QueuedJob job = pool[nextPooled];
    nextPooled = (nextPooled + 1) & (POOL - 1);
    f.queues.enqueue(job, false);
    return f.queues.remove(job.jobId());
  }

  @Benchmark
  public List<Dispatcher.Assignment> dispatchStep() {
    return step(false);
  }

  @Benchmark
  public List<Dispatcher.Assignment> dispatchStepCharged() {
    return step(true);
  }

  private List<Dispatcher.Assignment> step(boolean charge) {
    int lane = nextLane;
    nextLane = (nextLane + 1) % LANES;
    QueuedJob done = running[lane];
    lanes.release(lane, done.jobId());
    if (charge) {
      // as in the node: the charge lands, by the job's charge id, so fair share settles it
      f.book.add(done.instance(), QueueFixture.NOW, done.estimatedQuantumSeconds(),
          dev.lanes.core.usage.Charge.jobChargeId(done.jobId()));
    }
    f.queues.ended(done, done.estimatedQuantumSeconds(), QueueFixture.NOW);
    List<Dispatcher.Assignment> starts = Dispatcher.fill(f.queues, lanes, false, QueueFixture.NOW);
    for (Dispatcher.Assignment a : starts) {
      running[a.lane()] = a.job();
      f.queues.enqueue(f.job(a.job().instance(), QueueFixture.NOW), false);
    }
    return starts;
  }
}
