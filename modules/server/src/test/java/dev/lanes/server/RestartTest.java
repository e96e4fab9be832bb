package dev.lanes.server;

import static dev.lanes.server.TestNodes.awaitJob;
import static dev.lanes.server.TestNodes.descriptorJob;
import static dev.lanes.server.TestNodes.status;
import static dev.lanes.server.TestNodes.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.persistence.query.PersistenceQuery;
import akka.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import akka.stream.javadsl.Sink;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.lanes.core.job.JobEvent;
import dev.lanes.core.job.JobState;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * R29, R27: accepted jobs survive a graceful stop and a kill -9 of a separate JVM; after restart
 * every job ends exactly once, interrupted runs start again, and no charge is doubled.
 */
class RestartTest {
  /** On restart the slow backend is made fast, so the test need not wait out the 3 s jobs. */
  private static final Config FAST_AGAIN = ConfigFactory.parseString(
      "lanes.backends = [ { name = fast, qubits = 30, lanes = 2 }, { name = slow, qubits = 30, lanes = 2,"
          + " timing { prep-per-circuit = 10ms, job-overhead = 100ms, job-overhead-per-qubit-layer = 0s } } ]");

  @Test
  void aGracefulStopLosesNothingAndRequeuesTheRunningJobs() throws Exception {
    Path dir = TestNodes.tempDir();
    Main.Node first = Main.Node.start(TestNodes.parse(dir, 0));
    List<String> ids = submitWorkload(first.port());
    first.stop();
    verifyAfterRestart(dir, ids);
  }

  @Test
  void aKillDashNineLosesNoAcceptedJobAndEveryJobEndsExactlyOnce() throws Exception {
    stopSeparateNodeAndRestart(true);
  }

  @Test
  void sigtermStopsASeparateNodeCleanlyWithin30SecondsAndLosesNothing() throws Exception {
    // config.md: scripts/run stops cleanly on SIGTERM within 30 s (coordinated shutdown).
    stopSeparateNodeAndRestart(false);
  }

  private static void stopSeparateNodeAndRestart(boolean kill) throws Exception {
    Path dir = TestNodes.tempDir();
    int port = freePort();
    Path conf = dir.resolve("node.conf");
    Files.writeString(conf, TestNodes.config(dir.resolve("data"), port));
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--config", conf.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("node.log").toFile()).start();
    try {
      awaitReady(port, p, dir);
      List<String> ids = submitWorkload(port);
      if (kill) {
        p.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
      } else {
        p.destroy(); // SIGTERM
      }
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "node still running 30 s after the signal");
      verifyAfterRestart(dir.resolve("data"), ids);
    } finally {
      p.destroyForcibly();
    }
  }

  /** Two jobs done and charged, two running on the slow backend, three queued behind them. */
  private static List<String> submitWorkload(int port) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      String id = submit(port, "alice-token", descriptorJob("fast"));
      awaitJob(port, "alice-token", id, status("Completed"), Duration.ofSeconds(20));
      ids.add(id);
    }
    List<String> slow = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      slow.add(submit(port, "alice-token", descriptorJob("slow")));
    }
    awaitJob(port, "alice-token", slow.get(0), status("Running"), Duration.ofSeconds(20));
    awaitJob(port, "alice-token", slow.get(1), status("Running"), Duration.ofSeconds(20));
    ids.addAll(slow);
    return ids;
  }

  private static void verifyAfterRestart(Path dataDir, List<String> ids) throws Exception {
    Main.Node node = Main.Node.start(TestNodes.parse(dataDir, 0).withFallback(FAST_AGAIN)
        .withValue("lanes.backends", FAST_AGAIN.getValue("lanes.backends")));
    try {
      double charged = 0;
      for (String id : ids) {
        JsonNode job = awaitJob(node.port(), "alice-token", id, TestNodes::isFinal, Duration.ofSeconds(30));
        assertEquals("Completed", job.path("state").path("status").asText(), job.toString());
        charged += job.path("usage").path("quantum_seconds").asDouble();
      }
      // The two runs cut off by the stop ran again as a second attempt; the others ran once.
      for (int i = 0; i < ids.size(); i++) {
        JobState s = node.lanes().gateway().job(ids.get(i)).orElseThrow();
        assertEquals(i == 2 || i == 3 ? 2 : 1, s.attempt(), "attempts of job " + i);
        assertEquals(1, finishedEvents(node, ids.get(i)), "job " + i + " must end exactly once");
      }
      JsonNode usage = TestNodes.json(TestNodes.send(TestNodes.get(node.port(), "/api/v1/instances/usage", "alice-token")));
      assertEquals(charged, usage.path("usage_consumed_seconds").asDouble(), 1e-6, "charges doubled or lost (R27)");
      awaitCharged(node, ids);
    } finally {
      node.stop();
    }
  }

  private static long finishedEvents(Main.Node node, String id) throws Exception {
    CurrentEventsByPersistenceIdQuery q = PersistenceQuery.get(node.system())
        .getReadJournalFor(CurrentEventsByPersistenceIdQuery.class, "jdbc-read-journal");
    return q.currentEventsByPersistenceId("Job|" + id, 0, Long.MAX_VALUE)
        .filter(e -> e.event() instanceof JobEvent.Finished)
        .runWith(Sink.fold(0L, (n, e) -> n + 1), node.system()).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static void awaitCharged(Main.Node node, List<String> ids) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(10);
    while (Instant.now().isBefore(deadline)) {
      if (ids.stream().allMatch(id -> node.lanes().gateway().job(id).map(JobState::charged).orElse(false))) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("not every final job recorded its charge");
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static void awaitReady(int port, Process p, Path dir) throws Exception {
    Instant deadline = Instant.now().plusSeconds(90);
    while (Instant.now().isBefore(deadline)) {
      if (!p.isAlive()) {
        throw new AssertionError("node exited: " + Files.readString(dir.resolve("node.log")));
      }
      try {
        if (TestNodes.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))).statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("node not ready in 90 s: " + Files.readString(dir.resolve("node.log")));
  }
}
