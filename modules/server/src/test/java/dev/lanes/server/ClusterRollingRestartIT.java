package dev.lanes.server;

import static dev.lanes.server.TestNodes.awaitJob;
import static dev.lanes.server.TestNodes.descriptorJob;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Issue 6, R29: a rolling restart of every node of a three-node cluster (SIGTERM, start again)
 * while a client keeps submitting, retrying with its Idempotency-Key as clients do: every job
 * accepted ends, none started, ended or charged twice.
 */
class ClusterRollingRestartIT {
  static final String DB = "lanes_rolling_it";
  static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  void aRollingRestartUnderLoadLosesNothing() throws Exception {
    TestCluster.freshDatabase(DB);
    List<TestCluster.NodeProcess> nodes = TestCluster.nodeProcesses(DB, 3);
    List<Integer> ports = nodes.stream().map(n -> n.httpPort).toList();
    List<String> accepted = new CopyOnWriteArrayList<>();
    AtomicBoolean submitting = new AtomicBoolean(true);
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread client = new Thread(() -> {
      try {
        for (int i = 0; submitting.get(); i++) {
          String backend = i % 3 == 0 ? "five" : "fast";
          accepted.add(TestCluster.submitRetrying(ports, "alice-token", descriptorJob(backend, 1 + i % 3), WAIT));
          Thread.sleep(50); // the client's pace, not an assertion
        }
      } catch (Throwable t) {
        failed.set(t);
      }
    }, "rolling-restart-client");
    try {
      TestCluster.startAll(nodes, WAIT);
      client.start();
      for (TestCluster.NodeProcess n : nodes) {
        Thread.sleep(2000); // let work arrive between restarts, not an assertion
        assertTrue(n.stop(), "a node did not stop within 30 s of SIGTERM");
        n.start().awaitReady(WAIT);
      }
      Thread.sleep(2000);
      submitting.set(false);
      client.join(WAIT.toMillis());
      assertEquals(null, failed.get(), "the client gave up on a submit");
      assertTrue(accepted.size() > 20, "the client kept submitting: " + accepted.size());
      for (String id : accepted) {
        awaitJob(ports.get(0), "alice-token", id, TestNodes::isFinal, WAIT);
      }
      Map<String, Long> audit = TestCluster.settledAudit(DB, WAIT);
      assertEquals((long) accepted.size(), audit.get("jobs"), "one job per accepted submit: " + audit);
      TestCluster.assertNothingDoubled(audit);
      System.out.printf("ClusterRollingRestartIT: %d jobs accepted across 3 restarts; %s%n", accepted.size(), audit);
    } finally {
      submitting.set(false);
      for (TestCluster.NodeProcess n : nodes) {
        if (n.process != null) {
          n.process.destroyForcibly();
        }
      }
    }
  }
}
