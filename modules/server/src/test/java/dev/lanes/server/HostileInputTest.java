package dev.lanes.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lanes.server.RawHttp.Request;
import dev.lanes.server.RawHttp.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Issue 8, item 2 (hostile input): generated JSON, bytes, headers, query strings and paths sent
 * to every endpoint of api.md, byte for byte over a socket. Whatever comes in: never a 5xx; every
 * 4xx carries api.md's error body; {@code /health/ready} stays 200; no job is half-written (each
 * listed job reads back by id with a valid status, and the count moves only by accepted submits
 * and 204 deletes); a body over the limit is a 413 before it is parsed. The {@code @Example}s
 * are the inputs fuzzing found, kept as regressions.
 */
class HostileInputTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> STATUSES = Set.of("Queued", "Running", "Completed", "Failed", "Cancelled");
  private static final int MAX_PAYLOAD = 64 * 1024; // TestNodes: jobs.max-payload = 64KiB

  static Main.Node node;
  static int port;
  static String jobId;
  static String sessionId;
  /** Jobs every instance the fuzzing can reach should list: accepted submits minus 204 deletes. */
  static final AtomicInteger expectedJobs = new AtomicInteger();

  @BeforeContainer
  static void start() throws Exception {
    // a short body-read timeout, so the 408 of a slow client is quick to see
    node = Main.Node.start(com.typesafe.config.ConfigFactory.parseString("lanes.http.body-read-timeout = 2s")
        .withFallback(TestNodes.parse(TestNodes.tempDir(), 0)));
    port = node.port();
    jobId = TestNodes.submit(port, "alice-token", TestNodes.descriptorJob("fast"));
    expectedJobs.incrementAndGet();
    sessionId = TestNodes.openSession(port, "alice-token", "batch", "five", "");
  }

  @AfterContainer
  static void stop() throws Exception {
    if (node != null) {
      node.stop();
    }
  }

  // ---------------------------------------------------------------- the invariants

  /** After each property: the node is ready, and no job is lost or half-written. */
  @AfterProperty
  void nodeStaysReadyAndEveryJobIsWhole() throws Exception {
    assertEquals(200, RawHttp.send(port, new Request("GET", "/health/ready")).status(), "/health/ready");
    int listed = 0;
    for (String token : List.of("alice-token", "bob-token", "open-token")) {
      int offset = 0;
      while (true) {
        Response r = RawHttp.send(port, new Request("GET", "/api/v1/jobs?exclude_params=true&limit=200&offset=" + offset)
            .header("Authorization", "Bearer " + token));
        assertEquals(200, r.status(), r.text());
        JsonNode page = JSON.readTree(r.body());
        for (JsonNode j : page.path("jobs")) {
          String id = j.path("id").asText();
          Response one = RawHttp.send(port, new Request("GET", "/api/v1/jobs/" + id + "?exclude_params=true")
              .header("Authorization", "Bearer " + token));
          assertEquals(200, one.status(), "listed job " + id + " does not read back: " + one.text());
          String status = JSON.readTree(one.body()).path("state").path("status").asText();
          assertTrue(STATUSES.contains(status), "job " + id + " has status '" + status + "'");
        }
        listed += page.path("jobs").size();
        offset += 200;
        if (offset >= page.path("count").asInt()) {
          break;
        }
      }
    }
    assertEquals(expectedJobs.get(), listed, "jobs listed vs. accepted submits minus deletes");
  }

  /**
   * The rule for one answer: never 5xx; a 4xx is api.md's error body with its own status as code
   * and a message. Counts accepted submits and deletes for the job invariant.
   */
  static Response check(Request req, Response r) throws IOException {
    String what = req + " -> " + r.status() + " " + r.text();
    assertTrue(r.status() < 500, "5xx for hostile input: " + abbreviate(what));
    if (r.status() >= 400) {
      assertTrue(r.contentType().startsWith("application/json"), "error without the JSON body: " + abbreviate(what));
      JsonNode e = JSON.readTree(r.body());
      assertEquals(r.status(), e.path("errors").path(0).path("code").asInt(), abbreviate(what));
      assertFalse(e.path("errors").path(0).path("message").asText().isBlank(), abbreviate(what));
      assertTrue(e.path("trace").isTextual(), abbreviate(what));
    }
    String line = req.toString();
    if (r.status() == 200 && line.startsWith("POST ")) {
      JsonNode answer = JSON.readTree(r.body());
      if (answer.size() == 3 && answer.has("id") && answer.has("backend") && answer.has("session_id")) {
        expectedJobs.incrementAndGet(); // POST /jobs's answer: a job was accepted
      }
    }
    if (r.status() == 204 && line.startsWith("DELETE ") && line.contains("/jobs/")) {
      expectedJobs.decrementAndGet();
    }
    return r;
  }

  static Response exchange(Request req) throws IOException {
    return check(req, RawHttp.send(port, req));
  }

  private static String abbreviate(String s) {
    return s.length() <= 600 ? s : s.substring(0, 600) + "… (" + s.length() + " chars)";
  }

  // ---------------------------------------------------------------- endpoints

  /** Every call of api.md with a body: method, path (ids filled in) and a valid body to mutate. */
  record BodyCall(String method, String path, String token, String template) {
    String target() {
      return path.replace("{job}", jobId).replace("{session}", sessionId);
    }
  }

  static final String JOB = "{\"program_id\":\"sampler\",\"backend\":\"fast\",\"params\":{\"pubs\":[{\"circuit\":"
      + "{\"num_qubits\":2,\"depth\":1},\"shots\":1}]}}";

  /** Bodies with one hole ({@code @}) where a hostile value goes: every field of every body. */
  static final List<BodyCall> BODY_HOLES = List.of(
      new BodyCall("POST", "/api/v1/jobs", "alice-token", "@"),
      new BodyCall("POST", "/api/v1/jobs", "alice-token", "{\"program_id\":@,\"backend\":\"fast\",\"params\":{\"pubs\":[{\"circuit\":{\"num_qubits\":2,\"depth\":1}}]}}"),
      new BodyCall("POST", "/api/v1/jobs", "alice-token", "{\"program_id\":\"sampler\",\"backend\":@,\"params\":{\"pubs\":[{\"circuit\":{\"num_qubits\":2,\"depth\":1}}]}}"),
      new BodyCall("POST", "/api/v1/jobs", "alice-token", "{\"program_id\":\"sampler\",\"backend\":\"fast\",\"params\":@}"),
      new BodyCall("POST", "/api/v1/jobs", "alice-token", "{\"program_id\":\"sampler\",\"backend\":\"fast\",\"params\":{\"pubs\":@}}"),
      new BodyCall("POST", "/api/v1/jobs", "alice-token", "{\"program_id\":\"sampler\",\"backend\":\"fast\",\"params\":{\"pubs\":[@]}}"),
      new BodyCall("POST", "/api/v1/jobs", "alice-token", "{\"program_id\":\"estimator\",\"backend\":\"fast\",\"params\":{\"pubs\":[[{\"num_qubits\":2,\"depth\":1},@]]}}"),
      new BodyCall("POST", "/api/v1/jobs", "alice-token", "{\"program_id\":\"sampler\",\"backend\":\"fast\",\"params\":{\"pubs\":[{\"circuit\":@}]}}"),
      new BodyCall("POST", "/api/v1/jobs", "alice-token", "{\"program_id\":\"sampler\",\"backend\":\"fast\",\"params\":{\"pubs\":[{\"circuit\":{\"num_qubits\":@,\"depth\":1}}]}}"),
      new BodyCall("POST", "/api/v1/jobs", "alice-token", "{\"program_id\":\"sampler\",\"backend\":\"fast\",\"params\":{\"pubs\":[{\"circuit\":{\"num_qubits\":2,\"depth\":@}}]}}"),
      new BodyCall("POST", "/api/v1/jobs", "alice-token", "{\"program_id\":\"sampler\",\"backend\":\"fast\",\"params\":{\"pubs\":[{\"circuit\":{\"num_qubits\":2,\"depth\":1,\"circuits\":@}}]}}"),
      new BodyCall("POST", "/api/v1/jobs", "alice-token", "{\"program_id\":\"sampler\",\"backend\":\"fast\",\"params\":{\"pubs\":[{\"circuit\":{\"__type__\":\"QuantumCircuit\",\"__value__\":@}}]}}"),
      new BodyCall("POST", "/api/v1/jobs", "alice-token", "{\"program_id\":\"sampler\",\"backend\":\"fast\",\"params\":{\"pubs\":[{\"circuit\":{\"num_qubits\":2,\"depth\":1},\"shots\":@}]}}"),
      new BodyCall("POST", "/api/v1/jobs", "alice-token", "{\"program_id\":\"sampler\",\"backend\":\"fast\",\"params\":{\"pubs\":[{\"circuit\":{\"num_qubits\":2,\"depth\":1},\"parameter_values\":@}]}}"),
      new BodyCall("POST", "/api/v1/jobs", "alice-token", "{\"program_id\":\"sampler\",\"backend\":\"fast\",\"params\":{\"pubs\":[[{\"num_qubits\":2,\"depth\":1},null,@]]}}"),
      new BodyCall("POST", "/api/v1/jobs", "alice-token", "{\"program_id\":\"sampler\",\"backend\":\"fast\",\"params\":{\"pubs\":[{\"circuit\":{\"num_qubits\":2,\"depth\":1}}],\"options\":@}}"),
      new BodyCall("POST", "/api/v1/jobs", "alice-token", "{\"program_id\":\"sampler\",\"backend\":\"fast\",\"params\":{\"pubs\":[{\"circuit\":{\"num_qubits\":2,\"depth\":1}}],\"options\":{\"default_shots\":@}}}"),
      new BodyCall("POST", "/api/v1/jobs", "alice-token", "{\"program_id\":\"sampler\",\"backend\":\"fast\",\"params\":{\"pubs\":[{\"circuit\":{\"num_qubits\":2,\"depth\":1}}]},\"tags\":@}"),
      new BodyCall("POST", "/api/v1/jobs", "alice-token", "{\"program_id\":\"sampler\",\"backend\":\"fast\",\"params\":{\"pubs\":[{\"circuit\":{\"num_qubits\":2,\"depth\":1}}]},\"tags\":[@]}"),
      new BodyCall("POST", "/api/v1/jobs", "alice-token", "{\"program_id\":\"sampler\",\"backend\":\"fast\",\"params\":{\"pubs\":[{\"circuit\":{\"num_qubits\":2,\"depth\":1}}]},\"cost\":@}"),
      new BodyCall("POST", "/api/v1/jobs", "alice-token", "{\"program_id\":\"sampler\",\"backend\":\"five\",\"params\":{\"pubs\":[{\"circuit\":{\"num_qubits\":2,\"depth\":1}}]},\"session_id\":@}"),
      new BodyCall("POST", "/api/v1/jobs", "alice-token", "{\"program_id\":\"sampler\",\"backend\":\"fast\",\"params\":{\"pubs\":[{\"circuit\":{\"num_qubits\":2,\"depth\":1}}]},@:1}"),
      new BodyCall("POST", "/api/v1/sessions", "alice-token", "@"),
      new BodyCall("POST", "/api/v1/sessions", "alice-token", "{\"mode\":@,\"backend\":\"five\"}"),
      new BodyCall("POST", "/api/v1/sessions", "alice-token", "{\"mode\":\"batch\",\"backend\":@}"),
      new BodyCall("POST", "/api/v1/sessions", "alice-token", "{\"mode\":\"batch\",\"backend\":\"five\",\"instance\":@}"),
      new BodyCall("POST", "/api/v1/sessions", "alice-token", "{\"mode\":\"batch\",\"backend\":\"five\",\"max_ttl\":@}"),
      new BodyCall("PATCH", "/api/v1/sessions/{session}", "alice-token", "@"),
      new BodyCall("PATCH", "/api/v1/sessions/{session}", "alice-token", "{\"accepting_jobs\":@}"),
      new BodyCall("POST", "/api/v1/admin/backends/slow/maintenance", "admin-token", "@"),
      new BodyCall("POST", "/api/v1/admin/backends/slow/maintenance", "admin-token", "{\"kind\":@,\"duration_seconds\":1}"),
      new BodyCall("POST", "/api/v1/admin/backends/slow/maintenance", "admin-token", "{\"kind\":\"calibration\",\"duration_seconds\":@}"),
      new BodyCall("PATCH", "/api/v1/admin/backends/slow", "admin-token", "@"),
      new BodyCall("PATCH", "/api/v1/admin/backends/slow", "admin-token", "{\"status\":@}"),
      new BodyCall("POST", "/api/v1/jobs/{job}/cancel", "alice-token", "@"));

  /** Every call of api.md without a body (ids filled in); some of them take hostile query strings. */
  static final List<String> PATHS = List.of(
      "GET /", "GET /dashboard/", "GET /health/alive", "GET /health/ready", "GET /metrics", "GET /api/v1/versions",
      "GET /api/v1/jobs", "GET /api/v1/jobs/{job}", "GET /api/v1/jobs/{job}/results", "GET /api/v1/jobs/{job}/metrics",
      "POST /api/v1/jobs/{job}/cancel", "DELETE /api/v1/jobs/{job}",
      "GET /api/v1/sessions", "GET /api/v1/sessions/{session}", "DELETE /api/v1/sessions/{session}/close",
      "GET /api/v1/backends", "GET /api/v1/backends/fast/status", "GET /api/v1/backends/fast/configuration",
      "GET /api/v1/instances/usage", "GET /api/v1/admin/dashboard", "GET /api/v1/admin/backends/fast/queue");

  // ---------------------------------------------------------------- what fuzzing found (regressions)

  private static Request job(String body) {
    return new Request("POST", "/api/v1/jobs").header("Authorization", "Bearer alice-token")
        .header("Content-Type", "application/json").body(body);
  }

  private static void assertError(Response r, int status, String mustMention) {
    assertEquals(status, r.status(), r.text());
    assertTrue(r.text().contains(mustMention), "'" + r.text() + "' should mention '" + mustMention + "'");
  }

  /**
   * Found: params nested 30,000 deep parsed (Jackson 2.13 builds the tree without recursion) and
   * then overflowed the stack when written back as text: a 500. Now a 400 past 100 levels.
   */
  @Example
  void aJobNestedThousandsDeepIsA400NotA500() throws Exception {
    String deep = "[{\"a\":".repeat(5_000) + "1" + "}]".repeat(5_000);
    String body = "{\"program_id\":\"sampler\",\"backend\":\"fast\",\"params\":{\"pubs\":[{\"circuit\":"
        + "{\"num_qubits\":2,\"depth\":1}}],\"options\":{\"x\":" + deep + "}}}";
    assertError(exchange(job(body)), 400, "nested deeper than 100");
    assertError(exchange(job(body.replace(deep, "{\"a\":".repeat(101) + "1" + "}".repeat(101)))), 400, "nested deeper than 100");
    assertError(exchange(new Request("POST", "/api/v1/sessions").header("Authorization", "Bearer alice-token")
        .header("Content-Type", "application/json").body("[".repeat(MAX_PAYLOAD - 10))), 400, "nested deeper than 100");
  }

  /** The depth limit leaves room: a job with 90 levels in its params is accepted. */
  @Example
  void aJobNestedNinetyDeepIsAccepted() throws Exception {
    String body = "{\"program_id\":\"sampler\",\"backend\":\"fast\",\"params\":{\"pubs\":[{\"circuit\":"
        + "{\"num_qubits\":2,\"depth\":1}}],\"extra\":" + "[".repeat(90) + "]".repeat(90) + "}}";
    assertEquals(200, exchange(job(body)).status());
  }

  /** Found: a valid job followed by anything ({@code {…} garbage}, {@code {…}{}}) was accepted as the job. */
  @Example
  void aJobWithTrailingBytesIsA400() throws Exception {
    for (String tail : List.of(" trailing", "{}", "]", ",1")) {
      assertError(exchange(job(JOB + tail)), 400, "not valid JSON");
    }
    assertEquals(200, exchange(job(JOB + " \r\n\t")).status()); // trailing whitespace is still JSON
  }

  /**
   * Found: what akka-http refuses before routing had its own text/plain answer, and 5xx for an
   * unknown method (501) or HTTP version (505). Now api.md's error body, and 4xx.
   */
  @Example
  void requestsAkkaHttpCannotParseGetTheErrorBodyAndA4xx() throws Exception {
    Request nul = new Request("GET", "/api/v1/jobs").header(RawHttp.bytes("Authorization: Bearer alice-token\0"));
    assertError(exchange(nul), 400, "request not understood");
    Request twoTypes = job(JOB).header("Content-Type", "text/plain");
    assertError(exchange(twoTypes), 400, "Content-Type");
    Request many = new Request("GET", "/api/v1/jobs");
    for (int i = 0; i < 70; i++) {
      many.header("X-Many-" + i, "v");
    }
    assertError(exchange(many), 400, "64 headers");
    assertError(exchange(new Request("GET", "/api/v1/jobs/%")), 400, "request-target");
    assertError(exchange(new Request("GET", "/api/v1/jobs?limit[]=1")), 400, "request-target");
    assertError(exchange(new Request("GET", "/api/v1/jobs/" + "a".repeat(3_000))), 414, "request not understood");
    assertError(exchange(new Request("GET", "/api/v1/jobs").header("Authorization", "Bearer " + "t".repeat(9_000))),
        431, "request not understood");
    assertError(exchange(new Request("FOO", "/api/v1/jobs")), 405, "request not understood");
    assertError(exchange(new Request(RawHttp.bytes("GET /api/v1/jobs HTTP/2.0"))), 400, "request not understood");
    assertError(exchange(new Request(RawHttp.bytes("GET /api/v1/jobs HTTP/1.1 extra"))), 400, "request not understood");
  }

  /**
   * Found: a client too slow to send its body got a 503 "the scheduler did not answer" (small
   * bodies, after 10 s) or akka-http's text 503 (a job's body: its 60 s were past the 20 s
   * request-timeout). Now a 408 with the error body after lanes.http.body-read-timeout (2 s here).
   */
  @Example
  void aBodyTooSlowToArriveIsA408() throws Exception {
    for (String path : List.of("/api/v1/jobs", "/api/v1/sessions")) {
      Request slow = new Request("POST", path).header("Authorization", "Bearer alice-token")
          .header("Content-Type", "application/json").header("Content-Length", "100").noContentLength()
          .body("{\"program_id\""); // 13 of the 100 bytes, then nothing
      Instant start = Instant.now();
      assertError(exchange(slow), 408, "body-read-timeout");
      Duration took = Duration.between(start, Instant.now());
      assertTrue(took.toMillis() >= 1_900 && took.toMillis() < 15_000, "answered after " + took);
    }
  }

  /** Found: a broken chunked encoding failed the body's stream, which was a 500; now a 400. */
  @Example
  void aBrokenChunkedBodyIsA400() throws Exception {
    Request broken = job("").header("Transfer-Encoding", "chunked").noContentLength()
        .body("5\r\n{\"a\":\r\nzz\r\n1}\r\n0\r\n\r\n");
    Response r = exchange(broken);
    assertEquals(400, r.status(), r.text());
  }

  // ---------------------------------------------------------------- generators

  /** JSON text of any type, with the edge cases parsers trip on: huge numbers, odd strings, nesting. */
  @Provide
  Arbitrary<String> hostileValues() {
    return Arbitraries.lazyOf(
        HostileInputTest::scalars,
        HostileInputTest::scalars,
        HostileInputTest::scalars,
        () -> hostileValues().list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]"),
        () -> Combinators.combine(keys(), hostileValues()).as((k, v) -> quote(k) + ":" + v).list().ofMaxSize(4)
            .map(l -> "{" + String.join(",", l) + "}"),
        () -> deepNesting());
  }

  static Arbitrary<String> scalars() {
    return Arbitraries.oneOf(
        Arbitraries.of("null", "true", "false", "0", "-0", "1", "-1", "0.5", "-0.0", "1e400", "-1e400", "1E-400",
            "9223372036854775807", "9223372036854775808", "-9223372036854775809", "2147483648", "4294967296",
            "1" + "0".repeat(400), "0." + "0".repeat(400) + "1", "1e2147483648", "123456789012345678901234567890.5",
            "NaN", "Infinity", "-Infinity", "\"NaN\"", "\"1e400\"", "\"\"", "\"sampler\"", "\"fast\"", "\"batch\"",
            "\"dedicated\"", "\"paused\"", "\"calibration\"", "01", "+1", ".5", "1.", "0x10", "'x'", "undefined",
            "\"\\u0000\"", "\"\\ud800\"", "\"\\udfff\\ud800\"", "\"\\u\"", "\"\\x41\"", "[", "{", "]", "}", ",", "\"",
            "tru", "nul", "{\"a\":}", "[1,]", "{,}", "/* c */ 1", "1 // c", "\"a\"\"b\""),
        Arbitraries.integers().map(String::valueOf),
        Arbitraries.longs().map(String::valueOf),
        Arbitraries.doubles().map(String::valueOf),
        Arbitraries.bigIntegers().between(java.math.BigInteger.TEN.pow(18), java.math.BigInteger.TEN.pow(60)).map(b -> b.toString()),
        Arbitraries.strings().all().ofMaxLength(40).map(HostileInputTest::quote),
        Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMaxLength(8).map(s -> "\"" + s + "\""), // raw control chars
        Arbitraries.integers().between(1_000, MAX_PAYLOAD - 200).map(n -> quote("x".repeat(n))),
        qasm());
  }

  static Arbitrary<String> keys() {
    return Arbitraries.oneOf(
        Arbitraries.of("program_id", "backend", "params", "pubs", "circuit", "shots", "options", "default_shots",
            "tags", "cost", "session_id", "mode", "max_ttl", "instance", "accepting_jobs", "kind", "duration_seconds",
            "status", "num_qubits", "depth", "circuits", "__type__", "__value__", "parameter_values", "", "__proto__"),
        Arbitraries.strings().all().ofMaxLength(12));
  }

  /** Arrays, objects or both nested from a little under the limit (100 levels) to far past it. */
  static Arbitrary<String> deepNesting() {
    return Combinators.combine(Arbitraries.integers().between(50, 30_000).edgeCases(c -> c.add(97, 98, 99, 100, 101)), Arbitraries.of("[", "{\"a\":", "[{\"a\":"),
        Arbitraries.of(true, false)).as((depth, open, closed) -> {
      String close = switch (open) {
        case "[" -> "]";
        case "{\"a\":" -> "}";
        default -> "}]";
      };
      int n = Math.min(depth, (MAX_PAYLOAD - 300) / (open.length() + close.length()));
      return open.repeat(n) + "1" + (closed ? close.repeat(n) : "");
    });
  }

  /** OpenQASM 2 sources: the Bell circuit mutated, huge registers, deeply nested expressions. */
  static Arbitrary<String> qasm() {
    String head = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\n";
    return Arbitraries.oneOf(
        Arbitraries.of("qreg q[2147483648];", "qreg q[99999999999999999999];", "qreg q[-1];", "qreg q[0];",
            "qreg q[30];creg c[30];h q;measure q -> c;", "qreg q[2];cx q[0],q[0];", "qreg q[2];h q[5];",
            "qreg q[1];rz(1e400) q[0];", "qreg q[1];rz(0/0) q[0];", "qreg q[1];gate g a { g a; } g q[0];",
            "qreg q[1];" + "h q[0];".repeat(5000)).map(s -> quote(head + s)),
        Arbitraries.integers().between(10, 20_000).map(n -> quote(head + "qreg q[1];rz(" + "(".repeat(n) + "1"
            + ")".repeat(n) + ") q[0];")),
        Arbitraries.integers().between(10, 10_000).map(n -> quote(head + "qreg q[1];rz(" + "-".repeat(n) + "1) q[0];")),
        Arbitraries.strings().withChars("OPENQASM2.0;qregcrh[]{}()->,measure \n\"").ofMaxLength(200).map(HostileInputTest::quote));
  }

  static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Bodies that are not UTF-8 JSON at all, or barely: raw bytes, invalid UTF-8, BOMs, UTF-16, truncation. */
  @Provide
  Arbitrary<byte[]> hostileBytes() {
    byte[] job = JOB.getBytes(StandardCharsets.UTF_8);
    return Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
        Arbitraries.of(new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xFF, (byte) 0xFE},
            new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0x80},
            new byte[] {(byte) 0xE2, (byte) 0x82}, new byte[] {0})
            .map(bad -> splice(job, 17, bad)), // inside the "sampler" string
        Arbitraries.integers().between(0, job.length - 1).map(n -> java.util.Arrays.copyOf(job, n)),
        Arbitraries.of(StandardCharsets.UTF_16, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE,
            StandardCharsets.ISO_8859_1).map(cs -> (JOB.replace("sampler", "sämpler")).getBytes(cs)),
        Arbitraries.of("\uFEFF" + JOB, JOB + " trailing", JOB + "{}", JOB + "]", "\u0000" + JOB, JOB + "\u0000",
            "{\"program_id\":\"sampler\",\"program_id\":1}" , " ", "", "null", "[]", "\"x\"", "1")
            .map(s -> s.getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] splice(byte[] b, int at, byte[] insert) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(b, 0, at);
    out.writeBytes(insert);
    out.write(b, at, b.length - at);
    return out.toByteArray();
  }

  @Provide
  Arbitrary<BodyCall> bodyCalls() {
    return Arbitraries.of(BODY_HOLES);
  }

  /** The calls that read their body (cancel takes none): one per endpoint. */
  @Provide
  Arbitrary<BodyCall> bodyReaders() {
    return Arbitraries.of(BODY_HOLES.stream().filter(c -> c.template().equals("@") && !c.path.endsWith("/cancel")).toList());
  }

  @Provide
  Arbitrary<String> contentTypes() {
    return Arbitraries.of("application/json", "application/json; charset=utf-8", "application/json; charset=UTF-16",
        "application/json; charset=latin1", "application/json; charset=nonsense", "application/json;", "application/json;;;",
        "APPLICATION/JSON", "application/json ; charset=\"utf-8\"", "application/jsonx", "application/problem+json",
        "text/json", "text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x", "multipart/form-data", "application/octet-stream", "*/*", "application/*",
        "", " ", "json", "/", "application/", "a/b/c", "application/json\u00ff", "\u00e9/\u00e9", "application/json, text/plain");
  }

  // ---------------------------------------------------------------- properties

  /** Every field of every body, replaced by a value of another type, size or shape. */
  @Property(tries = 300, seed = "8002")
  void hostileJsonInEveryFieldIsA4xx(@ForAll("bodyCalls") BodyCall call, @ForAll("hostileValues") String value)
      throws Exception {
    String body = call.template().replace("@", value);
    exchange(new Request(call.method(), call.target()).header("Authorization", "Bearer " + call.token())
        .header("Content-Type", "application/json").body(body));
  }

  /** Bodies that are not JSON, not UTF-8, cut short or with trailing bytes: a 4xx, never a 5xx. */
  @Property(tries = 150, seed = "8002")
  void bytesThatAreNotJsonAreA4xx(@ForAll("bodyCalls") BodyCall call, @ForAll("hostileBytes") byte[] body)
      throws Exception {
    exchange(new Request(call.method(), call.target()).header("Authorization", "Bearer " + call.token())
        .header("Content-Type", "application/json").body(body));
  }

  /** Content types: wrong, missing, duplicated, with charset params; a 415 unless application/json. */
  @Property(tries = 120, seed = "8002")
  void wrongContentTypesAreA415(@ForAll("bodyCalls") BodyCall call, @ForAll("contentTypes") String type,
      @ForAll("contentTypes") String second, @ForAll int shape) throws Exception {
    Request r = new Request(call.method(), call.target()).header("Authorization", "Bearer " + call.token());
    switch (Math.floorMod(shape, 3)) {
      case 0 -> r.header("Content-Type", type);
      case 1 -> r.header("Content-Type", type).header("Content-Type", second);
      default -> { } // none at all
    }
    String body = call.template().replace("@", "1");
    Response answer = exchange(r.body(body));
    if (answer.status() / 100 == 2) {
      assertTrue(type.toLowerCase().replace(" ", "").startsWith("application/json"),
          "accepted a body of type '" + type + "': " + answer.text());
    }
  }

  @Provide
  Arbitrary<String> hostileHeaderValues() {
    return Arbitraries.oneOf(
        Arbitraries.of("", " ", "Bearer", "Bearer ", "Bearer  alice-token", "bearer alice-token", "BEARER alice-token",
            "apikey alice-token", "Basic YWxpY2U6dG9rZW4=", "Bearer alice-token extra", "Bearer alice-token\t",
            "Bearer admin-token", "Bearer bob-token", "Bearer both-token", "Bearer open-token", "Bearer \u00e9\u00e9",
            "Bearer alice-token, Bearer bob-token", "crn:test:alice", "crn:test:bob", "crn:test:open", "crn:other",
            "*", "%00", "../..", "\"quoted\""),
        Arbitraries.strings().all().ofMaxLength(30).map(s -> "Bearer " + s),
        Arbitraries.integers().between(1_000, 7_000).map(n -> "Bearer " + "t".repeat(n)),
        Arbitraries.integers().between(8_200, 20_000).map(n -> "x".repeat(n))); // over max-header-value-length
  }

  /** Authorization, Service-CRN and Idempotency-Key: garbage, huge, duplicated, invalid UTF-8 bytes. */
  @Property(tries = 200, seed = "8002")
  void garbageHeadersAreA4xx(@ForAll("bodyCalls") BodyCall call, @ForAll("hostileHeaderValues") String auth,
      @ForAll("hostileHeaderValues") String crn, @ForAll("hostileHeaderValues") String key,
      @ForAll("hostileBytes") byte[] rawValue, @ForAll int shape) throws Exception {
    String[] names = {"Authorization", "Service-CRN", "Idempotency-Key", "IBM-API-Version", "Content-Length",
        "Transfer-Encoding", "Expect", "Content-Encoding", "Accept", "Accept-Charset"};
    Request r = new Request(call.method(), call.target());
    int s = Math.floorMod(shape, 8);
    r.header("Authorization", s == 0 ? auth : "Bearer " + call.token());
    if (s == 1) {
      r.header("Authorization", auth); // a second Authorization
    }
    if (s == 2 || s == 3) {
      r.header("Service-CRN", crn);
    }
    if (s == 3 || s == 4) {
      r.header("Idempotency-Key", key);
    }
    if (s == 5) { // invalid UTF-8 (or any bytes but CR/LF) in a header value
      byte[] clean = new String(rawValue, StandardCharsets.ISO_8859_1).replace("\r", "").replace("\n", "")
          .getBytes(StandardCharsets.ISO_8859_1);
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      line.writeBytes(RawHttp.bytes(names[Math.floorMod(shape >> 3, 4)] + ": "));
      line.writeBytes(clean);
      r.header(line.toByteArray());
    }
    if (s == 6) { // odd framing and encodings
      r.header(names[4 + Math.floorMod(shape >> 3, 6)], crn);
    }
    if (s == 7) { // many headers
      for (int i = 0; i < 70; i++) {
        r.header("X-Many-" + i, "v");
      }
    }
    r.header("Content-Type", "application/json");
    exchange(r.body(call.template().replace("@", "1")));
  }

  @Provide
  Arbitrary<String> pathTricks() {
    return Arbitraries.oneOf(
        Arbitraries.of("/api/v1/jobs/..%2F..%2Fadmin", "/api/v1/jobs/../admin/dashboard", "/api/v1/jobs/%2e%2e/sessions",
            "/api/v1/jobs/%00", "/api/v1/jobs/a%00b", "/api/v1//jobs", "//api/v1/jobs", "/api/v1/jobs//cancel",
            "/api/v1/jobs/", "/api/v1/jobs/%", "/api/v1/jobs/%zz", "/api/v1/jobs/%c3%28", "/api/v1/jobs/%ff%fe",
            "/api/v1/jobs/%ed%a0%80", "/api/v1/jobs/\u00e9", "/api/v1/jobs/%E2%98%83", "/api/v1/jobs?limit=%",
            "/api/v1/jobs?%%%", "/api/v1/jobs?limit=1&limit=2", "/api/v1/jobs#frag", "/api/v1/jobs;x=1",
            "/api/v1/admin/../jobs", "/api/v1/admin/backends/..%2Ffast", "/api/v1/admin/backends/%2e%2e",
            "/API/V1/JOBS", "/api/v2/jobs", "/api/v1", "/api/v1/", "*", "http://evil.example/api/v1/jobs",
            "http://127.0.0.1/api/v1/jobs", "/api/v1/jobs/ x", "/api/v1/jobs/\t", "api/v1/jobs",
            "/dashboard/../../../../etc/passwd", "/dashboard/..%2F..%2F..%2Fetc%2Fpasswd", "/dashboard/%2e%2e/%2e%2e/pom.xml",
            "/dashboard/..\\..\\x", "/dashboard//etc/passwd", "/dashboard/index.html%00.js", "/metrics/../health/ready",
            "/api/v1/sessions/{session}/close/..", "/api/v1/backends/fast%2Fstatus", "/api/v1/backends/fast/status/",
            "/api/v1/backends/\u0000/status"),
        Arbitraries.integers().between(1_500, 20_000).map(n -> "/api/v1/jobs/" + "a".repeat(n)),
        Arbitraries.integers().between(100, 3_000).map(n -> "/api/v1/jobs?tags=" + "x&tags=".repeat(n) + "y"),
        Arbitraries.strings().all().ofMaxLength(40).map(s -> "/api/v1/jobs/" + s),
        Arbitraries.strings().withChars("/.%2eEfF0aA?&#;\\").ofMaxLength(40).map(s -> "/api/v1/" + s));
  }

  /** Path tricks, as raw bytes on the request line: 4xx (or a documented 2xx), never a file outside the dashboard. */
  @Property(tries = 200, seed = "8002")
  void pathTricksAreA4xx(@ForAll("pathTricks") String target, @ForAll("methods") String method) throws Exception {
    Request r = new Request(requestLine(method, target))
        .header("Authorization", "Bearer admin-token");
    Response answer = exchange(r);
    assertFalse(answer.text().contains("root:") || answer.text().contains("<project"),
        "a file from outside the dashboard: " + target);
  }

  private static byte[] requestLine(String method, String target) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(RawHttp.bytes(method + " "));
    out.writeBytes(target.replace("{session}", sessionId).getBytes(StandardCharsets.UTF_8)); // non-ASCII as raw UTF-8 bytes
    out.writeBytes(RawHttp.bytes(" HTTP/1.1"));
    return out.toByteArray();
  }

  @Provide
  Arbitrary<String> methods() {
    return Arbitraries.of("GET", "POST", "PATCH", "DELETE", "PUT", "OPTIONS", "TRACE", "CONNECT", "FOO",
        "get", "G\u00c9T", "POSTPOSTPOSTPOSTPOST");
  }

  @Provide
  Arbitrary<String> queryValues() {
    return Arbitraries.oneOf(
        Arbitraries.of("", "0", "-1", "1", "200", "201", "2147483647", "2147483648", "-2147483649", "1e3", "0x10",
            "1.5", " 5", "5 ", "NaN", "true", "false", "TRUE", "yes", "asc", "ASC", "desc", "DESC", "sideways",
            "2026-11-25T18:40:16Z", "2026-11-25T18:40:16+14:00", "2026-13-45T99:99:99Z", "+999999999-12-31T23:59:59Z",
            "-999999999-01-01T00:00:00Z", "2026-11-25", "1732560016", "queued", "active", "closed", "batch",
            "dedicated", "fast", "%00", "%ff", "%", "%%", "a%20b", "..%2F..", "\u00e9"),
        Arbitraries.strings().ofMaxLength(20).map(s -> java.net.URLEncoder.encode(s, StandardCharsets.UTF_8)),
        Arbitraries.integers().between(500, 1_800).map(n -> "9".repeat(n)));
  }

  /** Query strings of the list calls: every parameter with hostile values, repeated, unknown, empty. */
  @Property(tries = 200, seed = "8002")
  void hostileQueryParametersAreA4xx(@ForAll("queryPaths") String path, @ForAll("queryNames") String name,
      @ForAll("queryValues") String value, @ForAll("queryNames") String name2, @ForAll("queryValues") String value2)
      throws Exception {
    String target = path + "?" + name + "=" + value + "&" + name2 + "=" + value2;
    exchange(new Request(requestLine("GET", target))
        .header("Authorization", "Bearer admin-token"));
  }

  @Provide
  Arbitrary<String> queryPaths() {
    return Arbitraries.of("/api/v1/jobs", "/api/v1/sessions", "/api/v1/jobs/" + "{job}", "/api/v1/backends",
        "/api/v1/admin/dashboard", "/metrics", "/api/v1/instances/usage").map(p -> p.replace("{job}", jobId));
  }

  @Provide
  Arbitrary<String> queryNames() {
    return Arbitraries.of("limit", "offset", "backend", "program", "pending", "session_id", "tags", "created_after",
        "created_before", "sort", "exclude_params", "state", "mode", "", "unknown", "limit[]", "%00");
  }

  /** Every endpoint without a body, with any method, token and a hostile body it did not ask for. */
  @Property(tries = 150, seed = "8002")
  void everyEndpointWithAnyMethodIsA4xxOrItsAnswer(@ForAll("endpoints") String call, @ForAll("methods") String method,
      @ForAll("hostileHeaderValues") String auth, @ForAll("hostileBytes") byte[] body, @ForAll boolean sendBody)
      throws Exception {
    String path = call.substring(call.indexOf(' ') + 1).replace("{job}", jobId).replace("{session}", sessionId);
    Request r = new Request(method, path).header("Authorization", auth.startsWith("Bearer") ? auth : "Bearer admin-token");
    if (sendBody) {
      r.header("Content-Type", "application/json").body(body);
    }
    exchange(r);
  }

  @Provide
  Arbitrary<String> endpoints() {
    return Arbitraries.of(PATHS);
  }

  // ---------------------------------------------------------------- size limits before parsing

  /** R4: a body declared over the limit is a 413 before it is sent, so nothing of it is parsed. */
  @Property(tries = 20, seed = "8002")
  void aBodyDeclaredOverTheLimitIsA413BeforeItArrives(@ForAll("bodyReaders") BodyCall call,
      @ForAll("declaredSizes") long size) throws Exception {
    // Only the head goes out: the 413 is answered without waiting for (or parsing) any body byte.
    Request r = new Request(call.method(), call.target()).header("Authorization", "Bearer " + call.token())
        .header("Content-Type", "application/json").header("Content-Length", String.valueOf(size)).noContentLength();
    Response answer = check(r, RawHttp.send(port, r.toBytes()));
    assertEquals(413, answer.status(), answer.text());
  }

  @Provide
  Arbitrary<Long> declaredSizes() {
    return Arbitraries.longs().between(3L * 1024 * 1024, Long.MAX_VALUE).edgeCases(c -> c.add(Long.MAX_VALUE));
  }

  /** An invalid-JSON body just over the limit is a 413, not a 400: size is checked before parsing. */
  @Property(tries = 12, seed = "8002")
  void anInvalidBodyOverTheLimitIsA413NotA400(@ForAll("bodyReaders") BodyCall call,
      @ForAll("overLimit") int size, @ForAll boolean chunked) throws Exception {
    byte[] body = new byte[size];
    java.util.Arrays.fill(body, (byte) '[');
    Request r = new Request(call.method(), call.target()).header("Authorization", "Bearer " + call.token())
        .header("Content-Type", "application/json");
    if (chunked) {
      r.header("Transfer-Encoding", "chunked").noContentLength().body(chunk(body));
    } else {
      r.body(body);
    }
    Response answer = exchange(r);
    assertEquals(413, answer.status(), answer.text());
  }

  @Provide
  Arbitrary<Integer> overLimit() {
    return Arbitraries.integers().between(MAX_PAYLOAD + 1, MAX_PAYLOAD + 512 * 1024).edgeCases(c -> c.add(MAX_PAYLOAD + 1));
  }

  private static byte[] chunk(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < body.length; i += 8192) {
      int n = Math.min(8192, body.length - i);
      out.writeBytes(RawHttp.bytes(Integer.toHexString(n) + "\r\n"));
      out.write(body, i, n);
      out.writeBytes(RawHttp.bytes("\r\n"));
    }
    out.writeBytes(RawHttp.bytes("0\r\n\r\n"));
    return out.toByteArray();
  }
}
