package dev.lanes.server;

import static dev.lanes.server.TestNodes.awaitJob;
import static dev.lanes.server.TestNodes.awaitSession;
import static dev.lanes.server.TestNodes.descriptorJob;
import static dev.lanes.server.TestNodes.get;
import static dev.lanes.server.TestNodes.json;
import static dev.lanes.server.TestNodes.metrics;
import static dev.lanes.server.TestNodes.openSession;
import static dev.lanes.server.TestNodes.patch;
import static dev.lanes.server.TestNodes.send;
import static dev.lanes.server.TestNodes.session;
import static dev.lanes.server.TestNodes.status;
import static dev.lanes.server.TestNodes.submit;
import static dev.lanes.server.TestNodes.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * R29 for sessions and batches: a node stopped or killed in the middle of one resumes it with its
 * deadlines (they are instants in the journal, not timers), its hold and its queue; a deadline
 * that passed while the node was down takes effect on recovery, dated at the deadline.
 */
class SessionRestartTest {
  static final Duration WAIT = Duration.ofSeconds(30);

  private static String inSession(String body, String sessionId) {
    return with(body, "\"session_id\":\"" + sessionId + "\"");
  }

  private static Instant at(JsonNode node, String field) {
    return Instant.parse(node.path(field).asText());
  }

  @Test
  void aStoppedNodeResumesAnActiveSessionWithItsHoldQueueAndTtls() throws Exception {
    // R29, R17, R12, R10
    Path dir = TestNodes.tempDir();
    Main.Node first = Main.Node.start(TestNodes.parse(dir, 0));
    int port = first.port();
    String sid = openSession(port, "alice-token", "dedicated", "one", "\"max_ttl\":3600");
    String interrupted = submit(port, "alice-token", inSession(descriptorJob("one", 30), sid));
    awaitJob(port, "alice-token", interrupted, status("Running"), WAIT);
    String queued = submit(port, "alice-token", inSession(descriptorJob("one", 1), sid));
    String bobs = submit(port, "bob-token", descriptorJob("one", 1));
    JsonNode before = session(port, "alice-token", sid);
    first.stop();

    Main.Node node = Main.Node.start(TestNodes.parse(dir, 0));
    try {
      port = node.port();
      JsonNode after = session(port, "alice-token", sid);
      assertEquals("active", after.path("state").asText(), after.toString());
      assertEquals(before.path("started_at").asText(), after.path("started_at").asText());
      assertTrue(after.path("active_ttl").asDouble() < 3600, "R12: the max TTL kept running: " + after);
      JsonNode rerun = awaitJob(port, "alice-token", interrupted, status("Completed"), WAIT);
      awaitJob(port, "alice-token", queued, status("Completed"), WAIT);
      assertEquals(2, node.lanes().gateway().job(interrupted).orElseThrow().attempt(), rerun.toString());
      // the session still holds the backend: Bob waits though the lane is free (R17)
      assertEquals("Queued", json(send(get(port, "/api/v1/jobs/" + bobs, "bob-token"))).path("state").path("status").asText());
      assertEquals("session", json(send(get(port, "/api/v1/backends/one/status", "bob-token"))).path("holder").path("kind").asText());
      assertEquals(204, send(patch(port, "/api/v1/sessions/" + sid, "alice-token", "{\"accepting_jobs\":false}")).statusCode());
      JsonNode closed = awaitSession(port, "alice-token", sid, j -> j.path("state").asText().equals("closed"), WAIT);
      awaitJob(port, "bob-token", bobs, status("Completed"), WAIT);
      assertFalse(at(metrics(port, "bob-token", bobs).path("timestamps"), "running").isBefore(at(closed, "closed_at")));
    } finally {
      node.stop();
    }
  }

  @Test
  void aMaxTtlThatPassedWhileAKilledNodeWasDownTakesEffectOnRecovery() throws Exception {
    // R29, R20, R12: kill -9 in the middle of a batch; its max time passes while the node is down
    Path dir = TestNodes.tempDir();
    int port = RestartTest.freePort();
    Path conf = dir.resolve("node.conf");
    Files.writeString(conf, TestNodes.config(dir.resolve("data"), port));
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--config", conf.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("node.log").toFile()).start();
    String sid;
    String interrupted;
    List<String> queued;
    try {
      RestartTest.awaitReady(port, p, dir);
      sid = openSession(port, "alice-token", "batch", "one", "\"max_ttl\":2");
      interrupted = submit(port, "alice-token", inSession(descriptorJob("one", 50), sid));
      queued = List.of(submit(port, "alice-token", inSession(descriptorJob("one", 1), sid)),
          submit(port, "alice-token", inSession(descriptorJob("one", 1), sid)));
      awaitJob(port, "alice-token", interrupted, status("Running"), WAIT);
      p.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    } finally {
      p.destroyForcibly();
    }
    Main.Node node = Main.Node.start(TestNodes.parse(dir.resolve("data"), 0));
    try {
      int again = node.port();
      JsonNode s = session(again, "alice-token", sid);
      Instant started = at(s, "started_at");
      if (Instant.now().isBefore(started.plusSeconds(2))) {
        // the restart was quicker than the 2 s max time: then the timer closes it
        s = awaitSession(again, "alice-token", sid, j -> j.path("state").asText().equals("closed"), WAIT);
      }
      assertEquals("closed", s.path("state").asText(), s.toString());
      assertEquals(started.plusSeconds(2), at(s, "closed_at"), "dated at the deadline, not at recovery");
      assertTrue(s.path("state_reason").asText().contains("max TTL of 2 s"), s.toString());
      for (String id : queued) {
        awaitJob(again, "alice-token", id, status("Cancelled"), WAIT);
      }
      // the run cut off by the kill goes again (R29) and finishes, once
      awaitJob(again, "alice-token", interrupted, status("Completed"), WAIT);
      assertEquals(2, node.lanes().gateway().job(interrupted).orElseThrow().attempt());
    } finally {
      node.stop();
    }
  }
}
