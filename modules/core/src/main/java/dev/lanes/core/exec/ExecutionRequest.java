package dev.lanes.core.exec;

import dev.lanes.core.model.Pub;
import java.util.List;

/** The circuits of one job to execute; {@code seed} makes sampled counts reproducible. */
public record ExecutionRequest(String jobId, String backend, List<Pub> pubs, long seed) {
  public ExecutionRequest {
    pubs = List.copyOf(pubs);
  }
}
