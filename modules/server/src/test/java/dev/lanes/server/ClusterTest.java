package dev.lanes.server;

import static dev.lanes.server.TestNodes.awaitJob;
import static dev.lanes.server.TestNodes.descriptorJob;
import static dev.lanes.server.TestNodes.get;
import static dev.lanes.server.TestNodes.openSession;
import static dev.lanes.server.TestNodes.send;
import static dev.lanes.server.TestNodes.status;
import static dev.lanes.server.TestNodes.submit;
import static dev.lanes.server.TestNodes.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 6 with three nodes in this JVM on the local PostgreSQL: any node answers any request, each
 * backend lives once in the cluster, and when the node that runs the backends leaves, another
 * takes them over with nothing lost or done twice (R29, R1, R27). Crashes (kill -9) are
 * {@link ClusterFailoverIT}'s, with separate processes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {
  static final String DB = "lanes_cluster_test";
  static final Duration WAIT = Duration.ofSeconds(60);
  static final List<Main.Node> nodes = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    TestCluster.freshDatabase(DB);
    Path dir = TestNodes.tempDir();
    List<Integer> ports = TestCluster.freePorts(3);
    for (int i = 0; i < 3; i++) {
      nodes.add(Main.Node.start(ConfigFactory.parseString(TestCluster.nodeConfig(DB, dir, 0, ports, i))));
      if (i == 0) {
        TestCluster.awaitReady(nodes.get(0).port(), WAIT); // the first forms the cluster: the oldest
      }
    }
    for (Main.Node n : nodes) {
      TestCluster.awaitReady(n.port(), WAIT);
    }
  }

  @AfterAll
  static void stopCluster() throws Exception {
    for (Main.Node n : nodes) {
      n.stop();
    }
  }

  static int port(int i) {
    return nodes.get(i).port();
  }

  @Test
  @Order(1)
  void anyNodeAnswersAnyRequestAndEachBackendLivesOnce() throws Exception {
    // issue 6: a job written through one node is seen at once through the others (they ask its
    // entity until their read side has it), and runs once
    String id = submit(port(1), "alice-token", descriptorJob("fast"));
    for (int i = 0; i < 3; i++) {
      assertEquals(200, send(get(port(i), "/api/v1/jobs/" + id, "alice-token")).statusCode(), "node " + i);
    }
    awaitJob(port(2), "alice-token", id, status("Completed"), WAIT);
    awaitJob(port(0), "alice-token", id, status("Completed"), WAIT);
    // a session opened on one node takes jobs through another at once
    String session = openSession(port(0), "alice-token", "dedicated", "five", "");
    String inSession = submit(port(2), "alice-token", with(descriptorJob("five"), "\"session_id\":\"" + session + "\""));
    awaitJob(port(1), "alice-token", inSession, status("Completed"), WAIT);
    // issue 6: each backend began one epoch: it started on one node only
    for (String backend : List.of("fast", "slow", "five", "excl", "cc", "ttl", "one")) {
      assertEquals(1, TestCluster.epochs(DB, backend), backend);
    }
    // every node tells the same backend status (it asks the one arbiter)
    List<String> statuses = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      JsonNode s = TestNodes.json(send(get(port(i), "/api/v1/backends/fast/status", "alice-token")));
      statuses.add(s.path("lanes").toString() + "/" + s.path("length_queue").toString());
    }
    assertEquals(1, statuses.stream().distinct().count(), statuses.toString());
    // issue 7, item 3: the dashboard's snapshot, from any node, reaches every backend's one arbiter
    for (int i = 0; i < 3; i++) {
      JsonNode snap = TestNodes.json(send(get(port(i), "/api/v1/admin/dashboard", "admin-token")));
      assertEquals(7, snap.path("backends").size(), "node " + i + ": " + snap);
      for (JsonNode b : snap.path("backends")) {
        assertFalse(b.has("error"), "node " + i + ": " + b);
        assertEquals(b.path("lanes").asInt(), b.path("lane_holders").size(), "node " + i + ": " + b);
      }
    }
    // issue 8, item 5: the audit log is one table for the cluster: every node lists the submit
    // that node 1 answered, naming node 1
    for (int i = 0; i < 3; i++) {
      JsonNode a = TestNodes.json(send(get(port(i), "/api/v1/admin/audit?object_id=" + id, "admin-token")));
      assertEquals(1, a.path("count").asInt(), "node " + i + ": " + a);
      assertEquals(nodes.get(1).system().address().toString(), a.path("entries").path(0).path("node").asText());
    }
    TestCluster.assertNothingDoubled(TestCluster.settledAudit(DB, WAIT));
  }

  @Test
  @Order(2)
  void whenTheNodeWithTheBackendsLeavesAnotherTakesThemOverAndNothingIsLostOrDoneTwice() throws Exception {
    // R29, R1: two slow jobs running and two queued on "slow" (2 lanes), a batch on "cc"
    List<String> slow = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      slow.add(submit(port(1 + i % 2), "alice-token", descriptorJob("slow")));
    }
    String batch = openSession(port(2), "alice-token", "batch", "cc", "");
    List<String> batchJobs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      batchJobs.add(submit(port(1), "alice-token", with(descriptorJob("cc", 3), "\"session_id\":\"" + batch + "\"")));
    }
    awaitJob(port(1), "alice-token", slow.get(0), status("Running"), WAIT);
    awaitJob(port(1), "alice-token", slow.get(1), status("Running"), WAIT);

    Main.Node oldest = nodes.remove(0);
    oldest.stop(); // leaves the cluster: its backends move to the next oldest node

    // a new job is served by the backend on its new node
    String after = submit(port(0), "alice-token", descriptorJob("fast"));
    awaitJob(port(1), "alice-token", after, status("Completed"), WAIT);
    for (String id : slow) {
      awaitJob(port(0), "alice-token", id, status("Completed"), WAIT);
    }
    for (String id : batchJobs) {
      awaitJob(port(1), "alice-token", id, status("Completed"), WAIT);
    }
    assertEquals(2, TestCluster.epochs(DB, "slow"), "the backend started once more, on one node");
    Map<String, Long> audit = TestCluster.settledAudit(DB, WAIT);
    TestCluster.assertNothingDoubled(audit);
    assertTrue(audit.get("requeued_runs") >= 2, "the two interrupted runs were re-queued (R29): " + audit);
  }

  @Test
  @Order(3)
  void issue8_anIdempotencyKeyHoldsAcrossNodes() throws Exception {
    // issue 8 item 3 (on the two nodes left after Order 2): a retry through another node, before its read side has the job, finds the
    // key's job through its entity: the first answer, or 422 for another request
    String body = descriptorJob("fast");
    java.util.function.BiFunction<Integer, String, java.net.http.HttpRequest.Builder> job = (node, b) ->
        TestNodes.post(port(node), "/api/v1/jobs", "alice-token", b).header("Idempotency-Key", "cluster-k1");
    var first = send(job.apply(0, body));
    assertEquals(200, first.statusCode(), first.body());
    String id = TestNodes.json(first).path("id").asText();
    var retry = send(job.apply(1, body));
    assertEquals(200, retry.statusCode(), retry.body());
    assertEquals(id, TestNodes.json(retry).path("id").asText());
    var other = send(job.apply(1, descriptorJob("fast", 4)));
    assertEquals(422, other.statusCode(), other.body());
    assertTrue(other.body().contains("Idempotency-Key"), other.body());
    String open = "{\"mode\":\"batch\",\"backend\":\"fast\"}";
    var s1 = send(TestNodes.post(port(1), "/api/v1/sessions", "alice-token", open).header("Idempotency-Key", "cluster-s1"));
    var s2 = send(TestNodes.post(port(0), "/api/v1/sessions", "alice-token", open).header("Idempotency-Key", "cluster-s1"));
    assertEquals(200, s2.statusCode(), s2.body());
    assertEquals(TestNodes.json(s1).path("id").asText(), TestNodes.json(s2).path("id").asText());
    String inSession = with(body, "\"session_id\":\"" + TestNodes.json(s1).path("id").asText() + "\"");
    var j1 = send(TestNodes.post(port(0), "/api/v1/jobs", "alice-token", inSession).header("Idempotency-Key", "cluster-k2"));
    var j2 = send(TestNodes.post(port(1), "/api/v1/jobs", "alice-token", inSession).header("Idempotency-Key", "cluster-k2"));
    assertEquals(200, j2.statusCode(), j2.body());
    assertEquals(TestNodes.json(j1).path("id").asText(), TestNodes.json(j2).path("id").asText());
    awaitJob(port(0), "alice-token", id, status("Completed"), WAIT);
  }
}
