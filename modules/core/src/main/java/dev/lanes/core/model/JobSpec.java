package dev.lanes.core.model;

import java.util.List;

/**
 * What a user asked to run. {@code paramsJson} is kept verbatim so GET /jobs/{id} returns the
 * params as they were sent.
 *
 * @param maxExecutionSeconds the user's {@code cost}, or null for the system cap (R28)
 */
public record JobSpec(
    String programId,
    String backend,
    List<Pub> pubs,
    List<String> tags,
    Long maxExecutionSeconds,
    String paramsJson) {

  public JobSpec {
    pubs = List.copyOf(pubs);
    tags = List.copyOf(tags);
  }

  public JobShape shape() {
    return JobShape.of(pubs);
  }
}
