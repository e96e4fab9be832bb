package dev.lanes.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Where a {@link RuntimeService}'s calls go: a Lanes server ({@link RemoteEngine}) or the
 * in-process simulator of local testing mode ({@link LocalEngine}, R30). Answers are api.md's JSON.
 */
interface Engine {
  boolean local();

  /** Creates the job; {@code sessionId} null in job mode. Returns its id. */
  String submit(JobRequest request, String sessionId);

  JsonNode job(String id);

  /** The results once Completed; empty before. */
  Optional<JsonNode> results(String id);

  void cancel(String id);

  JsonNode metrics(String id);

  /** Opens a session ("dedicated") or batch; returns the session object. */
  JsonNode openSession(String mode, String backend, Integer maxTtlSeconds);

  JsonNode session(String id);

  void closeSession(String id);

  void cancelSession(String id);

  JsonNode usage();

  JsonNode backends();
}
