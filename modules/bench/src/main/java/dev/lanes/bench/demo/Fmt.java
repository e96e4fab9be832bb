package dev.lanes.bench.demo;

import java.util.Locale;

/** Number formats of the demo's output. */
public final class Fmt {
  private Fmt() {}

  /** Seconds with two decimals: {@code 4.50 s}. */
  public static String s(double seconds) {
    return String.format(Locale.ROOT, "%.2f s", seconds);
  }

  /** A signed difference in seconds: {@code +0.25 s}. */
  public static String ds(double seconds) {
    return String.format(Locale.ROOT, "%+.2f s", seconds);
  }

  /** Quantum seconds with three decimals: {@code 4.396 qs}. */
  public static String qs(double seconds) {
    return String.format(Locale.ROOT, "%.3f quantum s", seconds);
  }

  /** A scale factor: {@code 10}, {@code 2.5}. */
  public static String factor(double f) {
    return Math.abs(f - Math.rint(f)) < 1e-9 ? String.valueOf((long) Math.rint(f)) : String.format(Locale.ROOT, "%.3g", f);
  }

  /** A figure at full scale in brackets, or nothing when the scale is not uniform. */
  public static String full(Scale scale, double seconds) {
    return scale.uniform() && Math.abs(scale.factor() - 1) > 1e-9
        ? String.format(Locale.ROOT, " (%.2f s at full scale)", scale.full(seconds)) : "";
  }

  /** Same, for a column: {@code 89.92} or empty. */
  public static String fullShort(Scale scale, double seconds) {
    return scale.uniform() && Math.abs(scale.factor() - 1) > 1e-9
        ? String.format(Locale.ROOT, " [%.2f]", scale.full(seconds)) : "";
  }
}
