package dev.lanes.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * What to run (api.md {@code POST /jobs}): a program ("sampler" or "estimator") on a backend with
 * its PUBs; optional default shots, tags and a cost cap in seconds. Immutable: the {@code with}
 * methods return a copy.
 */
public record JobRequest(String program, String backend, List<Pub> pubs, Integer defaultShots,
    List<String> tags, Long costSeconds) {

  public JobRequest {
    Objects.requireNonNull(program, "program");
    Objects.requireNonNull(backend, "backend");
    pubs = List.copyOf(pubs);
    tags = List.copyOf(tags);
    if (pubs.isEmpty()) {
      throw new IllegalArgumentException("a job needs at least one PUB");
    }
  }

  /** A sampler job on {@code backend}. */
  public static JobRequest sampler(String backend, Pub... pubs) {
    return new JobRequest("sampler", backend, List.of(pubs), null, List.of(), null);
  }

  /** An estimator job on {@code backend}. */
  public static JobRequest estimator(String backend, Pub... pubs) {
    return new JobRequest("estimator", backend, List.of(pubs), null, List.of(), null);
  }

  /** Shots for the PUBs that do not set their own ({@code options.default_shots}). */
  public JobRequest withShots(int shots) {
    return new JobRequest(program, backend, pubs, shots, tags, costSeconds);
  }

  public JobRequest withTags(String... newTags) {
    return new JobRequest(program, backend, pubs, defaultShots, List.of(newTags), costSeconds);
  }

  /** At most this many seconds of quantum time; past it the job ends Cancelled (R3). */
  public JobRequest withCost(long seconds) {
    return new JobRequest(program, backend, pubs, defaultShots, tags, seconds);
  }

  /** The {@code POST /jobs} body; {@code sessionId} null for job mode. */
  ObjectNode toJson(String sessionId) {
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("program_id", program).put("backend", backend);
    ObjectNode params = body.putObject("params");
    var array = params.putArray("pubs");
    pubs.forEach(p -> array.add(p.toJson()));
    if (defaultShots != null) {
      params.putObject("options").put("default_shots", defaultShots);
    }
    if (!tags.isEmpty()) {
      var t = body.putArray("tags");
      tags.forEach(t::add);
    }
    if (costSeconds != null) {
      body.put("cost", costSeconds);
    }
    if (sessionId != null) {
      body.put("session_id", sessionId);
    }
    return body;
  }
}
