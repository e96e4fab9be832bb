package dev.lanes.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/** Real nodes for server tests: H2 in a temp dir, an ephemeral port, fast timing. */
final class TestNodes {
  static final String A = "crn:test:alice";
  static final String B = "crn:test:bob";
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestNodes() {}

  /**
   * Backends "five" (5 lanes), "excl" (3), "cc" (2), "ttl" and "one" (1): 100 ms of
   * pre-processing per circuit, so a descriptor job of n circuits holds its lane about n/10 s.
   * Instance crn:test:open (token open-token) has no dedicated sessions.
   *
   * <p>Backend "fast": jobs take a few ms. Backend "slow": 3 s of pre-processing per circuit, so a
   * job stays Running long enough to be cancelled or interrupted. Both 2 lanes.
   */
  static String config(Path dataDir, int port) {
    return """
        lanes {
          http.port = %d
          data-dir = "%s"
          backends = [
            { name = "fast", qubits = 30, lanes = 2,
              timing { prep-per-circuit = 1ms, post-per-circuit = 1ms, job-overhead = 20ms,
                       job-overhead-per-qubit-layer = 0s, shot-time = 1us, layer-time = 1us } }
            { name = "slow", qubits = 30, lanes = 2,
              timing { prep-per-circuit = 3s, post-per-circuit = 1ms, job-overhead = 100ms,
                       job-overhead-per-qubit-layer = 0s, shot-time = 1us } }
            { name = "five", qubits = 30, lanes = 5, timing { prep-per-circuit = 100ms, post-per-circuit = 0s, job-overhead = 10ms, job-overhead-per-qubit-layer = 0s, shot-time = 1us, layer-time = 0s } }
            { name = "excl", qubits = 30, lanes = 3, timing { prep-per-circuit = 100ms, post-per-circuit = 0s, job-overhead = 10ms, job-overhead-per-qubit-layer = 0s, shot-time = 1us, layer-time = 0s } }
            { name = "cc", qubits = 30, lanes = 2, timing { prep-per-circuit = 100ms, post-per-circuit = 0s, job-overhead = 10ms, job-overhead-per-qubit-layer = 0s, shot-time = 1us, layer-time = 0s } }
            { name = "ttl", qubits = 30, lanes = 1, timing { prep-per-circuit = 100ms, post-per-circuit = 0s, job-overhead = 10ms, job-overhead-per-qubit-layer = 0s, shot-time = 1us, layer-time = 0s } }
            { name = "one", qubits = 30, lanes = 1, timing { prep-per-circuit = 100ms, post-per-circuit = 0s, job-overhead = 10ms, job-overhead-per-qubit-layer = 0s, shot-time = 1us, layer-time = 0s } }
          ]
          instances = [ { id = "%s" }, { id = "%s" }, { id = "crn:test:open", sessions-allowed = false } ]
          tokens = [
            { token = "alice-token", user = "alice", instances = ["%s"] }
            { token = "bob-token", user = "bob", instances = ["%s"] }
            { token = "both-token", user = "carol", instances = ["%s", "%s"] }
            { token = "admin-token", user = "root", instances = ["%s"], admin = true }
            { token = "open-token", user = "olga", instances = ["crn:test:open"] }
          ]
          jobs { max-payload = 64KiB, max-executions = 1000000 }
        }
        """.formatted(port, dataDir.toString().replace("\\", "/"), A, B, A, B, A, B, A);
  }

  static Config parse(Path dataDir, int port) {
    return ConfigFactory.parseString(config(dataDir, port));
  }

  static Path tempDir() throws IOException {
    return Files.createTempDirectory("lanes-test");
  }

  static HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpRequest.Builder get(int port, String path, String token) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Authorization", "Bearer " + token).GET();
  }

  static HttpRequest.Builder post(int port, String path, String token, String json) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
  }

  static String job(String backend, String circuitJson, int shots) {
    return "{\"program_id\":\"sampler\",\"backend\":\"" + backend + "\",\"params\":{\"pubs\":[{\"circuit\":"
        + circuitJson + ",\"shots\":" + shots + "}]}}";
  }

  /** The body with extra top-level fields, e.g. {@code "tags":["a"]}. */
  static String with(String body, String fields) {
    return body.substring(0, body.length() - 1) + "," + fields + "}";
  }

  /** A timing-only job of {@code circuits} circuits (one shot each). */
  static String descriptorJob(String backend, int circuits) {
    return job(backend, "{\"num_qubits\":2,\"depth\":1,\"circuits\":" + circuits + "}", 1);
  }

  static HttpRequest.Builder patch(int port, String path, String token, String json) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(json));
  }

  static HttpRequest.Builder delete(int port, String path, String token) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Authorization", "Bearer " + token).DELETE();
  }

  /** Opens a session or batch; answers its id. */
  static String openSession(int port, String token, String mode, String backend, String extra) throws Exception {
    String body = "{\"mode\":\"" + mode + "\",\"backend\":\"" + backend + "\"" + (extra.isEmpty() ? "" : "," + extra) + "}";
    HttpResponse<String> r = send(post(port, "/api/v1/sessions", token, body));
    if (r.statusCode() != 200) {
      throw new AssertionError("open session answered " + r.statusCode() + ": " + r.body());
    }
    return json(r).get("id").asText();
  }

  static JsonNode session(int port, String token, String id) throws Exception {
    HttpResponse<String> r = send(get(port, "/api/v1/sessions/" + id, token));
    if (r.statusCode() != 200) {
      throw new AssertionError("GET session answered " + r.statusCode() + ": " + r.body());
    }
    return json(r);
  }

  /** Polls a session until the predicate holds (bounded). */
  static JsonNode awaitSession(int port, String token, String id, Predicate<JsonNode> until, Duration max) throws Exception {
    Instant deadline = Instant.now().plus(max);
    JsonNode last = null;
    while (Instant.now().isBefore(deadline)) {
      last = session(port, token, id);
      if (until.test(last)) {
        return last;
      }
      Thread.sleep(20); // polling interval, not an assertion
    }
    throw new AssertionError("session " + id + " did not reach the expected state in " + max + "; last: " + last);
  }

  static JsonNode metrics(int port, String token, String jobId) throws Exception {
    return json(send(get(port, "/api/v1/jobs/" + jobId + "/metrics", token)));
  }

  static String descriptorJob(String backend) {
    return job(backend, "{\"num_qubits\":2,\"depth\":1}", 1);
  }

  static JsonNode json(HttpResponse<String> r) throws IOException {
    return JSON.readTree(r.body());
  }

  static String submit(int port, String token, String body) throws Exception {
    HttpResponse<String> r = send(post(port, "/api/v1/jobs", token, body));
    if (r.statusCode() != 200) {
      throw new AssertionError("submit answered " + r.statusCode() + ": " + r.body());
    }
    return json(r).get("id").asText();
  }

  /** Polls a job until the predicate holds (bounded); returns the last job object. */
  static JsonNode awaitJob(int port, String token, String id, Predicate<JsonNode> until, Duration max) throws Exception {
    Instant deadline = Instant.now().plus(max);
    JsonNode last = null;
    while (Instant.now().isBefore(deadline)) {
      HttpResponse<String> r = send(get(port, "/api/v1/jobs/" + id + "?exclude_params=true", token));
      if (r.statusCode() == 200) {
        last = json(r);
        if (until.test(last)) {
          return last;
        }
      }
      Thread.sleep(20); // polling interval, not an assertion
    }
    throw new AssertionError("job " + id + " did not reach the expected state in " + max + "; last: " + last);
  }

  static boolean isFinal(JsonNode job) {
    String s = job.path("state").path("status").asText();
    return s.equals("Completed") || s.equals("Failed") || s.equals("Cancelled");
  }

  static Predicate<JsonNode> status(String status) {
    return j -> j.path("state").path("status").asText().equals(status);
  }

  /**
   * R29: a job run by a node started with {@code config} is still Completed after the node is
   * stopped and started again on the same storage, and the new node runs new work.
   */
  static void completedJobSurvivesARestart(Config config) throws Exception {
    Main.Node node = Main.Node.start(config);
    String id;
    try {
      id = submit(node.port(), "alice-token", descriptorJob("fast"));
      awaitJob(node.port(), "alice-token", id, status("Completed"), Duration.ofSeconds(30));
    } finally {
      node.stop();
    }
    Main.Node again = Main.Node.start(config);
    try {
      awaitJob(again.port(), "alice-token", id, status("Completed"), Duration.ofSeconds(30));
      String next = submit(again.port(), "alice-token", descriptorJob("fast"));
      awaitJob(again.port(), "alice-token", next, status("Completed"), Duration.ofSeconds(30));
    } finally {
      again.stop();
    }
  }
}
