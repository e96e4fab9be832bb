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

  /**
   * One row per job: {@code -} while it holds its lane for classical work (pre-processing, waiting
   * for the QPU, post-processing), {@code Q} while its quantum part is on the QPU (R2). Each group
   * is drawn from its own first start, all on one time axis, so their lengths compare.
   */
  public static String phases(List<List<JobRun>> groups, int width) {
    double span = 0;
    List<Instant> starts = new java.util.ArrayList<>();
    for (List<JobRun> g : groups) {
      Instant t0 = null;
      Instant t1 = null;
      for (JobRun r : g) {
        if (r.running() != null && r.finished() != null) {
          t0 = t0 == null || r.running().isBefore(t0) ? r.running() : t0;
          t1 = t1 == null || r.finished().isAfter(t1) ? r.finished() : t1;
        }
      }
      starts.add(t0);
      span = t0 == null ? span : Math.max(span, JobRun.seconds(t0, t1));
    }
    StringBuilder sb = new StringBuilder();
    for (int gi = 0; gi < groups.size(); gi++) {
      Instant t0 = starts.get(gi);
      for (JobRun r : groups.get(gi)) {
        char[] row = new char[width];
        java.util.Arrays.fill(row, ' ');
        if (span > 0 && t0 != null && r.running() != null && r.finished() != null) {
          fill(row, col(JobRun.seconds(t0, r.running()), span, width), col(JobRun.seconds(t0, r.finished()), span, width), '-');
          if (r.qpuStarted() != null && r.qpuFinished() != null) {
            fill(row, col(JobRun.seconds(t0, r.qpuStarted()), span, width), col(JobRun.seconds(t0, r.qpuFinished()), span, width), 'Q');
          }
        }
        sb.append("job ").append(r.label()).append(" ".repeat(Math.max(1, 3 - r.label().length()))).append('|')
            .append(row).append("|\n");
      }
    }
    String axis = String.format(java.util.Locale.ROOT, "%.2f s", span);
    sb.append(" ".repeat(7)).append("0").append(" ".repeat(Math.max(1, width + 1 - axis.length()))).append(axis).append('\n');
    return sb.toString();
  }

  private static void fill(char[] row, int from, int to, char c) {
    for (int i = from; i < Math.max(from + 1, to) && i < row.length; i++) {
      row[i] = c;
    }
  }

  private static int col(double t, double span, int width) {
    return (int) Math.min(width, Math.round(t / span * width));
  }
}
