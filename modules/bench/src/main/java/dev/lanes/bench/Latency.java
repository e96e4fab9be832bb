package dev.lanes.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Latency figures from an HdrHistogram of microseconds, reported in milliseconds. */
final class Latency {
  /** Up to 10 minutes, 3 significant digits. */
  static Histogram histogram() {
    return new Histogram(600_000_000L, 3);
  }

  record Summary(long count, double p50, double p99, double max, double mean) {
    Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("p50", num(p50));
      m.put("p99", num(p99));
      m.put("max", num(max));
      m.put("mean", num(mean));
      m.put("count", count);
      return m;
    }
  }

  static Summary summary(Histogram h) {
    if (h.getTotalCount() == 0) {
      return new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    return new Summary(h.getTotalCount(),
        h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0,
        h.getMaxValue() / 1000.0,
        h.getMean() / 1000.0);
  }

  /** A number for JSON: rounded to 3 decimals, null when there is none. */
  static Double num(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? null : round(v);
  }

  static double round(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? v : Math.round(v * 1000.0) / 1000.0;
  }

  private Latency() {}
}
