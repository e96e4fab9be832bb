package dev.lanes.server;

import static dev.lanes.server.TestNodes.descriptorJob;
import static dev.lanes.server.TestNodes.get;
import static dev.lanes.server.TestNodes.json;
import static dev.lanes.server.TestNodes.post;
import static dev.lanes.server.TestNodes.send;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import dev.lanes.actors.LanesSettings;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, item 5 (audit log) on PostgreSQL: the table is created (again at every start), filters
 * and pages as the reference does, and what a node answered is still listed after its restart.
 * Runs against the local PostgreSQL 15 on a fresh database; skipped where it is not installed.
 */
class AuditPostgresTest {
  static final String DB = "lanes_audit_test";

  @BeforeAll
  static void freshDatabase() throws Exception {
    TestCluster.freshDatabase(DB);
  }

  private static Config config() throws Exception {
    return TestCluster.postgres(DB).withFallback(TestNodes.parse(TestNodes.tempDir().resolve("data"), 0));
  }

  @Test
  void thePostgresStoreFiltersAndPagesAsTheReferenceDoes() throws Exception {
    Config base = LanesSettings.load(config());
    LanesSettings settings = LanesSettings.create(base);
    Config storage = Storage.config(settings, base.getConfig("lanes"));
    Storage.createSchema(settings, storage);
    Storage.createSchema(settings, storage); // every start runs it
    try (var c = Database.of(storage).connect(); var st = c.createStatement()) {
      st.execute("DELETE FROM lanes_audit"); // the node test below may have written first
    }
    AuditLogTest.storeMatchesTheReference(Database.of(storage));
  }

  @Test
  void aNodeOnPostgresKeepsItsAuditEntriesAcrossARestart() throws Exception {
    Config config = config();
    Main.Node node = Main.Node.start(config);
    String job;
    try {
      HttpResponse<String> r = send(post(node.port(), "/api/v1/jobs", "alice-token", descriptorJob("fast")));
      assertEquals(200, r.statusCode(), r.body());
      job = json(r).get("id").asText();
      assertEquals(404, send(post(node.port(), "/api/v1/jobs/" + job + "/cancel", "bob-token", "")).statusCode());
    } finally {
      node.stop();
    }
    Main.Node again = Main.Node.start(config);
    try {
      HttpResponse<String> r = send(get(again.port(), "/api/v1/admin/audit?object_id=" + job, "admin-token"));
      assertEquals(200, r.statusCode(), r.body());
      JsonNode page = json(r);
      assertEquals(2, page.get("count").asInt(), page.toString());
      assertEquals("bob", page.get("entries").get(0).get("user").asText());
      assertEquals(404, page.get("entries").get(0).get("status").asInt());
      assertEquals("alice", page.get("entries").get(1).get("user").asText());
      assertEquals(200, page.get("entries").get(1).get("status").asInt());
    } finally {
      again.stop();
    }
  }
}
