package dev.lanes.server;

import static dev.lanes.server.TestNodes.awaitJob;
import static dev.lanes.server.TestNodes.delete;
import static dev.lanes.server.TestNodes.descriptorJob;
import static dev.lanes.server.TestNodes.get;
import static dev.lanes.server.TestNodes.json;
import static dev.lanes.server.TestNodes.metrics;
import static dev.lanes.server.TestNodes.openSession;
import static dev.lanes.server.TestNodes.patch;
import static dev.lanes.server.TestNodes.post;
import static dev.lanes.server.TestNodes.send;
import static dev.lanes.server.TestNodes.status;
import static dev.lanes.server.TestNodes.submit;
import static dev.lanes.server.TestNodes.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fair share (R5c), limits (R8), maintenance (R24) and the queue's explanation and estimates end
 * to end. Each scenario has its own backend and instances; assertions are on states and on the
 * order of server-side timestamps.
 */
class SchedulingApiTest {
  static Main.Node node;
  static int port;
  static final Duration WAIT = Duration.ofSeconds(30);
  static final String TIMING = "timing { prep-per-circuit = 100ms, post-per-circuit = 0s, job-overhead = 100ms,"
      + " job-overhead-per-qubit-layer = 0s, shot-time = 1us, layer-time = 0s }";

  @BeforeAll
  static void start() throws Exception {
    String conf = """
        lanes {
          http.port = 0
          data-dir = "%s"
          backends = [
            { name = "lim", lanes = 1, %s }
            { name = "fair", lanes = 1, %s }
            { name = "maint", lanes = 2, %s }
            { name = "msess", lanes = 2, %s }
            { name = "mbatch", lanes = 2, %s }
            { name = "cal", lanes = 1, %s, calibration { every = 1s, duration = 300ms } }
          ]
          instances = [
            { id = "i:limited", allocation-seconds = 100, usage-limit-seconds = 0.05, limited = true }
            { id = "i:capped", allocation-seconds = 0.05, reject-when-exceeded = true }
            { id = "i:heavy", allocation-seconds = 100 }
            { id = "i:light", allocation-seconds = 100 }
            { id = "i:fresh", allocation-seconds = 100 }
          ]
          tokens = [
            { token = "limited-token", user = "lim", instances = ["i:limited"] }
            { token = "capped-token", user = "cap", instances = ["i:capped"] }
            { token = "heavy-token", user = "hea", instances = ["i:heavy"] }
            { token = "light-token", user = "lig", instances = ["i:light"] }
            { token = "fresh-token", user = "fre", instances = ["i:fresh"] }
            { token = "admin-token", user = "root", instances = ["i:light"], admin = true }
          ]
        }
        """.formatted(TestNodes.tempDir().toString().replace("\\\\", "/"), TIMING, TIMING, TIMING, TIMING, TIMING, TIMING);
    node = Main.Node.start(ConfigFactory.parseString(conf));
    port = node.port();
  }

  @AfterAll
  static void stop() throws Exception {
    node.stop();
  }

  private static JsonNode job(String token, String id) throws Exception {
    return json(send(get(port, "/api/v1/jobs/" + id + "?exclude_params=true", token)));
  }

  private static Instant running(String token, String id) throws Exception {
    return Instant.parse(metrics(port, token, id).path("timestamps").path("running").asText());
  }

  private static Instant finished(String token, String id) throws Exception {
    return Instant.parse(metrics(port, token, id).path("timestamps").path("finished").asText());
  }

  private static JsonNode backendStatus(String name) throws Exception {
    return json(send(get(port, "/api/v1/backends/" + name + "/status", "light-token")));
  }

  private static JsonNode awaitBackend(String name, Predicate<JsonNode> until) throws Exception {
    Instant deadline = Instant.now().plus(WAIT);
    JsonNode last = null;
    while (Instant.now().isBefore(deadline)) {
      last = backendStatus(name);
      if (until.test(last)) {
        return last;
      }
      Thread.sleep(10); // polling interval, not an assertion
    }
    throw new AssertionError("backend " + name + " never reached the state; last: " + last);
  }

  private static String maintenance(String backend, String kind, double seconds) throws Exception {
    HttpResponse<String> r = send(post(port, "/api/v1/admin/backends/" + backend + "/maintenance", "admin-token",
        "{\"kind\":\"" + kind + "\",\"duration_seconds\":" + seconds + "}"));
    assertEquals(202, r.statusCode(), r.body());
    return json(r).path("id").asText();
  }

  @Test
  void aLimitedInstancePastItsLimitKeepsItsJobsQueuedAndMayStillSubmit() throws Exception {
    // R8: limited → its queued jobs stay queued (not cancelled); new submissions are accepted and wait
    String first = submit(port, "limited-token", descriptorJob("lim", 1));
    awaitJob(port, "limited-token", first, status("Completed"), WAIT);
    JsonNode usage = awaitUsage("limited-token", j -> j.path("usage_limit_reached").asBoolean());
    assertTrue(usage.path("usage_consumed_seconds").asDouble() >= 0.05, usage.toString());
    String waiting = submit(port, "limited-token", descriptorJob("lim", 1));
    String other = submit(port, "light-token", descriptorJob("lim", 1));
    // work conserving for everyone else (R7): the other instance's later job runs
    awaitJob(port, "light-token", other, status("Completed"), WAIT);
    JsonNode w = job("limited-token", waiting);
    assertEquals("Queued", w.path("state").path("status").asText(), w.toString());
    JsonNode q = json(send(get(port, "/api/v1/admin/backends/lim/queue", "admin-token")));
    assertEquals(waiting, q.path("queue").path(0).path("job_id").asText(), q.toString());
    assertTrue(q.path("queue").path(0).path("why").asText().contains("limit"), q.toString());
  }

  private static JsonNode awaitUsage(String token, Predicate<JsonNode> until) throws Exception {
    Instant deadline = Instant.now().plus(WAIT);
    JsonNode last = null;
    while (Instant.now().isBefore(deadline)) {
      last = json(send(get(port, "/api/v1/instances/usage", token)));
      if (until.test(last)) {
        return last;
      }
      Thread.sleep(10); // polling interval, not an assertion
    }
    throw new AssertionError("usage never reached the state; last: " + last);
  }

  @Test
  void rejectWhenExceededAnswers409() throws Exception {
    // R8 hard cap
    String first = submit(port, "capped-token", descriptorJob("lim", 1));
    awaitJob(port, "capped-token", first, status("Completed"), WAIT);
    awaitUsage("capped-token", j -> j.path("usage_consumed_seconds").asDouble() >= 0.05);
    HttpResponse<String> r = send(post(port, "/api/v1/jobs", "capped-token", descriptorJob("lim", 1)));
    assertEquals(409, r.statusCode(), r.body());
    assertTrue(json(r).path("errors").path(0).path("message").asText().contains("usage exceeds instance limit"));
  }

  @Test
  void theInstanceWithLessUsagePerAllocationGoesFirstAndTheQueueExplainsIt() throws Exception {
    // R5c: heavy has used the backend, fresh (used nowhere else) has not; heavy's job queued first still starts second
    String warm = submit(port, "heavy-token", descriptorJob("fair", 1));
    awaitJob(port, "heavy-token", warm, status("Completed"), WAIT);
    awaitUsage("heavy-token", j -> j.path("usage_consumed_seconds").asDouble() > 0);
    String blocker = submit(port, "heavy-token", descriptorJob("fair", 20));
    awaitJob(port, "heavy-token", blocker, status("Running"), WAIT);
    String heavy = submit(port, "heavy-token", descriptorJob("fair", 1));
    String light = submit(port, "fresh-token", descriptorJob("fair", 1));
    JsonNode q = json(send(get(port, "/api/v1/admin/backends/fair/queue", "admin-token")));
    assertEquals(light, q.path("queue").path(0).path("job_id").asText(), q.toString());
    assertEquals(heavy, q.path("queue").path(1).path("job_id").asText(), q.toString());
    assertEquals("fair_share", q.path("queue").path(0).path("priority_class").asText());
    assertTrue(q.path("queue").path(0).path("fair_share_ratio").asDouble()
        < q.path("queue").path(1).path("fair_share_ratio").asDouble(), q.toString());
    assertTrue(q.path("queue").path(1).path("waited_seconds").asDouble() >= 0);
    // every queued job shows its position and an estimate that follows the order
    JsonNode l = job("fresh-token", light);
    JsonNode h = job("heavy-token", heavy);
    assertEquals(1, l.path("queue_position").asInt(), l.toString());
    assertEquals(2, h.path("queue_position").asInt(), h.toString());
    Instant lStart = Instant.parse(l.path("estimated_start").asText());
    Instant hStart = Instant.parse(h.path("estimated_start").asText());
    assertTrue(lStart.isBefore(hStart), l + " / " + h);
    // the blocker has ~2 s of pre-processing left at most: the estimate is no earlier than now
    assertFalse(lStart.isBefore(Instant.parse(metrics(port, "heavy-token", blocker).path("timestamps").path("running").asText())));
    awaitJob(port, "heavy-token", heavy, status("Completed"), WAIT);
    awaitJob(port, "fresh-token", light, status("Completed"), WAIT);
    assertTrue(running("fresh-token", light).isBefore(running("heavy-token", heavy)),
        metrics(port, "fresh-token", light) + " / " + metrics(port, "heavy-token", heavy) + " / " + q);
  }

  @Test
  void maintenanceTakesTheLanesAsTheyFreeAndNewJobsWait() throws Exception {
    // R24
    String longJob = submit(port, "light-token", descriptorJob("maint", 10));
    awaitJob(port, "light-token", longJob, status("Running"), WAIT);
    maintenance("maint", "calibration", 0.5);
    String waiting = submit(port, "light-token", descriptorJob("maint", 1));
    // a lane is free, but the maintenance is next: the new job waits while the lanes drain
    assertEquals("active", backendStatus("maint").path("status").asText());
    JsonNode during = awaitBackend("maint", s -> s.path("status").asText().equals("maintenance"));
    assertEquals("maintenance", during.path("holder").path("kind").asText());
    assertFalse(during.path("state").asBoolean());
    Instant maintenanceSeen = Instant.now();
    awaitJob(port, "light-token", waiting, status("Completed"), WAIT);
    assertTrue(running("light-token", waiting).isAfter(finished("light-token", longJob)),
        "the job queued behind the maintenance started before the lanes drained");
    assertTrue(running("light-token", waiting).isAfter(maintenanceSeen.minusMillis(50)));
    assertEquals("active", awaitBackend("maint", s -> s.path("status").asText().equals("active")).path("status").asText());
  }

  @Test
  void maintenanceWaitsForAnActiveSessionToEnd() throws Exception {
    // R24, R17: a session is never interrupted by a calibration
    String sid = openSession(port, "light-token", "dedicated", "msess", "");
    String first = submit(port, "light-token", with(descriptorJob("msess", 2), "\"session_id\":\"" + sid + "\""));
    awaitJob(port, "light-token", first, status("Completed"), WAIT);
    maintenance("msess", "upgrade", 0.3);
    // the session is idle in its interactive TTL and still holds the backend: its next job runs
    String second = submit(port, "light-token", with(descriptorJob("msess", 2), "\"session_id\":\"" + sid + "\""));
    awaitJob(port, "light-token", second, status("Completed"), WAIT);
    assertEquals("session", backendStatus("msess").path("holder").path("kind").asText());
    assertEquals(204, send(patch(port, "/api/v1/sessions/" + sid, "light-token", "{\"accepting_jobs\":false}")).statusCode());
    JsonNode during = awaitBackend("msess", s -> s.path("status").asText().equals("maintenance"));
    assertTrue(during.path("message").asText().contains("upgrade"), during.toString());
  }

  @Test
  void maintenanceMayRunBetweenABatchsJobs() throws Exception {
    // R24, R19: a batch does not hold the backend
    String batch = openSession(port, "light-token", "batch", "mbatch", "");
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      jobs.add(submit(port, "light-token", with(descriptorJob("mbatch", 5), "\"session_id\":\"" + batch + "\"")));
    }
    awaitJob(port, "light-token", jobs.get(0), status("Running"), WAIT);
    maintenance("mbatch", "calibration", 0.5);
    awaitBackend("mbatch", s -> s.path("status").asText().equals("maintenance"));
    Instant during = Instant.now();
    for (String id : jobs) {
      awaitJob(port, "light-token", id, status("Completed"), WAIT);
    }
    long before = 0;
    long after = 0;
    for (String id : jobs) {
      if (running("light-token", id).isBefore(during)) {
        before++;
      } else {
        after++;
      }
    }
    assertTrue(before >= 1 && after >= 1, "batch jobs ran on both sides of the maintenance: " + before + "/" + after);
    assertEquals(204, send(delete(port, "/api/v1/sessions/" + batch + "/close", "light-token")).statusCode());
  }

  @Test
  void periodicCalibrationsComeFromConfig() throws Exception {
    // R24: calibration { every, duration } per backend
    JsonNode s = awaitBackend("cal", j -> j.path("status").asText().equals("maintenance"));
    assertTrue(s.path("message").asText().contains("calibration"), s.toString());
  }

  @Test
  void maintenanceIsForAdministratorsOnlyAndChecksItsFields() throws Exception {
    // R24: no on-demand calibration for users
    HttpResponse<String> r = send(post(port, "/api/v1/admin/backends/maint/maintenance", "light-token",
        "{\"kind\":\"calibration\",\"duration_seconds\":5}"));
    assertEquals(403, r.statusCode());
    assertEquals(400, send(post(port, "/api/v1/admin/backends/maint/maintenance", "admin-token",
        "{\"kind\":\"coffee\",\"duration_seconds\":5}")).statusCode());
    for (String d : List.of("0", "-1", "\"5\"", "1e9")) {
      HttpResponse<String> bad = send(post(port, "/api/v1/admin/backends/maint/maintenance", "admin-token",
          "{\"kind\":\"upgrade\",\"duration_seconds\":" + d + "}"));
      assertEquals(400, bad.statusCode(), d);
      assertTrue(json(bad).path("errors").path(0).path("message").asText().contains("duration_seconds"));
    }
    assertEquals(404, send(post(port, "/api/v1/admin/backends/nope/maintenance", "admin-token",
        "{\"kind\":\"upgrade\",\"duration_seconds\":1}")).statusCode());
    assertEquals(403, send(get(port, "/api/v1/admin/backends/maint/queue", "light-token")).statusCode());
  }
}
