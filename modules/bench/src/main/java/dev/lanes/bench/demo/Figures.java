package dev.lanes.bench.demo;

import dev.lanes.core.model.JobShape;
import dev.lanes.core.model.TimingModel;
import java.util.Arrays;
import java.util.List;

/**
 * What the timing model predicts for the demo's workloads (R2, R3): jobs sent at once to a free
 * backend of {@code lanes} lanes, in order. Each job takes the lane that frees first, runs its
 * classical pre-processing there, waits for the one QPU (first come, first served), runs its
 * quantum part, then its post-processing, and frees the lane. The jobs are taken in order and the
 * QPU serves them in that order, which is exact for identical jobs (the demo's case).
 */
public final class Figures {
  private Figures() {}

  /** Makespan in seconds: the first start to the last end. */
  public static double makespan(TimingModel t, int lanes, List<JobShape> jobs) {
    if (lanes < 1) {
      throw new IllegalArgumentException("lanes must be ≥ 1");
    }
    double[] laneFree = new double[lanes];
    double qpuFree = 0;
    double end = 0;
    for (JobShape j : jobs) {
      int lane = 0;
      for (int i = 1; i < lanes; i++) {
        if (laneFree[i] < laneFree[lane]) {
          lane = i;
        }
      }
      double start = laneFree[lane];
      double preEnd = start + sec(t.preProcessing(j).toNanos());
      double qStart = Math.max(preEnd, qpuFree);
      double qEnd = qStart + sec(t.quantum(j).toNanos());
      qpuFree = qEnd;
      double postEnd = qEnd + sec(t.postProcessing(j).toNanos());
      laneFree[lane] = postEnd;
      end = Math.max(end, postEnd);
    }
    return end;
  }

  /** Usage in job and batch mode (R25): the sum of the jobs' quantum time. */
  public static double quantum(TimingModel t, List<JobShape> jobs) {
    return jobs.stream().mapToDouble(j -> sec(t.quantum(j).toNanos())).sum();
  }

  /**
   * The shape of one job holding {@code pubs} PUBs of {@code circuitsPerPub} circuits of
   * {@code qubits} × {@code depth}, each run {@code shots} times.
   */
  public static JobShape shape(int pubs, int circuitsPerPub, int qubits, int depth, int shots) {
    long circuits = (long) pubs * circuitsPerPub;
    return new JobShape(circuits, circuits * shots, (long) qubits * depth, circuits * shots * depth, qubits);
  }

  /** {@code n} copies of a shape. */
  public static List<JobShape> times(int n, JobShape shape) {
    JobShape[] a = new JobShape[n];
    Arrays.fill(a, shape);
    return List.of(a);
  }

  private static double sec(long nanos) {
    return nanos / 1e9;
  }
}
