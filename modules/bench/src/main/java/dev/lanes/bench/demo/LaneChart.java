package dev.lanes.bench.demo;

import java.time.Instant;
import java.util.List;

/**
 * The lanes of a backend over time, one row per lane, drawn from the jobs' server timestamps:
 * each job is shown by its label's character from its {@code running} to its {@code finished}.
 *
 * <pre>
 * lane 0 |AAAAAAAAAAAAAAAAAAAAAAAAAccccccccccc    |
 * lane 1 |1111111111111444444444444               |
 * </pre>
 */
public final class LaneChart {
  private LaneChart() {}

  /** {@code width} columns from the first start to the last end; jobs that never ran are left out. */
  public static String render(List<JobRun> runs, int lanes, int width) {
    Instant t0 = null;
    Instant t1 = null;
    for (JobRun r : runs) {
      if (r.running() == null || r.finished() == null) {
        continue;
      }
      t0 = t0 == null || r.running().isBefore(t0) ? r.running() : t0;
      t1 = t1 == null || r.finished().isAfter(t1) ? r.finished() : t1;
    }
    char[][] rows = new char[lanes][width];
    for (char[] row : rows) {
      java.util.Arrays.fill(row, ' ');
    }
    double span = t0 == null ? 0 : JobRun.seconds(t0, t1);
    if (span > 0) {
      for (JobRun r : runs) {
        if (r.running() == null || r.finished() == null || r.lane() < 0 || r.lane() >= lanes) {
          continue;
        }
        int from = col(JobRun.seconds(t0, r.running()), span, width);
        int to = Math.max(from + 1, col(JobRun.seconds(t0, r.finished()), span, width));
        char c = r.label().isEmpty() ? '#' : r.label().charAt(0);
        for (int i = from; i < to && i < width; i++) {
          rows[r.lane()][i] = c;
        }
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int lane = 0; lane < lanes; lane++) {
      sb.append("lane ").append(lane).append(" |").append(rows[lane]).append("|\n");
    }
    String axis = String.format(java.util.Locale.ROOT, "%.2f s", span);
    sb.append(" ".repeat(7)).append("0").append(" ".repeat(Math.max(1, width + 1 - axis.length()))).append(axis).append('\n');
    return sb.toString();
  }

  private static int col(double t, double span, int width) {
    return (int) Math.min(width, Math.round(t / span * width));
  }
}
