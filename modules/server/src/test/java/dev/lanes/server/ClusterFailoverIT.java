package dev.lanes.server;

import static dev.lanes.server.TestNodes.awaitJob;
import static dev.lanes.server.TestNodes.awaitSession;
import static dev.lanes.server.TestNodes.descriptorJob;
import static dev.lanes.server.TestNodes.openSession;
import static dev.lanes.server.TestNodes.status;
import static dev.lanes.server.TestNodes.submit;
import static dev.lanes.server.TestNodes.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 6, R29, R1, R27, R12: kill -9 of the node that runs the backends, three nodes as separate
 * processes on the local PostgreSQL. Another node takes the backends over; the runs cut off are
 * re-queued and run again once; queued jobs, a dedicated session and a batch go on, the session
 * keeping its max-TTL deadline; nothing is lost, started twice or charged twice.
 */
class ClusterFailoverIT {
  static final String DB = "lanes_failover_it";
  static final Duration WAIT = Duration.ofSeconds(60);

  private static String inSession(String body, String sessionId) {
    return with(body, "\"session_id\":\"" + sessionId + "\"");
  }

  @Test
  void killingTheNodeThatRunsTheBackendsLosesNothingAndDoublesNothing() throws Exception {
    TestCluster.freshDatabase(DB);
    List<TestCluster.NodeProcess> nodes = TestCluster.nodeProcesses(DB, 3);
    try {
      TestCluster.startAll(nodes, Duration.ofSeconds(90));
      int a = nodes.get(1).httpPort;
      int b = nodes.get(2).httpPort;
      // A dedicated session whose max TTL (25 s from its first job's start) falls after the kill
      String session = openSession(b, "alice-token", "dedicated", "five", "\"max_ttl\":25");
      String sessionJob = submit(a, "alice-token", inSession(descriptorJob("five", 2), session));
      awaitJob(b, "alice-token", sessionJob, status("Completed"), WAIT);
      // A batch with three jobs on "cc"
      String batch = openSession(a, "alice-token", "batch", "cc", "");
      List<String> batchJobs = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        batchJobs.add(submit(b, "alice-token", inSession(descriptorJob("cc", 5), batch)));
      }
      // Two runs on "slow" (2 lanes, 3 s per circuit) and two queued behind them, sent last so that
      // the runs are still running at the kill however long the steps above took on a busy machine
      List<String> slow = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        slow.add(submit(i % 2 == 0 ? a : b, "alice-token", descriptorJob("slow")));
      }
      awaitJob(a, "alice-token", slow.get(0), status("Running"), WAIT);
      awaitJob(a, "alice-token", slow.get(1), status("Running"), WAIT);

      Instant killed = Instant.now();
      nodes.get(0).kill();
      String probe = TestCluster.submitRetrying(List.of(a, b), "alice-token", descriptorJob("fast"), WAIT);
      awaitJob(a, "alice-token", probe, status("Completed"), WAIT);
      System.out.printf("ClusterFailoverIT: a job sent after the kill completed %d ms after it%n",
          Duration.between(killed, Instant.now()).toMillis());

      for (String id : slow) {
        awaitJob(b, "alice-token", id, status("Completed"), WAIT);
      }
      for (String id : batchJobs) {
        awaitJob(a, "alice-token", id, status("Completed"), WAIT);
      }
      // R12: the session's max TTL still ends it, dated at its deadline, after the fail-over
      JsonNode s = awaitSession(a, "alice-token", session, j -> j.path("state").asText().equals("closed"), WAIT);
      Instant started = Instant.parse(s.path("started_at").asText());
      assertEquals(started.plusSeconds(25), Instant.parse(s.path("closed_at").asText()), s.toString());
      assertTrue(s.path("state_reason").asText().contains("max TTL"), s.toString());

      assertEquals(2, TestCluster.epochs(DB, "slow"), "the backend started once more, on one node");
      Map<String, Long> audit = TestCluster.settledAudit(DB, WAIT);
      TestCluster.assertNothingDoubled(audit);
      assertTrue(audit.get("requeued_runs") >= 2, "the runs cut off were re-queued (R29): " + audit);
    } finally {
      for (TestCluster.NodeProcess n : nodes) {
        if (n.process != null) {
          n.process.destroyForcibly();
        }
      }
    }
  }
}
