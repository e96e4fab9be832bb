package dev.lanes.bench.jmh;

import dev.lanes.core.queue.BackendQueues;
import dev.lanes.core.queue.FairSharePolicy;
import dev.lanes.core.queue.FifoPolicy;
import dev.lanes.core.queue.InstancePlan;
import dev.lanes.core.queue.QueuedJob;
import dev.lanes.core.queue.StartPolicy;
import dev.lanes.core.usage.UsageBook;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One backend's queues filled with {@code queued} jobs of {@value #INSTANCES} instances, for the
 * JMH benchmarks. Deterministic (fixed seed). Instances have varied plans: allocations of 1 h to
 * 10 h, every 20th none at all (ranks last), every 10th limited with a limit above its usage, and
 * two limited instances already at their limit (their jobs stay queued, outside the rankings).
 * Usage comes from a real {@link UsageBook} (24 h window) charged 0 to 5 h per instance. Jobs are
 * spread over the instances Zipf-like (instance 0 has ~19%, instance 99 ~0.2%), every instance
 * at least one; they were submitted over the last 30 min, well within a 6 h max wait, so no job is
 * starved and the ratio decides. Time is frozen at {@link #NOW}, so the policy only refreshes its
 * ratios when the usage book changes.
 */
final class QueueFixture {
  static final int INSTANCES = 100;
  static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
  static final Duration WINDOW = Duration.ofHours(24);
  static final Duration MAX_WAIT = Duration.ofHours(6);

  final String[] instances = new String[INSTANCES];
  final Map<String, InstancePlan> plans = new HashMap<>();
  final UsageBook book = new UsageBook(WINDOW);
  final StartPolicy policy;
  final BackendQueues queues;
  final SplittableRandom random = new SplittableRandom(42);
  /** Cumulative Zipf(1) weights over the instances. */
  private final double[] cumulative = new double[INSTANCES];
  private long seq;

  QueueFixture(String policyName, int queued) {
    for (int i = 0; i < INSTANCES; i++) {
      instances[i] = String.format("inst-%02d", i);
      double allocation = i % 20 == 19 ? 0 : 3600.0 * (1 + i % 10);
      double used = random.nextDouble() * 5 * 3600;
      boolean blocked = i == 7 || i == 53;
      boolean limited = blocked || i % 10 == 3;
      Double limit = !limited ? null : blocked ? used / 2 : used * 3 + 3600;
      plans.put(instances[i], new InstancePlan(allocation, limit, limited));
      // a few charges spread over the window
      for (int c = 0; c < 5; c++) {
        book.add(instances[i], NOW.minus(Duration.ofMinutes(60 + 240L * c)), used / 5);
      }
    }
    double sum = 0;
    for (int i = 0; i < INSTANCES; i++) {
      sum += 1.0 / (i + 1);
      cumulative[i] = sum;
    }
    for (int i = 0; i < INSTANCES; i++) {
      cumulative[i] /= sum;
    }
    policy = switch (policyName) {
      case "fairshare" -> new FairSharePolicy(plans::get, new FairSharePolicy.Usage() {
        @Override
        public double windowSeconds(String instance, Instant now) {
          return book.windowSeconds(instance, now);
        }

        @Override
        public long version() {
          return book.version();
        }
      }, MAX_WAIT);
      case "fifo" -> new FifoPolicy();
      default -> throw new IllegalArgumentException("policy: fairshare or fifo, not " + policyName);
    };
    queues = new BackendQueues(policy);
    Instant first = NOW.minus(Duration.ofMinutes(30));
    long spanMillis = Duration.ofMinutes(29).toMillis();
    for (int k = 0; k < queued; k++) {
      String instance = k < INSTANCES ? instances[k] : zipfInstance();
      Instant at = first.plusMillis(spanMillis * k / Math.max(1, queued));
      queues.enqueue(job(instance, at), false);
    }
    queues.next(NOW); // the first decision reads the usage of every instance
  }

  String zipfInstance() {
    double u = random.nextDouble();
    for (int i = 0; i < INSTANCES; i++) {
      if (u <= cumulative[i]) {
        return instances[i];
      }
    }
    return instances[INSTANCES - 1];
  }

  /** A fresh job (new id) of this instance with a 1 to 60 s estimate. */
  QueuedJob job(String instance, Instant submittedAt) {
    return new QueuedJob("job-" + (seq++), instance, null, null, submittedAt, null, 1 + random.nextDouble() * 59);
  }

  /** Heap in use after a full GC, in MiB (a rough figure for the fixture's footprint). */
  static long usedHeapMiB() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return (rt.totalMemory() - rt.freeMemory()) >> 20;
  }
}
