package dev.lanes.server;

import static dev.lanes.server.TestNodes.delete;
import static dev.lanes.server.TestNodes.descriptorJob;
import static dev.lanes.server.TestNodes.get;
import static dev.lanes.server.TestNodes.json;
import static dev.lanes.server.TestNodes.openSession;
import static dev.lanes.server.TestNodes.send;
import static dev.lanes.server.TestNodes.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's routes on a real node (issue 7, item 3): the page and its files at {@code /}
 * without a token, and the admin-only snapshot it polls, {@code GET /api/v1/admin/dashboard}.
 * The browser's view of them is {@link DashboardBrowserTest}.
 */
@DisplayName("Dashboard routes (issue 7, item 3)")
class DashboardApiTest {
  static Main.Node node;
  static final String SNAPSHOT = "/api/v1/admin/dashboard";

  @BeforeAll
  static void start() throws Exception {
    node = Main.Node.start(TestNodes.parse(TestNodes.tempDir().resolve("data"), 0));
  }

  @AfterAll
  static void stop() throws Exception {
    node.stop();
  }

  static HttpResponse<String> plain(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path)).GET());
  }

  @Test
  @DisplayName("issue 7, item 3: / serves the page and /dashboard/ its script and style, with no token")
  void thePageAndItsFilesNeedNoToken() throws Exception {
    HttpResponse<String> page = plain("/");
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(page.body().contains("/dashboard/dashboard.js"), page.body());
    assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
    assertEquals(page.body(), plain("/dashboard/").body());

    HttpResponse<String> js = plain("/dashboard/dashboard.js");
    assertEquals(200, js.statusCode());
    assertTrue(js.headers().firstValue("Content-Type").orElse("").contains("javascript"));
    assertTrue(js.body().contains("/api/v1/admin/dashboard"));
    HttpResponse<String> css = plain("/dashboard/dashboard.css");
    assertEquals(200, css.statusCode());
    assertTrue(css.headers().firstValue("Content-Type").orElse("").startsWith("text/css"));

    assertEquals(404, plain("/dashboard/no-such-file.js").statusCode());
    assertEquals(404, plain("/dashboard/../reference.conf").statusCode());
    // other paths keep their answers: an unknown one is still a 404 with the error body, whatever the method
    HttpResponse<String> unknown = send(delete(node.port(), "/api/v1/no-such-thing", "alice-token"));
    assertEquals(404, unknown.statusCode());
    assertTrue(unknown.body().contains("\"errors\""), unknown.body());
  }

  @Test
  @DisplayName("issue 7, item 3: the snapshot is for admin tokens only (401 without, 403 for others)")
  void theSnapshotIsForAdminsOnly() throws Exception {
    assertEquals(401, plain(SNAPSHOT).statusCode());
    assertEquals(401, send(get(node.port(), SNAPSHOT, "no-such-token")).statusCode());
    HttpResponse<String> alice = send(get(node.port(), SNAPSHOT, "alice-token"));
    assertEquals(403, alice.statusCode());
    assertTrue(alice.body().contains("admin"), alice.body());
    assertEquals(200, send(get(node.port(), SNAPSHOT, "admin-token")).statusCode());
  }

  @Test
  @DisplayName("issue 7, item 3: the snapshot names each lane's job, the queue with why, sessions with deadlines, usage per instance")
  void theSnapshotShowsLanesQueueSessionsAndUsage() throws Exception {
    int port = node.port();
    // "one" has one lane and 100 ms per circuit: the first job holds it for a minute, the second waits
    String running = submit(port, "alice-token", descriptorJob("one", 600));
    String queued = submit(port, "bob-token", descriptorJob("one", 600));
    String session = openSession(port, "alice-token", "dedicated", "ttl", "\"max_ttl\":600");
    try {
      JsonNode snap = awaitSnapshot(s -> lane(s, "one", 0).path("job_id").asText().equals(running)
          && backend(s, "one").path("queue").size() == 1);
      assertNotNull(Instant.parse(snap.get("now").asText()));
      assertTrue(snap.get("poll_seconds").asDouble() <= 1.0);

      List<String> names = new ArrayList<>();
      snap.get("backends").forEach(b -> names.add(b.get("name").asText()));
      assertEquals(List.of("fast", "slow", "five", "excl", "cc", "ttl", "one"), names);
      for (JsonNode b : snap.get("backends")) {
        assertEquals(b.get("lanes").asInt(), b.get("lane_holders").size(), b.toString());
        for (int i = 0; i < b.get("lanes").asInt(); i++) {
          assertEquals(i, b.get("lane_holders").get(i).get("lane").asInt());
        }
        assertTrue(b.has("status") && b.has("holder") && b.has("length_queue") && b.has("lanes_busy"), b.toString());
      }
      assertTrue(lane(snap, "five", 0).get("mode").isNull(), "a free lane has no mode");

      JsonNode held = lane(snap, "one", 0);
      assertEquals("job", held.get("mode").asText());
      assertEquals(TestNodes.A, held.get("instance").asText());
      assertTrue(held.get("session_id").isNull());
      assertNotNull(Instant.parse(held.get("since").asText()));

      JsonNode one = backend(snap, "one");
      assertEquals(1, one.get("lanes_busy").asInt());
      assertEquals(1, one.get("length_queue").asInt());
      JsonNode line = one.get("queue").get(0);
      assertEquals(queued, line.get("job_id").asText());
      assertEquals(1, line.get("queue_position").asInt());
      assertEquals(TestNodes.B, line.get("instance").asText());
      assertEquals("fair_share", line.get("priority_class").asText());
      assertFalse(line.get("why").asText().isBlank());

      JsonNode s = null;
      for (JsonNode x : snap.get("sessions")) {
        if (x.get("id").asText().equals(session)) {
          s = x;
        }
      }
      assertNotNull(s, "open session listed: " + snap.get("sessions"));
      assertEquals("dedicated", s.get("mode").asText());
      assertEquals("open", s.get("state").asText());
      assertEquals("ttl", s.get("backend_name").asText());
      assertNotNull(Instant.parse(s.get("unused_deadline").asText())); // R13 runs until its first job
      assertTrue(s.get("max_ttl_deadline").isNull()); // R12 starts with the first job
      assertTrue(s.get("interactive_deadline").isNull());

      List<String> instances = new ArrayList<>();
      snap.get("usage").forEach(u -> instances.add(u.get("instance").asText()));
      assertEquals(List.of(TestNodes.A, TestNodes.B, "crn:test:open"), instances);
      JsonNode u = snap.get("usage").get(0);
      assertTrue(u.has("usage_consumed_seconds") && u.has("usage_allocation_seconds") && u.has("usage_limit_seconds"), u.toString());
    } finally {
      send(TestNodes.post(port, "/api/v1/jobs/" + queued + "/cancel", "bob-token", ""));
      send(TestNodes.post(port, "/api/v1/jobs/" + running + "/cancel", "alice-token", ""));
      send(delete(port, "/api/v1/sessions/" + session + "/close", "alice-token"));
    }
  }

  static JsonNode backend(JsonNode snap, String name) {
    for (JsonNode b : snap.get("backends")) {
      if (b.get("name").asText().equals(name)) {
        return b;
      }
    }
    throw new AssertionError("no backend " + name + " in " + snap);
  }

  static JsonNode lane(JsonNode snap, String backend, int lane) {
    return backend(snap, backend).get("lane_holders").get(lane);
  }

  static JsonNode awaitSnapshot(java.util.function.Predicate<JsonNode> until) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    JsonNode last = null;
    while (Instant.now().isBefore(deadline)) {
      HttpResponse<String> r = send(get(node.port(), SNAPSHOT, "admin-token"));
      assertEquals(200, r.statusCode(), r.body());
      last = json(r);
      if (until.test(last)) {
        return last;
      }
      Thread.sleep(50); // polling interval, not an assertion
    }
    throw new AssertionError("the snapshot did not show it within 30 s; last: " + last);
  }
}
