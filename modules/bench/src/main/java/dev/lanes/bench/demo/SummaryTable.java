package dev.lanes.bench.demo;

import java.util.ArrayList;
import java.util.List;

/** Prints the summary rows as a plain-text table whose columns fit their widest cell. */
public final class SummaryTable {
  private SummaryTable() {}

  static final String[] HEADER = {"step", "what", "time", "cost", "outcome"};

  public static String render(List<StepResult> rows) {
    List<String[]> cells = new ArrayList<>();
    cells.add(HEADER);
    for (StepResult r : rows) {
      cells.add(new String[] {r.step(), r.what(), r.time(), r.cost(), (r.ok() ? "OK   " : "FAIL ") + r.outcome()});
    }
    int[] w = new int[HEADER.length];
    for (String[] c : cells) {
      for (int i = 0; i < c.length; i++) {
        w[i] = Math.max(w[i], c[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int row = 0; row < cells.size(); row++) {
      String[] c = cells.get(row);
      sb.append(line(c, w));
      if (row == 0) {
        String[] rule = new String[c.length];
        for (int i = 0; i < c.length; i++) {
          rule[i] = "-".repeat(w[i]);
        }
        sb.append(line(rule, w));
      }
    }
    return sb.toString();
  }

  private static String line(String[] c, int[] w) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < c.length; i++) {
      if (i > 0) {
        sb.append("  ");
      }
      sb.append(i == c.length - 1 ? c[i] : pad(c[i], w[i]));
    }
    return sb.toString().stripTrailing() + "\n";
  }

  private static String pad(String s, int w) {
    return s + " ".repeat(w - s.length());
  }
}
