package dev.lanes.server;

import static dev.lanes.server.TestNodes.A;
import static dev.lanes.server.TestNodes.awaitJob;
import static dev.lanes.server.TestNodes.awaitSession;
import static dev.lanes.server.TestNodes.delete;
import static dev.lanes.server.TestNodes.descriptorJob;
import static dev.lanes.server.TestNodes.get;
import static dev.lanes.server.TestNodes.json;
import static dev.lanes.server.TestNodes.metrics;
import static dev.lanes.server.TestNodes.openSession;
import static dev.lanes.server.TestNodes.patch;
import static dev.lanes.server.TestNodes.post;
import static dev.lanes.server.TestNodes.send;
import static dev.lanes.server.TestNodes.session;
import static dev.lanes.server.TestNodes.status;
import static dev.lanes.server.TestNodes.submit;
import static dev.lanes.server.TestNodes.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sessions and batches end to end (R10–R23, R26) through HTTP on a real node. Each scenario has
 * its own backend, so scenarios cannot hold each other's lanes. Assertions are on states and on
 * the order of server-side timestamps, never on how long something took.
 */
class SessionApiTest {
  static Main.Node node;
  static int port;
  static final Duration WAIT = Duration.ofSeconds(30);

  @BeforeAll
  static void start() throws Exception {
    node = Main.Node.start(TestNodes.parse(TestNodes.tempDir(), 0));
    port = node.port();
  }

  @AfterAll
  static void stop() throws Exception {
    node.stop();
  }

  private static String inSession(String body, String sessionId) {
    return with(body, "\"session_id\":\"" + sessionId + "\"");
  }

  private static Instant at(JsonNode metrics, String field) {
    return Instant.parse(metrics.path("timestamps").path(field).asText());
  }

  private static void assertError(HttpResponse<String> r, int status, String mustMention) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    String message = json(r).path("errors").path(0).path("message").asText();
    assertTrue(message.contains(mustMention), "error message '" + message + "' should mention '" + mustMention + "'");
  }

  @Test
  void theFaqLaneExampleStartsThreeBatchJobsThenTheRestAheadOfOthers() throws Exception {
    // R19, R5b, R7, R6 — the FAQ: 5 lanes, 2 held by another user's long jobs, a batch of 6.
    List<String> bobLong = List.of(submit(port, "bob-token", descriptorJob("five", 60)),
        submit(port, "bob-token", descriptorJob("five", 60)));
    List<String> bobShort = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      bobShort.add(submit(port, "bob-token", descriptorJob("five", 20)));
    }
    for (String id : bobShort) {
      awaitJob(port, "bob-token", id, status("Running"), WAIT); // all 5 lanes busy
    }
    String batch = openSession(port, "alice-token", "batch", "five", "");
    List<String> batchJobs = new ArrayList<>();
    batchJobs.add(submit(port, "alice-token", inSession(descriptorJob("five", 10), batch)));
    // Bob queues two jobs after the batch's first and before the rest of the batch.
    List<String> bobQueued = List.of(submit(port, "bob-token", descriptorJob("five", 1)),
        submit(port, "bob-token", descriptorJob("five", 1)));
    for (int i = 0; i < 5; i++) {
      batchJobs.add(submit(port, "alice-token", inSession(descriptorJob("five", 10), batch)));
    }
    for (String id : batchJobs) {
      awaitJob(port, "alice-token", id, status("Completed"), WAIT);
    }
    for (String id : bobQueued) {
      awaitJob(port, "bob-token", id, status("Completed"), WAIT);
    }
    for (String id : bobLong) {
      awaitJob(port, "bob-token", id, status("Completed"), WAIT);
    }
    List<JsonNode> b = new ArrayList<>();
    for (String id : batchJobs) {
      b.add(metrics(port, "alice-token", id));
    }
    b.sort(Comparator.comparing(m -> at(m, "running")));
    Instant firstBatchEnd = b.stream().map(m -> at(m, "finished")).min(Instant::compareTo).orElseThrow();
    // Three lanes freed as Bob's short jobs ended: exactly 3 batch jobs started then…
    for (int i = 0; i < 3; i++) {
      assertTrue(at(b.get(i), "running").isBefore(firstBatchEnd), "batch job " + i + " started with the first lanes");
    }
    // …and the other 3 only as batch lanes freed (Bob's long jobs still held theirs).
    for (int i = 3; i < 6; i++) {
      assertFalse(at(b.get(i), "running").isBefore(firstBatchEnd), "batch job " + i + " waited for a lane");
    }
    Instant lastBatchStart = at(b.get(5), "running");
    for (String id : bobQueued) {
      Instant running = at(metrics(port, "bob-token", id), "running");
      assertFalse(running.isBefore(lastBatchStart), "R5b: Bob's earlier-queued job jumped by the batch");
    }
    for (String id : bobLong) {
      Instant longEnd = at(metrics(port, "bob-token", id), "finished");
      assertTrue(lastBatchStart.isBefore(longEnd), "the batch filled lanes beside other users' jobs (no exclusivity)");
    }
    JsonNode s = session(port, "alice-token", batch);
    assertEquals("batch", s.path("mode").asText());
    // R25: a batch's usage is the quantum time of its jobs
    double quantum = 0;
    for (JsonNode m : b) {
      quantum += m.path("usage").path("quantum_seconds").asDouble();
    }
    assertEquals(quantum, s.path("elapsed_time").asDouble(), 1e-6);
  }

  @Test
  void aDedicatedSessionHoldsTheBackendAgainstOtherInstancesUntilItCloses() throws Exception {
    // R10, R16, R17, R7, R14, R26
    double usageBefore = json(send(get(port, "/api/v1/instances/usage", "alice-token"))).path("usage_consumed_seconds").asDouble();
    String sid = openSession(port, "alice-token", "dedicated", "excl", "");
    JsonNode opened = session(port, "alice-token", sid);
    assertEquals("open", opened.path("state").asText());
    assertEquals(opened.path("max_ttl").asDouble(), opened.path("active_ttl").asDouble(), 1e-9);
    String first = submit(port, "alice-token", inSession(descriptorJob("excl", 5), sid));
    awaitJob(port, "alice-token", first, status("Running"), WAIT);
    // the session hears of the start just after the job records it
    awaitSession(port, "alice-token", sid, j -> j.path("state").asText().equals("active"), WAIT);
    String bobs = submit(port, "bob-token", descriptorJob("excl", 1));
    awaitJob(port, "alice-token", first, status("Completed"), WAIT);
    // Two lanes were free all along, and the session is idle in its interactive TTL: Bob waits.
    JsonNode backend = json(send(get(port, "/api/v1/backends/excl/status", "bob-token")));
    assertEquals("session", backend.path("holder").path("kind").asText());
    assertEquals(sid, backend.path("holder").path("id").asText());
    List<String> parallel = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      parallel.add(submit(port, "alice-token", inSession(descriptorJob("excl", 5), sid)));
    }
    for (String id : parallel) {
      awaitJob(port, "alice-token", id, status("Completed"), WAIT);
    }
    // R16: the session's jobs ran side by side on all three lanes
    Instant lastStart = parallel.stream().map(id -> at(metricsOf(id), "running")).max(Instant::compareTo).orElseThrow();
    Instant firstEnd = parallel.stream().map(id -> at(metricsOf(id), "finished")).min(Instant::compareTo).orElseThrow();
    assertTrue(lastStart.isBefore(firstEnd), "R16: the session's jobs ran in parallel");
    assertEquals("Queued", json(send(get(port, "/api/v1/jobs/" + bobs, "bob-token"))).path("state").path("status").asText(),
        "R17: another instance's job started while the session held the backend");
    assertEquals(204, send(patch(port, "/api/v1/sessions/" + sid, "alice-token", "{\"accepting_jobs\":false}")).statusCode());
    // closed, and it has heard that its last job ended (until then it is still committed, R26)
    JsonNode closed = awaitSession(port, "alice-token", sid, j -> j.path("state").asText().equals("closed")
        && j.path("jobs").path("running").asInt() == 0, WAIT);
    assertFalse(closed.path("accepting_jobs").asBoolean());
    awaitJob(port, "bob-token", bobs, status("Completed"), WAIT);
    assertTrue(at(metrics(port, "bob-token", bobs), "running").isAfter(Instant.parse(closed.path("closed_at").asText()))
        || at(metrics(port, "bob-token", bobs), "running").equals(Instant.parse(closed.path("closed_at").asText())));
    // R26: charged the committed wall-clock time (first start → close), not the jobs' quantum time
    double elapsed = closed.path("elapsed_time").asDouble();
    double span = Duration.between(Instant.parse(closed.path("started_at").asText()),
        Instant.parse(closed.path("closed_at").asText())).toNanos() / 1e9;
    assertEquals(span, elapsed, 1e-3, closed.toString());
    JsonNode usage = awaitUsage("alice-token", usageBefore + elapsed);
    // …and its jobs' quantum time is not charged on top (the instance ran nothing else meanwhile)
    assertEquals(usageBefore + elapsed, usage.path("usage_consumed_seconds").asDouble(), 1e-6);
    List<String> stamps = new ArrayList<>();
    closed.path("timestamps").forEach(t -> stamps.add(t.path("status").asText()));
    assertEquals(List.of("open", "active", "closed"), stamps);
    assertError(send(post(port, "/api/v1/jobs", "alice-token", inSession(descriptorJob("excl", 1), sid))), 409, "closed");
  }

  private static JsonNode metricsOf(String id) {
    try {
      return metrics(port, "alice-token", id);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The ledger hears of a session's charge just after it closes: wait until it has. */
  private static JsonNode awaitUsage(String token, double atLeast) throws Exception {
    Instant deadline = Instant.now().plus(WAIT);
    JsonNode u = null;
    while (Instant.now().isBefore(deadline)) {
      u = json(send(get(port, "/api/v1/instances/usage", token)));
      if (u.path("usage_consumed_seconds").asDouble() >= atLeast - 1e-9) {
        return u;
      }
      Thread.sleep(20); // polling interval, not an assertion
    }
    throw new AssertionError("usage never reached " + atLeast + ": " + u);
  }

  @Test
  void cancelEndsQueuedJobsAtOnceWhileCloseLetsThemRun() throws Exception {
    // R15 vs R14 (batch mode; R22 close and cancel work as for sessions)
    String cancelled = openSession(port, "alice-token", "batch", "cc", "");
    List<String> c = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      c.add(submit(port, "alice-token", inSession(descriptorJob("cc", 10), cancelled)));
    }
    awaitJob(port, "alice-token", c.get(0), status("Running"), WAIT);
    awaitJob(port, "alice-token", c.get(1), status("Running"), WAIT);
    assertEquals(204, send(delete(port, "/api/v1/sessions/" + cancelled + "/close", "alice-token")).statusCode());
    JsonNode s = session(port, "alice-token", cancelled);
    assertEquals("closed", s.path("state").asText());
    for (int i = 2; i < 4; i++) {
      JsonNode j = awaitJob(port, "alice-token", c.get(i), status("Cancelled"), WAIT);
      assertTrue(j.path("state").path("reason").asText().contains("cancelled"), j.toString());
      assertEquals(0.0, j.path("usage").path("quantum_seconds").asDouble());
    }
    awaitJob(port, "alice-token", c.get(0), status("Completed"), WAIT);
    awaitJob(port, "alice-token", c.get(1), status("Completed"), WAIT);
    assertError(send(post(port, "/api/v1/jobs", "alice-token", inSession(descriptorJob("cc", 1), cancelled))), 409, "closed");

    String closing = openSession(port, "alice-token", "batch", "cc", "");
    List<String> k = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      k.add(submit(port, "alice-token", inSession(descriptorJob("cc", 10), closing)));
    }
    assertEquals(204, send(patch(port, "/api/v1/sessions/" + closing, "alice-token", "{\"accepting_jobs\":false}")).statusCode());
    JsonNode notAccepting = session(port, "alice-token", closing);
    assertFalse(notAccepting.path("accepting_jobs").asBoolean());
    assertFalse(notAccepting.path("state").asText().equals("closed"), "R14: closes only once its jobs are done");
    assertError(send(post(port, "/api/v1/jobs", "alice-token", inSession(descriptorJob("cc", 1), closing))), 409, "not accepting");
    Instant lastEnd = Instant.EPOCH;
    for (String id : k) {
      awaitJob(port, "alice-token", id, status("Completed"), WAIT);
      Instant end = at(metrics(port, "alice-token", id), "finished");
      lastEnd = end.isAfter(lastEnd) ? end : lastEnd;
    }
    JsonNode closed = awaitSession(port, "alice-token", closing, j -> j.path("state").asText().equals("closed"), WAIT);
    // closed as soon as the last job ended, not an interactive TTL later
    assertEquals(lastEnd, Instant.parse(closed.path("closed_at").asText()));
  }

  @Test
  void maxTtlFailsQueuedJobsNamingTheLimitAndLetsTheRunningOneFinish() throws Exception {
    // R12
    String sid = openSession(port, "alice-token", "dedicated", "ttl", "\"max_ttl\":1");
    String running = submit(port, "alice-token", inSession(descriptorJob("ttl", 20), sid));
    List<String> queued = List.of(submit(port, "alice-token", inSession(descriptorJob("ttl", 1), sid)),
        submit(port, "alice-token", inSession(descriptorJob("ttl", 1), sid)));
    for (String id : queued) {
      JsonNode j = awaitJob(port, "alice-token", id, status("Failed"), WAIT);
      assertTrue(j.path("state").path("reason").asText().contains("max TTL of 1 s"), j.toString());
    }
    JsonNode s = session(port, "alice-token", sid);
    assertEquals("closed", s.path("state").asText());
    assertTrue(s.path("state_reason").asText().contains("max TTL"), s.toString());
    assertEquals(Instant.parse(s.path("started_at").asText()).plusSeconds(1), Instant.parse(s.path("closed_at").asText()));
    awaitJob(port, "alice-token", running, status("Completed"), WAIT);
    // R26: still committed (and charged) until the running job ended after the close
    JsonNode after = awaitSession(port, "alice-token", sid, j -> j.path("last_job_completed").isTextual(), WAIT);
    double span = Duration.between(Instant.parse(after.path("started_at").asText()),
        Instant.parse(after.path("last_job_completed").asText())).toNanos() / 1e9;
    assertEquals(span, after.path("elapsed_time").asDouble(), 1e-3);
    assertTrue(span > 1.0);
  }

  @Test
  void badCreatesAreRefusedWithTheFieldNamed() throws Exception {
    // api.md: 400 bad mode / max_ttl, 404 unknown backend, 403 plan without dedicated sessions
    assertError(send(post(port, "/api/v1/sessions", "alice-token", "{\"mode\":\"exclusive\",\"backend\":\"fast\"}")), 400, "mode");
    assertError(send(post(port, "/api/v1/sessions", "alice-token", "{\"backend\":\"fast\"}")), 400, "mode");
    assertError(send(post(port, "/api/v1/sessions", "alice-token", "{\"mode\":\"batch\"}")), 400, "backend");
    assertError(send(post(port, "/api/v1/sessions", "alice-token", "{\"mode\":\"batch\",\"backend\":\"nope\"}")), 404, "backend");
    for (String ttl : List.of("0", "-5", "28801", "1.5", "\"1h\"", "99999999999999999999")) {
      assertError(send(post(port, "/api/v1/sessions", "alice-token",
          "{\"mode\":\"dedicated\",\"backend\":\"fast\",\"max_ttl\":" + ttl + "}")), 400, "max_ttl");
    }
    assertError(send(post(port, "/api/v1/sessions", "open-token", "{\"mode\":\"dedicated\",\"backend\":\"fast\"}")), 403, "dedicated");
    String batch = openSession(port, "open-token", "batch", "fast", "\"max_ttl\":28800");
    assertEquals(28800, session(port, "open-token", batch).path("max_ttl").asLong());
    assertError(send(post(port, "/api/v1/sessions", "alice-token",
        "{\"mode\":\"batch\",\"backend\":\"fast\",\"instance\":\"" + TestNodes.B + "\"}")), 403, "instance");
    assertEquals(415, send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/sessions"))
        .header("Authorization", "Bearer alice-token").header("Content-Type", "text/plain")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))).statusCode());
  }

  @Test
  void sessionsOfOtherInstancesAreInvisibleAndUnknownOnesAre404() throws Exception {
    // api.md: other instances' objects are 404, never 403
    String sid = openSession(port, "alice-token", "batch", "fast", "");
    assertEquals(404, send(get(port, "/api/v1/sessions/" + sid, "bob-token")).statusCode());
    assertEquals(404, send(patch(port, "/api/v1/sessions/" + sid, "bob-token", "{\"accepting_jobs\":false}")).statusCode());
    assertEquals(404, send(delete(port, "/api/v1/sessions/" + sid + "/close", "bob-token")).statusCode());
    assertError(send(post(port, "/api/v1/jobs", "bob-token", inSession(descriptorJob("fast"), sid))), 404, "session");
    assertEquals(404, send(get(port, "/api/v1/jobs?session_id=" + sid, "bob-token")).statusCode());
    assertEquals(404, send(get(port, "/api/v1/sessions/no-such-session", "alice-token")).statusCode());
    assertError(send(post(port, "/api/v1/jobs", "alice-token", inSession(descriptorJob("fast"), "no-such"))), 404, "session");
    assertError(send(post(port, "/api/v1/jobs", "alice-token", inSession(descriptorJob("slow"), sid))), 400, "backend");
    assertError(send(patch(port, "/api/v1/sessions/" + sid, "alice-token", "{\"accepting_jobs\":true}")), 400, "accepting_jobs");
    assertError(send(patch(port, "/api/v1/sessions/" + sid, "alice-token", "{}")), 400, "accepting_jobs");
    JsonNode list = json(send(get(port, "/api/v1/sessions?mode=batch&backend=fast", "bob-token")));
    list.path("sessions").forEach(s -> assertFalse(s.path("id").asText().equals(sid)));
    assertError(send(get(port, "/api/v1/sessions?state=sleeping", "alice-token")), 400, "state");
  }

  @Test
  void theSessionObjectHasEveryApiFieldAndJobsCarryTheirSession() throws Exception {
    // api.md session object; session_id on jobs and in the job list filter
    String sid = openSession(port, "alice-token", "dedicated", "fast", "\"max_ttl\":600");
    JsonNode s = session(port, "alice-token", sid);
    for (String f : List.of("id", "mode", "backend_name", "state", "state_reason", "accepting_jobs", "interactive_ttl",
        "max_ttl", "active_ttl", "created_at", "started_at", "activated_at", "closed_at", "last_job_started",
        "last_job_completed", "elapsed_time", "timestamps", "instance", "user_id")) {
      assertTrue(s.has(f), "session object lacks " + f + ": " + s);
    }
    assertEquals(60, s.path("interactive_ttl").asLong());
    assertEquals(600, s.path("max_ttl").asLong());
    assertEquals(600.0, s.path("active_ttl").asDouble());
    assertEquals(A, s.path("instance").asText());
    assertEquals("alice", s.path("user_id").asText());
    HttpResponse<String> r = send(post(port, "/api/v1/jobs", "alice-token", inSession(descriptorJob("fast"), sid)));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(sid, json(r).path("session_id").asText());
    String job = json(r).path("id").asText();
    submit(port, "alice-token", descriptorJob("fast"));
    awaitJob(port, "alice-token", job, status("Completed"), WAIT);
    JsonNode jobs = json(send(get(port, "/api/v1/jobs?session_id=" + sid, "alice-token")));
    assertEquals(1, jobs.path("count").asInt());
    assertEquals(job, jobs.path("jobs").path(0).path("id").asText());
    assertEquals(sid, jobs.path("jobs").path(0).path("session_id").asText());
    JsonNode active = awaitSession(port, "alice-token", sid, j -> j.path("state").asText().equals("active"), WAIT);
    assertTrue(active.path("active_ttl").asDouble() <= 600.0);
    JsonNode listed = json(send(get(port, "/api/v1/sessions?state=active&mode=dedicated", "alice-token")));
    boolean found = false;
    for (JsonNode x : listed.path("sessions")) {
      found |= x.path("id").asText().equals(sid);
    }
    assertTrue(found, listed.toString());
    // the same Idempotency-Key creates one session
    var req = post(port, "/api/v1/sessions", "alice-token", "{\"mode\":\"batch\",\"backend\":\"fast\"}")
        .header("Idempotency-Key", "k-1");
    String id1 = json(send(req)).path("id").asText();
    String id2 = json(send(post(port, "/api/v1/sessions", "alice-token", "{\"mode\":\"batch\",\"backend\":\"fast\"}")
        .header("Idempotency-Key", "k-1"))).path("id").asText();
    assertEquals(id1, id2);
    assertEquals(204, send(delete(port, "/api/v1/sessions/" + sid + "/close", "alice-token")).statusCode());
    assertEquals(204, send(delete(port, "/api/v1/sessions/" + sid + "/close", "alice-token")).statusCode(), "idempotent");
  }
}
