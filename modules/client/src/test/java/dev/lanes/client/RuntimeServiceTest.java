package dev.lanes.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** RuntimeService, Session, Batch and Job against the stub: the calls api.md names, retries, typed errors. */
class RuntimeServiceTest extends StubServerTest {
  private static final String SESSION = "{\"id\":\"s-1\",\"mode\":\"dedicated\",\"state\":\"open\"}";

  private RuntimeService service() {
    return RuntimeService.builder(base, "demo-token").instance(CRN).retries(4, Duration.ofMillis(5)).build();
  }

  private static String error(int status, String message) {
    return "{\"errors\":[{\"code\":" + status + ",\"message\":\"" + message + "\",\"more_info\":\"\"}],\"trace\":\"t\"}";
  }

  private List<Seen> seen(String method, String path) {
    return seen.stream().filter(s -> s.method().equals(method) && s.path().equals(path)).toList();
  }

  @Test
  @DisplayName("issue 7: a 5xx on POST /jobs is retried with the same Idempotency-Key, so at most one job exists")
  void submitRetries5xxWithOneIdempotencyKey() {
    on("/api/v1/jobs", new Answer(503, error(503, "node not ready")), new Answer(502, "bad gateway"),
        new Answer(200, "{\"id\":\"job-1\",\"backend\":\"b\",\"session_id\":null}"));

    Job job = service().run(JobRequest.sampler("b", Pub.descriptor(2, 3, 4)).withShots(10).withTags("t1").withCost(60));

    assertEquals("job-1", job.id());
    List<Seen> posts = seen("POST", "/api/v1/jobs");
    assertEquals(3, posts.size());
    String key = posts.get(0).header("Idempotency-Key");
    assertTrue(key != null && !key.isEmpty());
    posts.forEach(p -> assertEquals(key, p.header("Idempotency-Key")));
    assertEquals(CRN, posts.get(0).header("Service-CRN"));
    String body = posts.get(0).body();
    assertTrue(body.contains("\"program_id\":\"sampler\"") && body.contains("\"num_qubits\":2")
        && body.contains("\"default_shots\":10") && body.contains("\"tags\":[\"t1\"]") && body.contains("\"cost\":60"), body);
  }

  @Test
  @DisplayName("issue 7: when retries run out, the failure is a ServiceUnavailableException with the server's message")
  void exhaustedRetriesAreServiceUnavailable() {
    on("/api/v1/jobs/j1", new Answer(503, error(503, "storage unavailable")));
    ServiceUnavailableException e = assertThrows(ServiceUnavailableException.class, () -> service().job("j1"));
    assertEquals(503, e.status());
    assertEquals("storage unavailable", e.getMessage());
    assertEquals(4, seen("GET", "/api/v1/jobs/j1").size());

    RuntimeService nobody = RuntimeService.builder("http://127.0.0.1:1", "t").retries(2, Duration.ofMillis(1)).build();
    ServiceUnavailableException refused = assertThrows(ServiceUnavailableException.class, () -> nobody.job("x"));
    assertEquals(0, refused.status(), "no answer at all is status 0");
  }

  @Test
  @DisplayName("issue 7: 4xx answers are typed exceptions carrying the server's message, never retried")
  void clientErrorsAreTypedAndNotRetried() {
    on("/api/v1/jobs", new Answer(400, error(400, "params.pubs[0].shots: must be an integer")));
    on("/api/v1/jobs/gone", new Answer(404, error(404, "job not found: gone")));
    on("/api/v1/jobs/done/cancel", new Answer(409, error(409, "job done is already final")));
    on("/api/v1/jobs/done", new Answer(200, job("done", "Completed")));
    on("/api/v1/instances/usage", new Answer(403, error(403, "instance not allowed")));
    on("/api/v1/sessions", new Answer(429, error(429, "more than limits.jobs-per-minute (3)")));
    RuntimeService s = service();

    InvalidRequestException bad = assertThrows(InvalidRequestException.class,
        () -> s.run(JobRequest.sampler("b", Pub.qasm("x"))));
    assertEquals("params.pubs[0].shots: must be an integer", bad.getMessage());
    assertEquals(1, seen("POST", "/api/v1/jobs").size());
    assertEquals("job not found: gone", assertThrows(NotFoundException.class, () -> s.job("gone")).getMessage());
    assertThrows(ConflictException.class, () -> s.job("done").cancel());
    assertEquals(403, assertThrows(NotAuthorizedException.class, s::usage).status());
    assertEquals("more than limits.jobs-per-minute (3)",
        assertThrows(RateLimitedException.class, () -> s.session("b")).getMessage());
    assertEquals(1, seen("POST", "/api/v1/sessions").size(), "a 429 is not retried");
  }

  @Test
  @DisplayName("issue 7 (R14, R15): a Session opens dedicated; close() is PATCH accepting_jobs=false, cancel() DELETE /close")
  void sessionOpensClosesAndCancels() {
    on("/api/v1/sessions", new Answer(200, SESSION));
    on("/api/v1/sessions/s-1", new Answer(200, "{\"id\":\"s-1\",\"state\":\"active\",\"elapsed_time\":12.5}"),
        new Answer(204, null));
    on("/api/v1/sessions/s-1/close", new Answer(204, null));
    on("/api/v1/jobs", new Answer(200, "{\"id\":\"job-9\",\"backend\":\"b\",\"session_id\":\"s-1\"}"));
    RuntimeService s = service();

    try (Session session = s.session("b", Duration.ofMinutes(5))) {
      assertEquals("s-1", session.id());
      session.sampler(Pub.qasm("OPENQASM 2.0;"));
      assertEquals(12.5, session.usage());
      session.cancel();
    }

    Seen open = seen("POST", "/api/v1/sessions").get(0);
    assertTrue(open.body().contains("\"mode\":\"dedicated\"") && open.body().contains("\"max_ttl\":300"), open.body());
    assertTrue(open.header("Idempotency-Key") != null);
    assertTrue(seen("POST", "/api/v1/jobs").get(0).body().contains("\"session_id\":\"s-1\""));
    assertEquals(1, seen("DELETE", "/api/v1/sessions/s-1/close").size());
    Seen patch = seen("PATCH", "/api/v1/sessions/s-1").get(0);
    assertEquals("{\"accepting_jobs\":false}", patch.body());
  }

  @Test
  @DisplayName("issue 7 (R14): closing a Batch that already closed is not an error")
  void closingAClosedBatchIsFine() {
    on("/api/v1/sessions", new Answer(200, "{\"id\":\"b-1\",\"mode\":\"batch\",\"state\":\"open\"}"));
    on("/api/v1/sessions/b-1", new Answer(409, error(409, "session b-1 is closed")));
    try (Batch batch = service().batch("b")) {
      assertEquals("b-1", batch.id());
    }
    assertTrue(seen("POST", "/api/v1/sessions").get(0).body().contains("\"mode\":\"batch\""));
  }

  @Test
  @DisplayName("issue 7: waitForFinalState polls with back-off; result() returns counts, or throws for Failed with the reason")
  void waitingAndResults() {
    on("/api/v1/jobs/j1", new Answer(200, job("j1", "Queued")), new Answer(200, job("j1", "Running")),
        new Answer(200, job("j1", "Completed")));
    on("/api/v1/jobs/j1/results", new Answer(200,
        "{\"results\":[{\"data\":{\"meas\":{\"counts\":{\"00\":6,\"11\":4}}},\"metadata\":{\"shots\":10}}]}"));
    on("/api/v1/jobs/j2", new Answer(200, "{\"id\":\"j2\",\"status\":\"Failed\",\"state\":{\"status\":\"Failed\","
        + "\"reason\":\"session closed at its max TTL\"}}"));
    on("/api/v1/jobs/j3", new Answer(200, job("j3", "Running")));
    RuntimeService s = service();

    Job j1 = s.job("j1");
    assertEquals(JobStatus.COMPLETED, j1.waitForFinalState(Duration.ofSeconds(30)));
    assertEquals(6L, j1.result().counts().get("00"));
    List<Seen> polls = seen("GET", "/api/v1/jobs/j1");
    long firstGap = polls.get(2).atNanos() - polls.get(1).atNanos();
    assertTrue(firstGap >= Job.FIRST_POLL.toNanos(), "polls wait between calls");

    JobFailedException failed = assertThrows(JobFailedException.class, () -> s.job("j2").result());
    assertEquals(JobStatus.FAILED, failed.status());
    assertTrue(failed.getMessage().contains("max TTL"), failed.getMessage());
    assertThrows(JobTimeoutException.class, () -> s.job("j3").waitForFinalState(Duration.ofMillis(150)));
  }
}
