package dev.lanes.server;

import static dev.lanes.server.TestNodes.A;
import static dev.lanes.server.TestNodes.awaitJob;
import static dev.lanes.server.TestNodes.delete;
import static dev.lanes.server.TestNodes.descriptorJob;
import static dev.lanes.server.TestNodes.get;
import static dev.lanes.server.TestNodes.json;
import static dev.lanes.server.TestNodes.patch;
import static dev.lanes.server.TestNodes.post;
import static dev.lanes.server.TestNodes.send;
import static dev.lanes.server.TestNodes.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.lanes.actors.LanesSettings;
import dev.lanes.core.audit.AuditEntry;
import dev.lanes.core.audit.AuditLog;
import dev.lanes.core.audit.AuditQuery;
import dev.lanes.core.audit.InMemoryAuditLog;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, item 5 (audit log): every state-changing call — refused ones too — is recorded with
 * who, instance, what, result and when before it is answered; GET /api/v1/admin/audit filters
 * them, newest first, for admin tokens only; the entries survive a restart.
 */
class AuditLogTest {
  /** What a test saw of one call, to compare with its entry. */
  record Seen(String user, String method, String path, String action, int status, String requestId) {}

  private final List<Seen> seen = new ArrayList<>();

  private HttpResponse<String> call(String user, String action, HttpRequest.Builder b) throws Exception {
    HttpResponse<String> r = send(b);
    HttpRequest req = r.request();
    String id = r.headers().firstValue("X-Request-Id").orElse(null);
    seen.add(new Seen(user, req.method(), req.uri().getPath(), action, r.statusCode(), id));
    return r;
  }

  @Test
  void everyStateChangingCallIsRecordedWithItsResultBeforeTheAnswerAndSurvivesARestart() throws Exception {
    Path dir = TestNodes.tempDir();
    Main.Node node = Main.Node.start(TestNodes.parse(dir, 0));
    int port = node.port();
    Instant before = Instant.now();
    String job;
    String session;
    try {
      HttpResponse<String> ok = call("alice", "job.submit", post(port, "/api/v1/jobs", "alice-token", descriptorJob("fast")));
      assertEquals(200, ok.statusCode(), ok.body());
      job = json(ok).get("id").asText();
      HttpResponse<String> refused = call("alice", "job.submit", post(port, "/api/v1/jobs", "alice-token", descriptorJob("nope")));
      assertTrue(refused.statusCode() >= 400 && refused.statusCode() < 500, refused.body());
      // the error body's trace is the entry's request id
      assertEquals(json(refused).get("trace").asText(), refused.headers().firstValue("X-Request-Id").orElseThrow());
      call(null, "job.submit", post(port, "/api/v1/jobs", "stolen-token", descriptorJob("fast")));
      assertEquals(404, call("bob", "job.cancel", post(port, "/api/v1/jobs/" + job + "/cancel", "bob-token", "")).statusCode());
      awaitJob(port, "alice-token", job, status("Completed"), Duration.ofSeconds(30));
      assertEquals(409, call("alice", "job.cancel", post(port, "/api/v1/jobs/" + job + "/cancel", "alice-token", "")).statusCode());
      assertEquals(204, call("alice", "job.delete", delete(port, "/api/v1/jobs/" + job, "alice-token")).statusCode());
      send(get(port, "/api/v1/jobs", "alice-token")); // a read: not recorded
      HttpResponse<String> opened = call("alice", "session.open",
          post(port, "/api/v1/sessions", "alice-token", "{\"mode\":\"batch\",\"backend\":\"five\"}"));
      assertEquals(200, opened.statusCode(), opened.body());
      session = json(opened).get("id").asText();
      assertEquals(204, call("alice", "session.update",
          patch(port, "/api/v1/sessions/" + session, "alice-token", "{\"accepting_jobs\":false}")).statusCode());
      assertEquals(204, call("alice", "session.close", delete(port, "/api/v1/sessions/" + session + "/close", "alice-token")).statusCode());
      assertEquals(403, call("alice", "backend.status",
          patch(port, "/api/v1/admin/backends/fast", "alice-token", "{\"status\":\"paused\"}")).statusCode());
      assertEquals(204, call("root", "backend.status",
          patch(port, "/api/v1/admin/backends/one", "admin-token", "{\"status\":\"paused\"}")).statusCode());
      assertEquals(400, call("root", "backend.maintenance", post(port, "/api/v1/admin/backends/one/maintenance",
          "admin-token", "{\"kind\":\"lunch\",\"duration_seconds\":1}")).statusCode());
      assertEquals(202, call("root", "backend.maintenance", post(port, "/api/v1/admin/backends/one/maintenance",
          "admin-token", "{\"kind\":\"calibration\",\"duration_seconds\":0.01}")).statusCode());

      JsonNode all = audit(port, "");
      checkEntries(all, job, session, before);
      checkFilters(port, job, before);
      checkAccess(port);
    } finally {
      node.stop();
    }
    // R29-like for the audit log: what was answered is still there after a restart
    Main.Node again = Main.Node.start(TestNodes.parse(dir, 0));
    try {
      checkEntries(audit(again.port(), ""), job, session, before);
    } finally {
      again.stop();
    }
  }

  private void checkEntries(JsonNode page, String job, String session, Instant before) {
    JsonNode entries = page.get("entries");
    assertEquals(seen.size(), page.get("count").asInt(), page.toString());
    assertEquals(seen.size(), entries.size());
    assertFalse(page.toString().contains("-token"), "no token in the audit log: " + page);
    Instant last = Instant.now().plusSeconds(1);
    for (int i = 0; i < seen.size(); i++) {
      Seen s = seen.get(seen.size() - 1 - i); // newest first
      JsonNode e = entries.get(i);
      String where = "entry " + i + ": " + e;
      assertEquals(s.method(), e.get("method").asText(), where);
      assertEquals(s.path(), e.get("path").asText(), where);
      assertEquals(s.action(), e.get("action").asText(), where);
      assertEquals(s.status(), e.get("status").asInt(), where);
      assertEquals(s.user(), e.get("user").isNull() ? null : e.get("user").asText(), where);
      assertEquals(s.requestId(), e.get("trace").asText(), where);
      assertEquals("root".equals(s.user()), e.get("admin").asBoolean(), where);
      Instant at = Instant.parse(e.get("at").asText());
      assertTrue(!at.isAfter(last) && !at.isBefore(before.minusMillis(1)), where);
      last = at;
      assertTrue(e.get("node").asText().startsWith("akka://lanes@"), where);
    }
    JsonNode firstSubmit = entries.get(entries.size() - 1);
    assertEquals(job, firstSubmit.get("object_id").asText());
    assertEquals("fast", firstSubmit.get("backend").asText());
    assertEquals(A, firstSubmit.get("instance").asText());
    assertTrue(entries.get(entries.size() - 3).get("instance").isNull(), "an unknown token has no instance");
    JsonNode open = entries.get(seen.size() - 1 - indexOf("session.open"));
    assertEquals(session, open.get("object_id").asText());
    assertEquals("five", open.get("backend").asText());
    JsonNode maintenance = entries.get(0);
    assertEquals("one", maintenance.get("backend").asText());
    assertFalse(maintenance.get("object_id").isNull(), "the maintenance's id: " + maintenance);
  }

  private int indexOf(String action) {
    for (int i = 0; i < seen.size(); i++) {
      if (seen.get(i).action().equals(action)) {
        return i;
      }
    }
    throw new AssertionError(action);
  }

  private void checkFilters(int port, String job, Instant before) throws Exception {
    long aliceSubmits = seen.stream().filter(s -> "alice".equals(s.user()) && s.action().equals("job.submit")).count();
    assertEquals(aliceSubmits, audit(port, "user=alice&action=job.submit").get("count").asLong());
    assertEquals(seen.stream().filter(s -> s.status() >= 400 && s.status() < 500).count(),
        audit(port, "status=4xx").get("count").asLong());
    assertEquals(seen.stream().filter(s -> s.status() == 204).count(), audit(port, "status=204").get("count").asLong());
    assertEquals(seen.stream().filter(s -> s.method().equals("PATCH")).count(), audit(port, "method=patch").get("count").asLong());
    // the job: its submit, bob's refused cancel, alice's refused cancel, the delete
    JsonNode ofJob = audit(port, "object_id=" + job);
    assertEquals(4, ofJob.get("count").asInt(), ofJob.toString());
    assertEquals(List.of("job.delete", "job.cancel", "job.cancel", "job.submit"),
        ofJob.get("entries").findValuesAsText("action"));
    assertEquals(seen.size(), audit(port, "since=" + enc(before.minusSeconds(1).toString())).get("count").asInt());
    assertEquals(0, audit(port, "until=" + enc(before.minusSeconds(1).toString())).get("count").asInt());
    assertEquals(2, audit(port, "backend=one&user=root&status=2xx").get("count").asInt());
    JsonNode page = audit(port, "limit=2&offset=1");
    assertEquals(seen.size(), page.get("count").asInt());
    assertEquals(2, page.get("entries").size());
    assertEquals(2, page.get("limit").asInt());
    assertEquals(1, page.get("offset").asInt());
    assertEquals(seen.get(seen.size() - 2).requestId(), page.get("entries").get(0).get("trace").asText());
  }

  private static void checkAccess(int port) throws Exception {
    HttpResponse<String> anonymous = send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/admin/audit")).GET());
    assertEquals(401, anonymous.statusCode());
    assertEquals(403, send(get(port, "/api/v1/admin/audit", "alice-token")).statusCode());
    for (String[] bad : new String[][] {{"status", "abc"}, {"since", "yesterday"}, {"limit", "0"},
        {"action", "job.launch"}, {"method", "GET"}, {"usr", "alice"}}) {
      HttpResponse<String> r = send(get(port, "/api/v1/admin/audit?" + bad[0] + "=" + bad[1], "admin-token"));
      assertEquals(400, r.statusCode(), r.body());
      assertTrue(json(r).path("errors").path(0).path("message").asText().startsWith(bad[0] + ":"), r.body());
    }
  }

  @Test
  void withTheAuditLogOffNothingIsRecordedAndTheListIsNotFound() throws Exception {
    Config off = ConfigFactory.parseString("lanes.audit.enabled = false").withFallback(TestNodes.parse(TestNodes.tempDir(), 0));
    Main.Node node = Main.Node.start(off);
    try {
      HttpResponse<String> r = send(post(node.port(), "/api/v1/jobs", "alice-token", descriptorJob("fast")));
      assertEquals(200, r.statusCode());
      assertTrue(r.headers().firstValue("X-Request-Id").isEmpty());
      HttpResponse<String> list = send(get(node.port(), "/api/v1/admin/audit", "admin-token"));
      assertEquals(404, list.statusCode());
      assertTrue(list.body().contains("lanes.audit.enabled"), list.body());
    } finally {
      node.stop();
    }
  }

  /** The table answers as the reference does (AuditQuery#matches), on embedded H2. */
  @Test
  void theH2StoreFiltersAndPagesAsTheReferenceDoes() throws Exception {
    Path data = TestNodes.tempDir().resolve("data");
    Config base = LanesSettings.load(TestNodes.parse(data, 0));
    LanesSettings settings = LanesSettings.create(base);
    Config storage = Storage.config(settings, base.getConfig("lanes"));
    Storage.createSchema(settings, storage);
    storeMatchesTheReference(Database.of(storage));
  }

  /** Appends the same entries to the table and to the reference, and compares the answers of many queries. */
  static void storeMatchesTheReference(Database db) throws Exception {
    Instant t0 = Instant.parse("2026-11-26T10:00:00Z");
    InMemoryAuditLog reference = new InMemoryAuditLog();
    try (JdbcAuditLog store = new JdbcAuditLog(db, "n1", Duration.ZERO, Clock.systemUTC())) {
      List<CompletableFuture<Void>> writes = new ArrayList<>();
      String[] users = {"alice", "bob", null};
      String[] actions = {"job.submit", "job.cancel", "session.open", "backend.status"};
      int[] statuses = {200, 204, 404, 409, 401, 503};
      for (int i = 0; i < 300; i++) {
        AuditEntry e = new AuditEntry(t0.plusMillis(i / 3 * 7), "n1", users[i % 3], i % 3 == 2 ? null : "crn:" + (i % 2),
            i % 5 == 0, i % 4 == 3 ? "PATCH" : "POST", "/api/v1/x/" + i, actions[i % 4], "o" + (i % 10),
            i % 4 == 3 ? "b1" : null, statuses[i % 6], "t" + i);
        reference.append(e);
        writes.add(store.append(e).toCompletableFuture());
      }
      CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
      List<Map<String, List<String>>> queries = List.of(Map.of(), Map.of("user", List.of("alice")),
          Map.of("instance", List.of("crn:1"), "status", List.of("4xx")), Map.of("action", List.of("job.cancel")),
          Map.of("method", List.of("PATCH"), "backend", List.of("b1")), Map.of("object_id", List.of("o3")),
          Map.of("since", List.of("2026-11-26T10:00:00.350Z"), "until", List.of("2026-11-26T10:00:00.5005Z")),
          Map.of("since", List.of("2026-11-26T10:00:00.3495Z")), Map.of("status", List.of("204"), "limit", List.of("7"),
              "offset", List.of("3")), Map.of("node", List.of("n1"), "offset", List.of("295")),
          Map.of("user", List.of("carol")));
      for (Map<String, List<String>> params : queries) {
        AuditQuery q = AuditQuery.parse(params);
        AuditLog.Page want = reference.find(q).toCompletableFuture().join();
        AuditLog.Page got = store.find(q).toCompletableFuture().join();
        assertEquals(want.total(), got.total(), params.toString());
        assertEquals(want.entries(), got.entries(), params.toString());
      }
    }
  }

  private static JsonNode audit(int port, String query) throws Exception {
    HttpResponse<String> r = send(get(port, "/api/v1/admin/audit" + (query.isEmpty() ? "" : "?" + query), "admin-token"));
    assertEquals(200, r.statusCode(), r.body());
    return json(r);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
