package dev.lanes.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The figures of one workload, in order: a table row each, and the same values as JSON fields. */
final class Report {
  private record Row(String key, String label, Object value, String unit) {}

  private final String name;
  private final String title;
  private final List<Row> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  Report(String name, String title) {
    this.name = name;
    this.title = title;
  }

  String name() {
    return name;
  }

  Report add(String key, String label, Object value, String unit) {
    rows.add(new Row(key, label, value, unit));
    return this;
  }

  /** A latency summary as {@code key: {p50, p99, max, mean, count}} (milliseconds). */
  Report add(String key, String label, Latency.Summary s) {
    rows.add(new Row(key, label, s, "ms"));
    return this;
  }

  Report note(String text) {
    notes.add(text);
    return this;
  }

  Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Row r : rows) {
      m.put(r.key(), r.value() instanceof Latency.Summary s ? s.json() : r.value());
    }
    if (!notes.isEmpty()) {
      m.put("notes", notes);
    }
    return m;
  }

  String table() {
    StringBuilder b = new StringBuilder();
    b.append(title).append('\n');
    b.append("-".repeat(title.length())).append('\n');
    int width = rows.stream().mapToInt(r -> r.label().length()).max().orElse(10);
    for (Row r : rows) {
      b.append(String.format(Locale.ROOT, "  %-" + width + "s  %s%n", r.label(), format(r.value(), r.unit())));
    }
    for (String n : notes) {
      b.append("  note: ").append(n).append('\n');
    }
    return b.toString();
  }

  private static String format(Object v, String unit) {
    String u = unit == null || unit.isEmpty() ? "" : " " + unit;
    if (v == null) {
      return "n/a";
    }
    if (v instanceof Latency.Summary s) {
      return s.count() == 0 ? "n/a (no samples)" : String.format(Locale.ROOT,
          "p50 %s  p99 %s  max %s  mean %s%s  (n=%d)", num(s.p50()), num(s.p99()), num(s.max()), num(s.mean()), u,
          s.count());
    }
    if (v instanceof Double d) {
      return num(d) + u;
    }
    if (v instanceof Map<?, ?> m) {
      return m.toString();
    }
    return v + u;
  }

  private static String num(double d) {
    if (Double.isNaN(d)) {
      return "n/a";
    }
    double a = Math.abs(d);
    return String.format(Locale.ROOT, a >= 100 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", d);
  }
}
