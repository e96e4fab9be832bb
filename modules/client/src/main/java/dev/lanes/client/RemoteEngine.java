package dev.lanes.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.UUID;

/** A Lanes server over HTTP, with retries of what is safe to retry ({@link Retrier}). */
final class RemoteEngine implements Engine {
  private final LanesApi api;
  private final Retrier retrier;

  RemoteEngine(LanesApi api, Retrier retrier) {
    this.api = api;
    this.retrier = retrier;
  }

  @Override
  public boolean local() {
    return false;
  }

  @Override
  public String submit(JobRequest request, String sessionId) {
    // One key for every attempt: a retry of a POST the server did take answers that same job.
    String key = UUID.randomUUID().toString();
    String body = request.toJson(sessionId).toString();
    return retrier.call("POST /jobs", () -> api.submit(body, key));
  }

  @Override
  public JsonNode job(String id) {
    return retrier.call("GET /jobs/" + id, () -> api.job(id));
  }

  @Override
  public Optional<JsonNode> results(String id) {
    return retrier.call("GET /jobs/" + id + "/results", () -> api.results(id));
  }

  @Override
  public void cancel(String id) {
    retrier.run("POST /jobs/" + id + "/cancel", () -> api.cancel(id));
  }

  @Override
  public JsonNode metrics(String id) {
    return retrier.call("GET /jobs/" + id + "/metrics", () -> api.metrics(id));
  }

  @Override
  public JsonNode openSession(String mode, String backend, Integer maxTtlSeconds) {
    String key = UUID.randomUUID().toString();
    return retrier.call("POST /sessions", () -> api.openSession(mode, backend, maxTtlSeconds, key));
  }

  @Override
  public JsonNode session(String id) {
    return retrier.call("GET /sessions/" + id, () -> api.getSession(id));
  }

  @Override
  public void closeSession(String id) {
    retrier.run("PATCH /sessions/" + id, () -> api.closeSession(id));
  }

  @Override
  public void cancelSession(String id) {
    retrier.run("DELETE /sessions/" + id + "/close", () -> api.cancelSession(id));
  }

  @Override
  public JsonNode usage() {
    return retrier.call("GET /instances/usage", api::usage);
  }

  @Override
  public JsonNode backends() {
    return retrier.call("GET /backends", api::backends);
  }
}
