package dev.lanes.actors.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lanes.core.exec.ExecutionResult;

/** Sampler results as api.md shapes them: one entry per PUB, counts per classical register. */
public final class ResultJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ResultJson() {}

  public static String of(ExecutionResult result, String backend, double quantumSeconds) {
    ObjectNode root = JSON.createObjectNode();
    var results = root.putArray("results");
    for (ExecutionResult.PubResult pub : result.pubs()) {
      ObjectNode entry = results.addObject();
      ObjectNode data = entry.putObject("data");
      pub.counts().forEach((register, counts) -> {
        ObjectNode c = data.putObject(register).putObject("counts");
        counts.forEach(c::put);
      });
      ObjectNode meta = entry.putObject("metadata");
      meta.put("shots", pub.shots());
      meta.put("circuits", pub.circuits());
      meta.put("simulated", pub.simulated());
      if (pub.note() != null) {
        meta.put("note", pub.note());
      }
    }
    ObjectNode meta = root.putObject("metadata");
    meta.put("backend", backend);
    meta.put("quantum_seconds", quantumSeconds);
    return root.toString();
  }
}
