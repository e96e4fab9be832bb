package dev.lanes.core.exec;

import dev.lanes.core.circuit.StateVectorSimulator;
import dev.lanes.core.model.CircuitSpec;
import dev.lanes.core.model.Pub;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The built-in QPU: OpenQASM circuits are really simulated (noise-free state vector); descriptor
 * and opaque circuits only carry timing, so their counts are sampled uniformly from a seed.
 */
public final class SimulatedQpu implements QpuExecutor {
  /** Bits sampled for timing-only circuits: enough to look like counts, few enough to stay small. */
  static final int SAMPLED_BITS = 8;

  @Override
  public ExecutionResult execute(ExecutionRequest request) {
    List<ExecutionResult.PubResult> out = new ArrayList<>();
    long seed = request.seed();
    for (Pub pub : request.pubs()) {
      seed = seed * 6364136223846793005L + 1442695040888963407L;
      out.add(run(pub, seed));
    }
    return new ExecutionResult(out);
  }

  private static ExecutionResult.PubResult run(Pub pub, long seed) {
    long runs = pub.circuit().count() * Math.max(1, pub.parameterSets());
    if (pub.circuit() instanceof CircuitSpec.Qasm q) {
      Map<String, Map<String, Long>> counts =
          new TreeMap<>(StateVectorSimulator.sampleByRegister(q.circuit(), pub.shots(), seed));
      // "meas" holds all classical bits (api.md); with one register that is the register itself.
      if (!counts.containsKey("meas")) {
        counts.put("meas", q.circuit().cregs().size() == 1 ? counts.values().iterator().next()
            : StateVectorSimulator.sample(q.circuit(), pub.shots(), seed));
      }
      return new ExecutionResult.PubResult(pub.shots(), runs, counts, true, null);
    }
    int bits = Math.max(1, Math.min(SAMPLED_BITS, pub.circuit().size().qubits()));
    return new ExecutionResult.PubResult(pub.shots(), runs,
        Map.of("meas", uniform(bits, runs * pub.shots(), seed)), false,
        "timing-only circuit: counts are a seeded uniform sample over " + bits
            + " bits, not a simulation");
  }

  private static Map<String, Long> uniform(int bits, long samples, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long[] hist = new long[1 << bits];
    for (long i = 0; i < samples; i++) {
      hist[rnd.nextInt(hist.length)]++;
    }
    Map<String, Long> counts = new TreeMap<>();
    for (int k = 0; k < hist.length; k++) {
      if (hist[k] > 0) {
        String b = Integer.toBinaryString(k);
        counts.put("0".repeat(bits - b.length()) + b, hist[k]);
      }
    }
    return counts;
  }
}
