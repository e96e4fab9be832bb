package dev.lanes.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** LanesApi against a tiny JDK HTTP server on an ephemeral port. */
class LanesApiTest extends StubServerTest {
  @Test
  void submitSendsTokenInstanceAndJsonAndReturnsTheId() {
    on("/api/v1/jobs", new Answer(200, "{\"id\":\"job-1\",\"backend\":\"bench\",\"session_id\":null}"));
    LanesApi api = new LanesApi(base, "demo-token", CRN);
    String body = "{\"program_id\":\"sampler\",\"backend\":\"bench\",\"params\":{\"pubs\":[]}}";

    assertEquals("job-1", api.submit(body, "key-1"));

    Seen s = seen.get(0);
    assertEquals("POST", s.method());
    assertEquals("/api/v1/jobs", s.path());
    assertEquals("Bearer demo-token", s.header("Authorization"));
    assertEquals(CRN, s.header("Service-CRN"));
    assertTrue(s.header("Content-Type").startsWith("application/json"));
    assertEquals("key-1", s.header("Idempotency-Key"));
    assertEquals(body, s.body());
  }

  @Test
  void withoutAnInstanceNoServiceCrnIsSentAndApiV1SuffixIsAccepted() {
    on("/api/v1/backends", new Answer(200, "{\"devices\":[{\"name\":\"bench\",\"lanes\":5}]}"));
    LanesApi api = new LanesApi(base + "/api/v1/", "t0k");

    JsonNode devices = api.backends().get("devices");

    assertEquals("bench", devices.get(0).get("name").asText());
    Seen s = seen.get(0);
    assertEquals("GET", s.method());
    assertEquals("/api/v1/backends", s.path());
    assertEquals("Bearer t0k", s.header("Authorization"));
    assertNull(s.header("Service-CRN"));
  }

  @Test
  void nonSuccessAnswersCarryStatusAndTheServersMessage() {
    on("/api/v1/jobs", new Answer(404, "{\"errors\":[{\"code\":404,\"message\":\"backend not found: 'nope'\","
        + "\"more_info\":\"see api.md\"}],\"trace\":\"abc\"}"));
    on("/api/v1/jobs/j1/cancel", new Answer(409, "{\"errors\":[{\"code\":409,\"message\":\"job j1 cannot be "
        + "cancelled: it is already final\",\"more_info\":\"\"}],\"trace\":\"x\"}"));
    on("/api/v1/jobs/j2", new Answer(503, "upstream unavailable"));
    on("/api/v1/jobs/j3/metrics", new Answer(500, null));
    LanesApi api = new LanesApi(base, "demo-token");

    LanesApiException notFound = assertThrows(LanesApiException.class, () -> api.submit("{}"));
    assertEquals(404, notFound.status());
    assertEquals("backend not found: 'nope'", notFound.getMessage());

    LanesApiException conflict = assertThrows(LanesApiException.class, () -> api.cancel("j1"));
    assertEquals(409, conflict.status());
    assertEquals("job j1 cannot be cancelled: it is already final", conflict.getMessage());
    assertEquals("POST", seen.get(1).method());

    LanesApiException raw = assertThrows(LanesApiException.class, () -> api.job("j2"));
    assertEquals(503, raw.status());
    assertEquals("upstream unavailable", raw.getMessage());

    LanesApiException empty = assertThrows(LanesApiException.class, () -> api.metrics("j3"));
    assertEquals(500, empty.status());
    assertEquals("HTTP 500", empty.getMessage());
  }

  @Test
  void cancelAndResultsHandleNoContent() {
    on("/api/v1/jobs/j1/cancel", new Answer(204, null));
    on("/api/v1/jobs/j1/results", new Answer(204, null), new Answer(200, "{\"results\":[{\"metadata\":{\"shots\":1}}]}"));
    LanesApi api = new LanesApi(base, "demo-token");

    api.cancel("j1");
    assertTrue(api.results("j1").isEmpty());
    assertEquals(1, api.results("j1").orElseThrow().at("/results/0/metadata/shots").asInt());
  }

  @Test
  void adminBackendStatusIsAPatchWithJson() {
    on("/api/v1/admin/backends/bench", new Answer(204, null));
    LanesApi api = new LanesApi(base, "demo-token");

    api.setBackendStatus("bench", "paused");

    Seen s = seen.get(0);
    assertEquals("PATCH", s.method());
    assertEquals("{\"status\":\"paused\"}", s.body());
    assertTrue(s.header("Content-Type").startsWith("application/json"));
  }

  @Test
  void metricsAndJobListAreRead() {
    on("/api/v1/jobs/j1/metrics", new Answer(200, "{\"timestamps\":{\"created\":\"2026-01-01T00:00:00.000Z\","
        + "\"running\":\"2026-01-01T00:00:01.000Z\",\"finished\":\"2026-01-01T00:00:01.050Z\"},\"lane\":3}"));
    on("/api/v1/jobs", new Answer(200, "{\"jobs\":[],\"count\":7,\"limit\":1,\"offset\":0}"));
    LanesApi api = new LanesApi(base, "demo-token");

    assertEquals(3, api.metrics("j1").get("lane").asInt());
    assertEquals(7, api.jobs(new java.util.LinkedHashMap<>(Map.of("pending", "true"))).get("count").asInt());
    assertEquals("pending=true", seen.get(1).query());
  }

  private static String session(String id, String mode, String state) {
    return "{\"id\":\"" + id + "\",\"mode\":\"" + mode + "\",\"backend_name\":\"bench\",\"state\":\"" + state
        + "\",\"accepting_jobs\":true,\"max_ttl\":28800}";
  }

  @Test
  void openSessionPostsModeBackendAndMaxTtlAndReturnsTheSession() throws Exception {
    on("/api/v1/sessions", new Answer(200, session("s-1", "dedicated", "open")),
        new Answer(200, session("s-2", "batch", "open")));
    LanesApi api = new LanesApi(base, "demo-token");

    JsonNode dedicated = api.openSession("dedicated", "bench", 600);
    JsonNode batch = api.openSession("batch", "bench", null);

    assertEquals("s-1", dedicated.get("id").asText());
    assertEquals("open", dedicated.get("state").asText());
    assertEquals("batch", batch.get("mode").asText());
    var m = new com.fasterxml.jackson.databind.ObjectMapper();
    Seen first = seen.get(0);
    assertEquals("POST", first.method());
    assertEquals("/api/v1/sessions", first.path());
    assertTrue(first.header("Content-Type").startsWith("application/json"));
    assertEquals(m.readTree("{\"mode\":\"dedicated\",\"backend\":\"bench\",\"max_ttl\":600}"), m.readTree(first.body()));
    // no max_ttl: the field is left out (the server's default applies), not sent as null
    assertEquals(m.readTree("{\"mode\":\"batch\",\"backend\":\"bench\"}"), m.readTree(seen.get(1).body()));
  }

  @Test
  void openSessionRejectionsCarryTheServersMessage() {
    on("/api/v1/sessions", new Answer(403, "{\"errors\":[{\"code\":403,\"message\":\"plan does not allow "
        + "dedicated sessions\",\"more_info\":\"\"}],\"trace\":\"t\"}"));
    LanesApi api = new LanesApi(base, "demo-token");

    LanesApiException e = assertThrows(LanesApiException.class, () -> api.openSession("dedicated", "bench", null));
    assertEquals(403, e.status());
    assertEquals("plan does not allow dedicated sessions", e.getMessage());
  }

  @Test
  void getCloseAndCancelSessionUseTheirMethodsAndPaths() throws Exception {
    on("/api/v1/sessions/s 1", new Answer(200, session("s 1", "dedicated", "active")), new Answer(204, null));
    on("/api/v1/sessions/s 1/close", new Answer(204, null));
    LanesApi api = new LanesApi(base, "demo-token", CRN);

    assertEquals("active", api.getSession("s 1").get("state").asText());
    api.closeSession("s 1");
    api.cancelSession("s 1");

    assertEquals("GET", seen.get(0).method());
    assertEquals("/api/v1/sessions/s 1", seen.get(0).path());
    Seen close = seen.get(1);
    assertEquals("PATCH", close.method());
    assertEquals("/api/v1/sessions/s 1", close.path());
    assertTrue(close.header("Content-Type").startsWith("application/json"));
    assertEquals(new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"accepting_jobs\":false}"),
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(close.body()));
    Seen cancel = seen.get(2);
    assertEquals("DELETE", cancel.method());
    assertEquals("/api/v1/sessions/s 1/close", cancel.path());
    seen.forEach(s -> assertEquals(CRN, s.header("Service-CRN")));
  }

  @Test
  void submitToSessionAddsTheSessionIdToTheBody() throws Exception {
    on("/api/v1/jobs", new Answer(200, "{\"id\":\"job-7\",\"backend\":\"bench\",\"session_id\":\"s-1\"}"),
        new Answer(409, "{\"errors\":[{\"code\":409,\"message\":\"session s-1 is not accepting jobs\","
            + "\"more_info\":\"\"}],\"trace\":\"t\"}"));
    LanesApi api = new LanesApi(base, "demo-token");
    String body = "{\"program_id\":\"sampler\",\"backend\":\"bench\",\"params\":{\"pubs\":[{\"circuit\":"
        + "{\"num_qubits\":2,\"depth\":1,\"circuits\":3}}]}}";

    assertEquals("job-7", api.submitToSession("s-1", body));
    LanesApiException closed = assertThrows(LanesApiException.class, () -> api.submitToSession("s-1", body));

    JsonNode sent = new com.fasterxml.jackson.databind.ObjectMapper().readTree(seen.get(0).body());
    assertEquals("s-1", sent.get("session_id").asText());
    assertEquals("sampler", sent.get("program_id").asText());
    assertEquals(3, sent.at("/params/pubs/0/circuit/circuits").asInt());
    assertEquals("POST", seen.get(0).method());
    assertEquals(409, closed.status());
    assertEquals("session s-1 is not accepting jobs", closed.getMessage());
    assertThrows(IllegalArgumentException.class, () -> api.submitToSession("s-1", "[1]"));
    assertThrows(IllegalArgumentException.class, () -> api.submitToSession("s-1", "{not json"));
    assertEquals(2, seen.size(), "a body that is not a JSON object is not sent");
  }

  @Test
  void waitForFinalPollsWithGrowingPausesUntilTheJobIsFinal() throws Exception {
    on("/api/v1/jobs/j1", new Answer(200, job("j1", "Queued")), new Answer(200, job("j1", "Queued")),
        new Answer(200, job("j1", "Running")), new Answer(200, job("j1", "Completed")));
    LanesApi api = new LanesApi(base, "demo-token");

    JsonNode done = api.waitForFinal("j1", Duration.ofSeconds(10));

    assertEquals("Completed", done.get("status").asText());
    assertEquals(4, seen.size());
    // back-off: ~50 ms, ~75 ms, ~112 ms between polls (allowing for timer slack below, not above)
    long[] gaps = new long[3];
    for (int i = 0; i < 3; i++) {
      gaps[i] = Duration.ofNanos(seen.get(i + 1).atNanos() - seen.get(i).atNanos()).toMillis();
    }
    assertTrue(gaps[0] >= 45, "first pause " + gaps[0] + " ms");
    assertTrue(gaps[1] >= 70, "second pause " + gaps[1] + " ms");
    assertTrue(gaps[2] >= 105, "third pause " + gaps[2] + " ms");
    // keep-alive: every poll went over one connection
    Set<Integer> ports = new HashSet<>();
    seen.forEach(s -> ports.add(s.remotePort()));
    assertEquals(1, ports.size(), "connections used: " + ports);
  }

  @Test
  void waitForFinalGivesUpAfterTheTimeout() {
    on("/api/v1/jobs/j1", new Answer(200, job("j1", "Running")));
    LanesApi api = new LanesApi(base, "demo-token");

    long t0 = System.nanoTime();
    TimeoutException e = assertThrows(TimeoutException.class, () -> api.waitForFinal("j1", Duration.ofMillis(300)));
    long took = Duration.ofNanos(System.nanoTime() - t0).toMillis();

    assertTrue(e.getMessage().contains("Running"), e.getMessage());
    assertTrue(took >= 300 && took < 2000, "took " + took + " ms");
    assertTrue(seen.size() >= 3 && seen.size() <= 6, "polls: " + seen.size());
  }

  @Test
  void waitForFinalReportsServerErrors() {
    LanesApi api = new LanesApi(base, "demo-token");
    LanesApiException e = assertThrows(LanesApiException.class, () -> api.waitForFinal("missing", Duration.ofSeconds(1)));
    assertEquals(404, e.status());
    assertTrue(e.getMessage().contains("no such path"), e.getMessage());
  }

  @Test
  void finalStatusesAreRecognised() throws Exception {
    var m = new com.fasterxml.jackson.databind.ObjectMapper();
    for (String s : List.of("Completed", "Failed", "Cancelled")) {
      assertTrue(LanesApi.isFinal(m.readTree(job("x", s))), s);
    }
    for (String s : List.of("Queued", "Running")) {
      assertFalse(LanesApi.isFinal(m.readTree(job("x", s))), s);
    }
  }
}
