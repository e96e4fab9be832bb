package dev.lanes.server;

import static dev.lanes.server.TestNodes.descriptorJob;
import static dev.lanes.server.TestNodes.get;
import static dev.lanes.server.TestNodes.json;
import static dev.lanes.server.TestNodes.openSession;
import static dev.lanes.server.TestNodes.post;
import static dev.lanes.server.TestNodes.send;
import static dev.lanes.server.TestNodes.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 8 item 3, api.md "Conventions": a POST /jobs or POST /sessions retried with the same
 * Idempotency-Key returns the first answer and creates nothing; the same key with another request
 * is 422 naming the header; the key is kept for lanes.idempotency.key-ttl (24 h) from its first
 * use, across restarts, then forgotten. The node reads a clock the test moves, so nobody waits a day.
 */
class IdempotencyTest {
  private static final String JOBS = "/api/v1/jobs";
  private static final String SESSIONS = "/api/v1/sessions";
  static final ShiftedClock clock = new ShiftedClock();
  static Main.Node node;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    node = Main.Node.start(TestNodes.parse(TestNodes.tempDir(), 0), clock);
    port = node.port();
  }

  @AfterAll
  static void stop() throws Exception {
    node.stop();
  }

  static HttpResponse<String> postJob(int port, String token, String body, String key) throws Exception {
    return send(post(port, JOBS, token, body).header("Idempotency-Key", key));
  }

  static String id(HttpResponse<String> r) throws Exception {
    assertEquals(200, r.statusCode(), r.body());
    return json(r).path("id").asText();
  }

  static int jobCount(int port, String token) throws Exception {
    return json(send(get(port, JOBS + "?limit=1", token))).path("count").asInt();
  }

  static void assert422(HttpResponse<String> r) throws Exception {
    assertEquals(422, r.statusCode(), r.body());
    JsonNode e = json(r);
    String message = e.path("errors").path(0).path("message").asText();
    assertTrue(message.contains("Idempotency-Key"), message);
    assertEquals(422, e.path("errors").path(0).path("code").asInt());
    assertTrue(e.has("trace"));
  }

  @Test
  void issue8_theSameKeyWithAnotherBodyIs422AndCreatesNothing() throws Exception {
    String body = descriptorJob("fast", 2);
    String first = id(postJob(port, "alice-token", body, "conflict-1"));
    int count = jobCount(port, "alice-token");
    assertEquals(first, id(postJob(port, "alice-token", body, "conflict-1")), "the first answer");
    assert422(postJob(port, "alice-token", descriptorJob("fast", 3), "conflict-1"));
    assert422(postJob(port, "alice-token", with(body, "\"tags\":[\"x\"]"), "conflict-1"));
    assert422(postJob(port, "alice-token", descriptorJob("five", 2), "conflict-1"));
    assertEquals(count, jobCount(port, "alice-token"), "nothing new");
    // the same params with their keys in another order are the same request
    String reordered = "{\"backend\":\"fast\",\"params\":{\"pubs\":[{\"shots\":1,\"circuit\":"
        + "{\"circuits\":2,\"depth\":1,\"num_qubits\":2}}]},\"program_id\":\"sampler\"}";
    assertEquals(first, id(postJob(port, "alice-token", reordered, "conflict-1")));
  }

  @Test
  void issue8_aJobOfASessionKeepsItsKeyToo() throws Exception {
    String sid = openSession(port, "alice-token", "batch", "fast", "");
    String body = with(descriptorJob("fast", 1), "\"session_id\":\"" + sid + "\"");
    String first = id(postJob(port, "alice-token", body, "in-session-1"));
    assertEquals(first, id(postJob(port, "alice-token", body, "in-session-1")));
    assert422(postJob(port, "alice-token", descriptorJob("fast", 1), "in-session-1")); // without the session
    JsonNode listed = json(send(get(port, JOBS + "?session_id=" + sid, "alice-token")));
    assertEquals(1, listed.path("count").asInt(), listed.toString());
  }

  @Test
  void issue8_sessionsAnswerTheFirstSessionAndRefuseAnotherRequest() throws Exception {
    String body = "{\"mode\":\"batch\",\"backend\":\"fast\"}";
    String first = id(send(post(port, SESSIONS, "alice-token", body).header("Idempotency-Key", "s-1")));
    assertEquals(first, id(send(post(port, SESSIONS, "alice-token", body).header("Idempotency-Key", "s-1"))));
    assert422(send(post(port, SESSIONS, "alice-token", "{\"mode\":\"dedicated\",\"backend\":\"fast\"}")
        .header("Idempotency-Key", "s-1")));
    assert422(send(post(port, SESSIONS, "alice-token", "{\"mode\":\"batch\",\"backend\":\"fast\",\"max_ttl\":60}")
        .header("Idempotency-Key", "s-1")));
  }

  @Test
  void issue8_aKeyIsForgottenADayAfterItsFirstUseThenNamesTheNewRequest() throws Exception {
    String body = descriptorJob("fast", 1);
    String first = id(postJob(port, "bob-token", body, "daily"));
    String session = id(send(post(port, SESSIONS, "bob-token", "{\"mode\":\"batch\",\"backend\":\"fast\"}")
        .header("Idempotency-Key", "daily-s")));
    clock.advance(Duration.ofHours(23).plusMinutes(59));
    assertEquals(first, id(postJob(port, "bob-token", body, "daily")), "still kept just before 24 h");
    clock.advance(Duration.ofMinutes(1));
    int count = jobCount(port, "bob-token");
    String second = id(postJob(port, "bob-token", descriptorJob("fast", 2), "daily"));
    assertNotEquals(first, second, "24 h after its first use the key creates a new job");
    assertEquals(count + 1, jobCount(port, "bob-token"));
    assertEquals(second, id(postJob(port, "bob-token", descriptorJob("fast", 2), "daily")),
        "a retry of the new request answers the new job");
    assert422(postJob(port, "bob-token", body, "daily"));
    assertEquals(200, send(get(port, JOBS + "/" + first, "bob-token")).statusCode(), "the old job stays");
    String session2 = id(send(post(port, SESSIONS, "bob-token", "{\"mode\":\"dedicated\",\"backend\":\"fast\"}")
        .header("Idempotency-Key", "daily-s")));
    assertNotEquals(session, session2);
    clock.advance(Duration.ofHours(24));
    String third = id(postJob(port, "bob-token", body, "daily"));
    assertNotEquals(first, third);
    assertNotEquals(second, third);
    assertEquals(third, id(postJob(port, "bob-token", body, "daily")));
  }

  @Test
  void issue8_keysSurviveARestart() throws Exception {
    Path dir = TestNodes.tempDir();
    Main.Node one = Main.Node.start(TestNodes.parse(dir, 0));
    String body = descriptorJob("fast", 1);
    String job;
    String session;
    try {
      job = id(postJob(one.port(), "alice-token", body, "restart-1"));
      session = id(send(post(one.port(), SESSIONS, "alice-token", "{\"mode\":\"batch\",\"backend\":\"fast\"}")
          .header("Idempotency-Key", "restart-s")));
    } finally {
      one.stop();
    }
    Main.Node again = Main.Node.start(TestNodes.parse(dir, 0));
    try {
      int count = jobCount(again.port(), "alice-token");
      assertEquals(job, id(postJob(again.port(), "alice-token", body, "restart-1")), "same id after a restart");
      assert422(postJob(again.port(), "alice-token", descriptorJob("fast", 5), "restart-1"));
      assertEquals(count, jobCount(again.port(), "alice-token"), "nothing new");
      assertEquals(session, id(send(post(again.port(), SESSIONS, "alice-token",
          "{\"mode\":\"batch\",\"backend\":\"fast\"}").header("Idempotency-Key", "restart-s"))));
    } finally {
      again.stop();
    }
  }
}
