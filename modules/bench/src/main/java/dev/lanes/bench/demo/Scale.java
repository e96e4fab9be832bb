package dev.lanes.bench.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.core.model.TimingModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a backend's timing model relates to the default one (config.md): the demo's backends run
 * the default model with every duration divided by the same factor, so that the FAQ's cases take
 * seconds instead of minutes and every time and quantum-seconds figure is the default's divided by
 * that factor.
 *
 * @param timing the backend's model, from {@code GET /backends/{name}/configuration}
 * @param factor default ÷ backend for every non-zero key (10 = ten times faster), or 0 when the
 *     backend's model is not a uniform scaling of the default one (then no full-scale figure is given)
 */
public record Scale(TimingModel timing, double factor) {

  /** Reads {@code "timing": {"prep_per_circuit_seconds": …, …}} of a backend configuration. */
  public static Scale of(JsonNode configuration) {
    JsonNode t = configuration.path("timing");
    TimingModel m = new TimingModel(
        seconds(t, "prep_per_circuit_seconds"),
        seconds(t, "post_per_circuit_seconds"),
        seconds(t, "job_overhead_seconds"),
        seconds(t, "job_overhead_per_qubit_layer_seconds"),
        seconds(t, "shot_time_seconds"),
        seconds(t, "layer_time_seconds"));
    return of(m);
  }

  /** The factor of {@code m} against {@link TimingModel#defaults()}. */
  public static Scale of(TimingModel m) {
    TimingModel d = TimingModel.defaults();
    List<double[]> pairs = new ArrayList<>();
    pairs.add(new double[] {nanos(d.prepPerCircuit()), nanos(m.prepPerCircuit())});
    pairs.add(new double[] {nanos(d.postPerCircuit()), nanos(m.postPerCircuit())});
    pairs.add(new double[] {nanos(d.jobOverhead()), nanos(m.jobOverhead())});
    pairs.add(new double[] {nanos(d.jobOverheadPerQubitLayer()), nanos(m.jobOverheadPerQubitLayer())});
    pairs.add(new double[] {nanos(d.shotTime()), nanos(m.shotTime())});
    pairs.add(new double[] {nanos(d.layerTime()), nanos(m.layerTime())});
    double factor = 0;
    for (double[] p : pairs) {
      if (p[0] == 0 && p[1] == 0) {
        continue;
      }
      if (p[0] == 0 || p[1] == 0) {
        return new Scale(m, 0);
      }
      double f = p[0] / p[1];
      if (factor == 0) {
        factor = f;
      } else if (Math.abs(f - factor) > 1e-6 * factor) {
        return new Scale(m, 0);
      }
    }
    return new Scale(m, factor);
  }

  public boolean uniform() {
    return factor > 0;
  }

  /** A figure measured on this backend as it would be on the default model. */
  public double full(double seconds) {
    return uniform() ? seconds * factor : Double.NaN;
  }

  /** "×1/10 of the default timing model", "the default timing model", or "not a uniform scaling …". */
  public String describe() {
    if (!uniform()) {
      return "a timing model that is not a uniform scaling of the default one (figures are as measured)";
    }
    if (Math.abs(factor - 1) < 1e-9) {
      return "the default timing model (times are real)";
    }
    return "the default timing model sped up " + Fmt.factor(factor) + " times: every time and every"
        + " quantum-seconds figure is the default's ÷ " + Fmt.factor(factor);
  }

  private static Duration seconds(JsonNode t, String key) {
    if (!t.path(key).isNumber()) {
      throw new IllegalArgumentException("backend configuration has no timing." + key);
    }
    return Duration.ofNanos(Math.round(t.path(key).asDouble() * 1e9));
  }

  private static double nanos(Duration d) {
    return d.toNanos();
  }
}
