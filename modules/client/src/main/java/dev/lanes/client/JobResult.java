package dev.lanes.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A completed job's results (api.md "Results"): per PUB, counts per classical register; the raw
 * JSON is kept for everything else.
 */
public record JobResult(List<PubResult> pubs, JsonNode json) {

  /** One PUB's counts: register → bitstring → count ("meas" holds all bits), and its shots. */
  public record PubResult(Map<String, Map<String, Long>> registers, long shots) {
    /** The counts of all classical bits ({@code meas}). */
    public Map<String, Long> counts() {
      return registers.getOrDefault("meas", Map.of());
    }
  }

  public JobResult {
    pubs = List.copyOf(pubs);
  }

  /** The first PUB's counts over all bits: what a one-PUB job's caller wants. */
  public Map<String, Long> counts() {
    return pubs.isEmpty() ? Map.of() : pubs.get(0).counts();
  }

  static JobResult fromJson(JsonNode json) {
    List<PubResult> pubs = new ArrayList<>();
    for (JsonNode r : json.path("results")) {
      Map<String, Map<String, Long>> registers = new TreeMap<>();
      r.path("data").fields().forEachRemaining(reg -> {
        Map<String, Long> counts = new TreeMap<>();
        reg.getValue().path("counts").fields().forEachRemaining(c -> counts.put(c.getKey(), c.getValue().asLong()));
        registers.put(reg.getKey(), Collections.unmodifiableMap(counts));
      });
      pubs.add(new PubResult(Collections.unmodifiableMap(registers), r.path("metadata").path("shots").asLong()));
    }
    return new JobResult(pubs, json);
  }
}
