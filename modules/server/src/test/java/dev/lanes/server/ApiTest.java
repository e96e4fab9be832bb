package dev.lanes.server;

import static dev.lanes.server.TestNodes.A;
import static dev.lanes.server.TestNodes.B;
import static dev.lanes.server.TestNodes.awaitJob;
import static dev.lanes.server.TestNodes.descriptorJob;
import static dev.lanes.server.TestNodes.get;
import static dev.lanes.server.TestNodes.json;
import static dev.lanes.server.TestNodes.post;
import static dev.lanes.server.TestNodes.send;
import static dev.lanes.server.TestNodes.status;
import static dev.lanes.server.TestNodes.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP API v1 through the real stack: H2 storage, actors, routes, on an ephemeral port. */
class ApiTest {
  static Main.Node node;
  static int port;

  static final String BELL = "\"OPENQASM 2.0;\\ninclude \\\"qelib1.inc\\\";\\nqreg q[2];\\ncreg meas[2];\\n"
      + "h q[0];\\ncx q[0],q[1];\\nmeasure q -> meas;\"";

  @BeforeAll
  static void start() throws Exception {
    node = Main.Node.start(TestNodes.parse(TestNodes.tempDir(), 0));
    port = node.port();
  }

  @AfterAll
  static void stop() throws Exception {
    node.stop();
  }

  private static HttpResponse<String> submitRaw(String token, String body) throws Exception {
    return send(post(port, "/api/v1/jobs", token, body));
  }

  private static void assertError(HttpResponse<String> r, int status, String mustMention) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    JsonNode e = json(r);
    String message = e.path("errors").path(0).path("message").asText();
    assertTrue(message.contains(mustMention), "error message '" + message + "' should mention '" + mustMention + "'");
    assertTrue(e.path("errors").path(0).has("code"));
    assertTrue(e.has("trace"));
  }

  @Test
  void aBellCircuitRunsToCompletionWithRealCountsUsageAndMetrics() throws Exception {
    // R2, R3, R25, R28 end to end; results per api.md
    String id = submit(port, "alice-token", TestNodes.job("fast", BELL, 2000));
    JsonNode done = awaitJob(port, "alice-token", id, TestNodes::isFinal, Duration.ofSeconds(20));
    assertEquals("Completed", done.path("state").path("status").asText(), done.toString());
    JsonNode results = json(send(get(port, "/api/v1/jobs/" + id + "/results", "alice-token")));
    JsonNode counts = results.path("results").path(0).path("data").path("meas").path("counts");
    Set<String> keys = new HashSet<>();
    counts.fieldNames().forEachRemaining(keys::add);
    assertEquals(Set.of("00", "11"), keys);
    assertEquals(2000, counts.get("00").asInt() + counts.get("11").asInt());
    JsonNode metrics = json(send(get(port, "/api/v1/jobs/" + id + "/metrics", "alice-token")));
    assertEquals("complete", metrics.path("usage").path("status").asText());
    double quantum = metrics.path("usage").path("quantum_seconds").asDouble();
    assertTrue(quantum > 0.02, "quantum time includes the 20 ms job overhead: " + quantum);
    assertTrue(metrics.path("lane").asInt() >= 0);
    assertTrue(metrics.path("timestamps").path("running").asText().endsWith("Z"));
    JsonNode usage = json(send(get(port, "/api/v1/instances/usage", "alice-token")));
    assertTrue(usage.path("usage_consumed_seconds").asDouble() >= quantum);
    assertEquals(A, usage.path("instance_id").asText());
  }

  @Test
  void backendsListStatusAndConfiguration() throws Exception {
    JsonNode devices = json(send(get(port, "/api/v1/backends", "alice-token"))).path("devices");
    assertEquals(7, devices.size()); // every backend TestNodes configures
    assertEquals(2, devices.path(0).path("lanes").asInt());
    JsonNode st = json(send(get(port, "/api/v1/backends/fast/status", "alice-token")));
    assertTrue(st.path("state").asBoolean());
    assertEquals("active", st.path("status").asText());
    JsonNode conf = json(send(get(port, "/api/v1/backends/fast/configuration", "alice-token")));
    assertEquals(30, conf.path("n_qubits").asInt());
    assertError(send(get(port, "/api/v1/backends/nope/status", "alice-token")), 404, "nope");
  }

  @Test
  void authenticationAndInstanceIsolation() throws Exception {
    // api.md Conventions: 401 unknown/missing token, 403 instance not held, 404 for others' jobs.
    HttpRequest.Builder anonymous = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/jobs")).GET();
    assertError(send(anonymous), 401, "Authorization");
    assertError(send(get(port, "/api/v1/jobs", "wrong")), 401, "invalid token");
    assertError(send(get(port, "/api/v1/jobs", "alice-token").header("Service-CRN", B)), 403, B);
    assertError(send(get(port, "/api/v1/jobs", "both-token")), 400, "Service-CRN");
    // The same answers for POST /jobs, which the server handles without the routing DSL.
    assertError(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/jobs"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(descriptorJob("fast")))),
        401, "Authorization");
    assertError(submitRaw("wrong", descriptorJob("fast")), 401, "invalid token");
    assertError(send(post(port, "/api/v1/jobs", "alice-token", descriptorJob("fast")).header("Service-CRN", B)), 403, B);
    assertError(submitRaw("both-token", descriptorJob("fast")), 400, "Service-CRN");
    String id = submit(port, "alice-token", descriptorJob("fast"));
    assertError(send(get(port, "/api/v1/jobs/" + id, "bob-token")), 404, "job not found");
    assertError(send(post(port, "/api/v1/jobs/" + id + "/cancel", "bob-token", "")), 404, "job not found");
    assertEquals(200, send(get(port, "/api/v1/jobs/" + id, "both-token").header("Service-CRN", A)).statusCode());
    assertEquals(200, send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/alive"))).statusCode());
    assertEquals(200, send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/versions"))).statusCode());
  }

  @Test
  void aBodyDeclaredSlightlyOverTheLimitIsReadBeforeThe413SoTheConnectionIsNotResetUnderTheClient() throws Exception {
    // R4. The server used to answer while the client was still writing and close the connection
    // with the body unread; the client then sometimes read a reset instead of the 413 (about one CI
    // run in six). Now it drains a body up to 1 MiB past the limit first: the connection stays open.
    String big = TestNodes.with(descriptorJob("fast"), "\"pad\":\"" + "x".repeat(200 * 1024) + "\"");
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = submitRaw("bob-token", big);
      assertError(r, 413, "jobs.max-payload");
      assertTrue(r.headers().firstValue("connection").isEmpty(), "413 closed the connection: " + r.headers().map());
    }
    // The same without a Content-Length (chunked): the limit is found while reading, the rest drained.
    HttpResponse<String> chunked = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/jobs"))
        .header("Authorization", "Bearer bob-token").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes()))));
    assertError(chunked, 413, "jobs.max-payload");
    assertTrue(chunked.headers().firstValue("connection").isEmpty(), "413 closed the connection: " + chunked.headers().map());
  }

  @Test
  void badInputIsA4xxThatNamesTheFieldOrLimitAndCreatesNothing() throws Exception {
    // R4
    int before = json(send(get(port, "/api/v1/jobs?limit=1", "bob-token"))).path("count").asInt();
    assertError(submitRaw("bob-token", "{not json"), 400, "not valid JSON");
    assertError(submitRaw("bob-token", "[]"), 400, "body");
    assertError(submitRaw("bob-token", descriptorJob("nope")), 404, "backend not found");
    assertError(submitRaw("bob-token", descriptorJob("fast").replace("sampler", "qaoa")), 404, "program not found");
    assertError(submitRaw("bob-token", TestNodes.job("fast", "\"OPENQASM 2.0;\\nqreg q[2];\\nfoo q[0];\"", 10)),
        400, "line 3");
    assertError(submitRaw("bob-token", TestNodes.job("fast", "\"OPENQASM 2.0;\\nqreg q[25];\"", 10)), 400, "24");
    assertError(submitRaw("bob-token", TestNodes.job("fast", "{\"num_qubits\":31,\"depth\":1}", 10)), 400, "wider");
    assertError(submitRaw("bob-token", TestNodes.job("fast", "{\"num_qubits\":2,\"depth\":1,\"circuits\":1000}", 5000)),
        400, "jobs.max-executions");
    assertError(submitRaw("bob-token", TestNodes.job("fast", "{\"num_qubits\":2,\"depth\":1}", 0)), 400, "shots");
    assertError(submitRaw("bob-token", TestNodes.job("fast", "{\"num_qubits\":\"two\",\"depth\":1}", 1)), 400, "num_qubits");
    assertError(submitRaw("bob-token", TestNodes.with(descriptorJob("fast"), "\"tags\":[1,2]")), 400, "tags");
    assertError(submitRaw("bob-token", TestNodes.with(descriptorJob("fast"),
        "\"tags\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\"]")), 400, "jobs.max-tags");
    assertError(submitRaw("bob-token", TestNodes.with(descriptorJob("fast"), "\"cost\":-5")), 400, "cost");
    assertError(submitRaw("bob-token", "{\"program_id\":\"sampler\",\"backend\":\"fast\",\"params\":{\"pubs\":7}}"),
        400, "params.pubs");
    assertError(submitRaw("bob-token", "{\"program_id\":\"sampler\",\"backend\":\"fast\",\"params\":{\"pubs\":[{\"circuit\":{\"num_qubits\":1,\"depth\":1}}, 5]}}"),
        400, "params.pubs[1]");
    String big = TestNodes.with(descriptorJob("fast"), "\"pad\":\"" + "x".repeat(70 * 1024) + "\"");
    assertError(submitRaw("bob-token", big), 413, "jobs.max-payload");
    // Without a Content-Length (chunked), the limit is enforced while reading.
    assertError(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/jobs"))
        .header("Authorization", "Bearer bob-token").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes())))),
        413, "jobs.max-payload");
    HttpResponse<String> wrongType = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/jobs"))
        .header("Authorization", "Bearer bob-token").header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString(descriptorJob("fast"))));
    assertError(wrongType, 415, "application/json");
    assertError(send(get(port, "/api/v1/jobs?limit=0", "bob-token")), 400, "limit");
    assertError(send(get(port, "/api/v1/jobs?limit=x", "bob-token")), 400, "limit");
    assertError(send(get(port, "/api/v1/jobs?offset=-1", "bob-token")), 400, "offset");
    assertError(send(get(port, "/api/v1/jobs?created_after=yesterday", "bob-token")), 400, "created_after");
    assertError(send(get(port, "/api/v1/jobs?session_id=s1", "bob-token")), 404, "session");
    assertError(send(get(port, "/api/v1/no-such-thing", "bob-token")), 404, "no such path");
    assertEquals(before, json(send(get(port, "/api/v1/jobs?limit=1", "bob-token"))).path("count").asInt(),
        "a refused request created a job");
  }

  @Test
  void aRetriedPostWithTheSameIdempotencyKeyReturnsTheFirstAnswer() throws Exception {
    // api.md: Idempotency-Key on POST /jobs
    HttpRequest.Builder req = post(port, "/api/v1/jobs", "alice-token", descriptorJob("fast"))
        .header("Idempotency-Key", "retry-1");
    String first = json(send(req)).get("id").asText();
    String second = json(send(post(port, "/api/v1/jobs", "alice-token", descriptorJob("fast"))
        .header("Idempotency-Key", "retry-1"))).get("id").asText();
    assertEquals(first, second);
    String other = json(send(post(port, "/api/v1/jobs", "bob-token", descriptorJob("fast"))
        .header("Idempotency-Key", "retry-1"))).get("id").asText();
    assertNotEquals(first, other, "keys are per instance");
  }

  @Test
  void queuedJobsShowTheirPositionAndCanBeCancelledRunningOnesToo() throws Exception {
    // R28 cancel in Queued and Running; api.md queue_position; admin pause/online
    assertError(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/admin/backends/slow"))
        .header("Authorization", "Bearer alice-token").header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"status\":\"paused\"}"))), 403, "admin");
    String r1 = submit(port, "alice-token", descriptorJob("slow"));
    String r2 = submit(port, "alice-token", descriptorJob("slow"));
    awaitJob(port, "alice-token", r1, status("Running"), Duration.ofSeconds(10));
    awaitJob(port, "alice-token", r2, status("Running"), Duration.ofSeconds(10));
    String q1 = submit(port, "alice-token", descriptorJob("slow"));
    String q2 = submit(port, "alice-token", descriptorJob("slow"));
    assertEquals(1, json(send(get(port, "/api/v1/jobs/" + q1, "alice-token"))).path("queue_position").asInt());
    assertEquals(2, json(send(get(port, "/api/v1/jobs/" + q2, "alice-token"))).path("queue_position").asInt());

    assertEquals(204, send(post(port, "/api/v1/jobs/" + q1 + "/cancel", "alice-token", "")).statusCode());
    assertEquals("Cancelled", json(send(get(port, "/api/v1/jobs/" + q1, "alice-token"))).path("state").path("status").asText());
    assertEquals(1, json(send(get(port, "/api/v1/jobs/" + q2, "alice-token"))).path("queue_position").asInt());
    assertEquals(409, send(post(port, "/api/v1/jobs/" + q1 + "/cancel", "alice-token", "")).statusCode());

    assertEquals(204, send(post(port, "/api/v1/jobs/" + r1 + "/cancel", "alice-token", "")).statusCode());
    JsonNode cancelled = json(send(get(port, "/api/v1/jobs/" + r1, "alice-token")));
    assertEquals("Cancelled", cancelled.path("state").path("status").asText());
    assertEquals(0.0, cancelled.path("usage").path("quantum_seconds").asDouble(), "stopped before the QPU (R25)");
    awaitJob(port, "alice-token", q2, status("Running"), Duration.ofSeconds(10)); // the freed lane refills (R7)
    for (String id : new String[] {r2, q2}) {
      send(post(port, "/api/v1/jobs/" + id + "/cancel", "alice-token", ""));
    }
  }

  @Test
  void anAdminPausesABackendQueuedJobsWaitThenOnlineStartsThem() throws Exception {
    // api.md admin PATCH: paused → running jobs finish, nothing new starts.
    assertEquals(204, send(patch("admin-token", "/api/v1/admin/backends/fast", "{\"status\":\"paused\"}")).statusCode());
    try {
      JsonNode st = json(send(get(port, "/api/v1/backends/fast/status", "alice-token")));
      assertEquals("paused", st.path("status").asText());
      String id = submit(port, "alice-token", descriptorJob("fast"));
      assertEquals(1, json(send(get(port, "/api/v1/jobs/" + id, "alice-token"))).path("queue_position").asInt());
      assertError(send(patch("admin-token", "/api/v1/admin/backends/fast", "{\"status\":\"sleeping\"}")), 400, "status");
      assertEquals(204, send(patch("admin-token", "/api/v1/admin/backends/fast", "{\"status\":\"online\"}")).statusCode());
      awaitJob(port, "alice-token", id, status("Completed"), Duration.ofSeconds(20));
    } finally {
      send(patch("admin-token", "/api/v1/admin/backends/fast", "{\"status\":\"online\"}"));
    }
  }

  private static HttpRequest.Builder patch(String token, String path, String json) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(json));
  }

  @Test
  void onlyFinalJobsCanBeDeletedAndThenTheyAreGone() throws Exception {
    // R28
    String id = submit(port, "alice-token", descriptorJob("slow"));
    assertError(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/jobs/" + id))
        .header("Authorization", "Bearer alice-token").DELETE()), 409, "final");
    send(post(port, "/api/v1/jobs/" + id + "/cancel", "alice-token", ""));
    assertEquals(204, send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/jobs/" + id))
        .header("Authorization", "Bearer alice-token").DELETE()).statusCode());
    assertEquals(404, send(get(port, "/api/v1/jobs/" + id, "alice-token")).statusCode());
  }

  @Test
  void aJobPastItsCostIsCancelledWith1305AndChargedTheLimit() throws Exception {
    // R28: 1000 shots × depth 3000 × 1 µs layer time = 3 s of quantum time; cost 1 s.
    String id = submit(port, "alice-token", TestNodes.with(
        TestNodes.job("fast", "{\"num_qubits\":2,\"depth\":3000}", 1000), "\"cost\":1"));
    JsonNode done = awaitJob(port, "alice-token", id, TestNodes::isFinal, Duration.ofSeconds(20));
    assertEquals("Cancelled", done.path("state").path("status").asText());
    assertEquals(1305, done.path("state").path("reason_code").asInt());
    assertEquals(1.0, done.path("usage").path("quantum_seconds").asDouble(), 1e-9);
  }

  @Test
  void listFiltersPagesAndSorts() throws Exception {
    String t1 = submit(port, "bob-token", TestNodes.with(descriptorJob("fast"), "\"tags\":[\"exp-7\"]"));
    String t2 = submit(port, "bob-token", TestNodes.with(descriptorJob("fast"), "\"tags\":[\"exp-7\",\"x\"]"));
    JsonNode page = json(send(get(port, "/api/v1/jobs?tags=exp-7&sort=ASC&exclude_params=true", "bob-token")));
    assertEquals(2, page.path("count").asInt());
    assertEquals(t1, page.path("jobs").path(0).path("id").asText());
    assertTrue(page.path("jobs").path(0).path("params").isMissingNode());
    JsonNode both = json(send(get(port, "/api/v1/jobs?tags=exp-7&tags=x", "bob-token")));
    assertEquals(1, both.path("count").asInt());
    assertEquals(t2, both.path("jobs").path(0).path("id").asText());
    assertTrue(both.path("jobs").path(0).path("params").has("pubs"));
    JsonNode paged = json(send(get(port, "/api/v1/jobs?tags=exp-7&limit=1&offset=1", "bob-token")));
    assertEquals(1, paged.path("jobs").size());
    assertEquals(t1, paged.path("jobs").path(0).path("id").asText(), "default sort is newest first");
    assertEquals(0, json(send(get(port, "/api/v1/jobs?backend=slow&tags=exp-7", "bob-token"))).path("count").asInt());
  }
}
