package dev.lanes.bench.jmh;

import dev.lanes.core.queue.QueuedJob;
import dev.lanes.core.queue.StartPolicy;
import java.util.List;
import java.util.Map;
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
 * The queue's explanations (api.md admin queue; a job's queue position), which walk every queued
 * job: {@code explain} is {@code BackendQueues.explain(now)}, the whole start order with reasons;
 * {@code positionOfOne} is {@code BackendQueues.positions(List.of(id), now)} for one job near the
 * middle of the start order, as GET of a queued job asks the queue arbiter. Same fixture as
 * {@link PolicyBench}; 10^6 left out (the cost is linear, ~10x per step).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ExplainBench {
  @Param({"1000", "10000", "100000"})
  public int queued;

  @Param({"fairshare", "fifo"})
  public String policy;

  QueueFixture f;
  List<String> middle;

  @Setup(Level.Trial)
  public void setUp() {
    f = new QueueFixture(policy, queued);
    List<QueuedJob> order = f.queues.startOrder(QueueFixture.NOW);
    middle = List.of(order.get(order.size() / 2).jobId());
  }

  @Benchmark
  public List<StartPolicy.Ranked> explain() {
    return f.queues.explain(QueueFixture.NOW);
  }

  @Benchmark
  public Map<String, Integer> positionOfOne() {
    return f.queues.positions(middle, QueueFixture.NOW);
  }
}
