package dev.lanes.server;

import static dev.lanes.server.TestNodes.awaitJob;
import static dev.lanes.server.TestNodes.descriptorJob;
import static dev.lanes.server.TestNodes.get;
import static dev.lanes.server.TestNodes.post;
import static dev.lanes.server.TestNodes.send;
import static dev.lanes.server.TestNodes.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, item 6 (with R29): PostgreSQL gone in the middle of a run, then back. The node's link
 * to it is cut ({@link FlakyLink}), so the shared server is never stopped.
 */
class StorageFaultTest {
  static final String DB = "lanes_fault_test";
  static FlakyLink link;
  static Main.Node node;

  @BeforeAll
  static void start() throws Exception {
    TestCluster.freshDatabase(DB);
    link = new FlakyLink(5432);
    node = Main.Node.start(ConfigFactory.parseString("lanes.storage = postgres\nlanes.postgres { url = \"jdbc:postgresql://127.0.0.1:"
        + link.port() + "/" + DB + "\", user = lanes, password = lanes }")
        .withFallback(TestNodes.parse(TestNodes.tempDir().resolve("data"), 0)));
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.stop();
    }
    link.close();
  }

  static HttpResponse<String> submit(String body) throws Exception {
    return send(post(node.port(), "/api/v1/jobs", "alice-token", body).timeout(Duration.ofSeconds(30)));
  }

  static int busyLanes(int port, String backend) throws Exception {
    for (JsonNode d : TestNodes.json(send(get(port, "/api/v1/backends", "alice-token"))).path("devices")) {
      if (d.path("name").asText().equals(backend)) {
        return d.path("lanes_busy").asInt();
      }
    }
    throw new AssertionError("no backend " + backend);
  }

  /** Submits until {@code until} holds for an answer (bounded); answers that answer. */
  static HttpResponse<String> submitUntil(java.util.function.Predicate<HttpResponse<String>> until, Duration max,
      List<String> accepted) throws Exception {
    Instant deadline = Instant.now().plus(max);
    while (true) {
      HttpResponse<String> r = submit(descriptorJob("five", 1));
      if (r.statusCode() == 200) {
        accepted.add(TestNodes.json(r).get("id").asText());
      } else {
        assertEquals(503, r.statusCode(), "a write while storage is away: " + r.body());
        assertTrue(TestNodes.json(r).path("errors").path(0).path("message").isTextual(), r.body());
      }
      if (until.test(r) || Instant.now().isAfter(deadline)) {
        assertTrue(until.test(r), "not reached within " + max + "; last answer " + r.statusCode() + " " + r.body());
        return r;
      }
      Thread.sleep(200);
    }
  }

  @Test
  void writesAnswer503WhileStorageIsAwayNothingAcceptedIsLostAndTheNodeRecoversByItself() throws Exception {
    int port = node.port();
    List<String> accepted = new ArrayList<>();
    for (int i = 0; i < 7; i++) { // five lanes: five run (3 s each), two wait
      HttpResponse<String> r = submit(descriptorJob("five", 30));
      assertEquals(200, r.statusCode(), r.body());
      accepted.add(TestNodes.json(r).get("id").asText());
    }
    awaitJob(port, "alice-token", accepted.get(0), status("Running"), Duration.ofSeconds(20));

    link.cut();
    HttpResponse<String> refused = submitUntil(r -> r.statusCode() == 503, Duration.ofSeconds(30), accepted);
    assertTrue(refused.body().contains("retry"), refused.body());
    // Reads go on from the node's read model, and readiness says why writes fail.
    assertEquals(200, send(get(port, "/api/v1/jobs/" + accepted.get(0), "alice-token")).statusCode());
    HttpResponse<String> ready = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")));
    assertEquals(503, ready.statusCode(), ready.body());
    // The runs in flight end meanwhile, and the waiting jobs take their lanes: no end and no start
    // can be written. Once every lane is free again, all of that is lost unless recovered.
    Instant deadline = Instant.now().plusSeconds(60);
    while (busyLanes(port, "five") > 0) {
      assertTrue(Instant.now().isBefore(deadline), "the lanes of five never emptied while storage was away");
      Thread.sleep(200);
    }

    link.restore();
    submitUntil(r -> r.statusCode() == 200, Duration.ofSeconds(60), accepted);
    for (String id : accepted) {
      JsonNode job = awaitJob(port, "alice-token", id, status("Completed"), Duration.ofSeconds(90));
      assertEquals("Completed", job.path("status").asText(), id + ": " + job);
    }
    assertEquals(accepted.size(), TestNodes.json(send(get(port, "/api/v1/jobs?limit=200", "alice-token")))
        .path("count").asInt(), "every accepted job is there, and nothing else");
    assertEquals(200, send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))).statusCode());
  }
}
