package dev.lanes.server;

import static dev.lanes.server.TestNodes.descriptorJob;
import static dev.lanes.server.TestNodes.json;
import static dev.lanes.server.TestNodes.openSession;
import static dev.lanes.server.TestNodes.post;
import static dev.lanes.server.TestNodes.send;
import static dev.lanes.server.TestNodes.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 8 item 4: limits.jobs-per-minute per user (here 3): a burst of 3, then 429 with
 * Retry-After and a body naming the key; every job creation counts (sessions' too), a retry of a
 * job already created does not. The node reads a clock the test moves.
 */
class RateLimitApiTest {
  static final ShiftedClock clock = new ShiftedClock();
  static Main.Node node;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    node = Main.Node.start(ConfigFactory.parseString("lanes.limits.jobs-per-minute = 3")
        .withFallback(TestNodes.parse(TestNodes.tempDir(), 0)), clock);
    port = node.port();
  }

  @AfterAll
  static void stop() throws Exception {
    node.stop();
  }

  static HttpResponse<String> submit(String token, String body, String key) throws Exception {
    var req = post(port, "/api/v1/jobs", token, body);
    return send(key == null ? req : req.header("Idempotency-Key", key));
  }

  @Test
  void issue8_pastTheLimitA429WithRetryAfterNamingTheKeyAndRetriesStillAnswered() throws Exception {
    String sid = openSession(port, "alice-token", "batch", "fast", "");
    HttpResponse<String> keyed = submit("alice-token", descriptorJob("fast"), "rl-1");
    assertEquals(200, keyed.statusCode(), keyed.body());
    assertEquals(200, submit("alice-token", descriptorJob("fast"), null).statusCode());
    HttpResponse<String> inSession = submit("alice-token",
        with(descriptorJob("fast"), "\"session_id\":\"" + sid + "\""), null);
    assertEquals(200, inSession.statusCode(), inSession.body());

    HttpResponse<String> refused = submit("alice-token", descriptorJob("fast"), null);
    assertEquals(429, refused.statusCode(), refused.body());
    long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retryAfter >= 1 && retryAfter <= 20, "one token every 20 s: " + retryAfter);
    JsonNode e = json(refused);
    assertTrue(e.path("errors").path(0).path("message").asText().contains("limits.jobs-per-minute"), e.toString());
    assertEquals(429, e.path("errors").path(0).path("code").asInt());
    assertTrue(e.has("trace"));
    assertEquals(429, submit("alice-token", with(descriptorJob("fast"), "\"session_id\":\"" + sid + "\""), null)
        .statusCode(), "a session's job counts too");

    // a retry of a job already created is answered, not refused; another user has their own limit
    HttpResponse<String> retry = submit("alice-token", descriptorJob("fast"), "rl-1");
    assertEquals(200, retry.statusCode(), retry.body());
    assertEquals(json(keyed).path("id").asText(), json(retry).path("id").asText());
    assertEquals(200, submit("bob-token", descriptorJob("fast"), null).statusCode());
    // a refused request (404) takes no token: still one wait away, not more
    assertEquals(404, submit("alice-token", descriptorJob("nope"), null).statusCode());

    clock.advance(Duration.ofSeconds(retryAfter));
    HttpResponse<String> later = submit("alice-token", descriptorJob("fast"), null);
    assertEquals(200, later.statusCode(), later.body());
    assertEquals(429, submit("alice-token", descriptorJob("fast"), null).statusCode(), "one token per 20 s");
  }
}
