package dev.lanes.core.exec;

import java.util.List;
import java.util.Map;

/** Per-PUB counts, in PUB order. */
public record ExecutionResult(List<PubResult> pubs) {

  /**
   * @param counts per classical register name, bitstring → count ("meas" always holds all bits)
   * @param simulated true when the counts come from simulating the circuit; false for
   *     timing-only circuits, whose counts are a seeded uniform sample (said in {@code note})
   */
  public record PubResult(long shots, long circuits, Map<String, Map<String, Long>> counts,
      boolean simulated, String note) {}
}
