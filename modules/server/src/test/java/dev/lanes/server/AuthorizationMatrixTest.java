package dev.lanes.server;

import static dev.lanes.server.TestNodes.A;
import static dev.lanes.server.TestNodes.B;
import static dev.lanes.server.TestNodes.awaitJob;
import static dev.lanes.server.TestNodes.descriptorJob;
import static dev.lanes.server.TestNodes.get;
import static dev.lanes.server.TestNodes.json;
import static dev.lanes.server.TestNodes.openSession;
import static dev.lanes.server.TestNodes.send;
import static dev.lanes.server.TestNodes.status;
import static dev.lanes.server.TestNodes.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 8, item 1: every endpoint × every kind of caller → the status api.md asks for, on a real
 * node. The objects under test (a job, a session) are alice's; another instance's token gets 404
 * on them, never 403 or 200, the same answer as for an id that does not exist. The table is
 * {@link #ROWS}: one row per route, one expected status per {@link Caller}, and a row that lacks a
 * caller fails to build. {@link #everyRouteOfApiMdHasARow} checks the rows against api.md itself.
 *
 * <p>Where api.md is silent, the rows say what a user would expect (marked "not in api.md"):
 * the dashboard page, health and versions answer anyone, whatever the token; an unknown path
 * under /api/v1 asks for a token first (401), then is 404; a non-admin asking an admin call about
 * a backend that does not exist is 403, not 404 (it learns nothing about backend names); an
 * admin token without an instance may use the admin calls and read backends, gets 403 ("token
 * has no instance") for calls of an instance (usage, lists, creating), and 404 for every object;
 * a token of several instances that names none (no Service-CRN) is 400 on every call that needs a
 * token, admin calls included, as the instance is chosen before anything else.
 */
@DisplayName("Authorization matrix (issue 8, item 1)")
class AuthorizationMatrixTest {
  /** Who calls. The order is the order of the expected statuses in {@link #ROWS}. */
  enum Caller {
    /** No Authorization header. */
    NONE(null, null),
    /** A token nobody configured. */
    BAD("not-a-lanes-token", null),
    /** alice's own token, naming bob's instance in Service-CRN: api.md, 403. */
    FOREIGN_CRN("alice-token", B),
    /** bob: another instance, not an admin. */
    OTHER("bob-token", null),
    /** ops: an admin, but of bob's instance: admin rights do not show another instance's objects. */
    OTHER_ADMIN("ops-token", null),
    /** alice: the owner of the job and session under test, not an admin. */
    OWNER("alice-token", null),
    /** root: an admin of alice's instance. */
    ADMIN("admin-token", null),
    /** An admin token with no instance (instances = []): admin calls, backends, no objects. */
    ADMIN_NO_INSTANCE("ops-only-token", null),
    /** carol: a token of alice's and bob's instances, without Service-CRN to pick one: 400. */
    SEVERAL_NO_CRN("both-token", null);

    final String token;
    final String serviceCrn;

    Caller(String token, String serviceCrn) {
      this.token = token;
      this.serviceCrn = serviceCrn;
    }
  }

  /**
   * One route. {@code route} is how api.md writes it; {@code path} the concrete call, where
   * {@code {job}} / {@code {session}} are alice's (made once), {@code {running-job}},
   * {@code {final-job}} and {@code {new-session}} alice's too but made for this one call, as the
   * call changes them.
   */
  record Row(String route, String path, String body, Map<Caller, Integer> expected) {
    Row {
      if (expected.size() != Caller.values().length) {
        throw new IllegalArgumentException(route + ": an expected status for every caller, got " + expected);
      }
    }

    String method() {
      return route.substring(0, route.indexOf(' '));
    }

    @Override
    public String toString() {
      return route;
    }
  }

  static Map<Caller, Integer> statuses(int... byCaller) {
    Map<Caller, Integer> m = new EnumMap<>(Caller.class);
    for (int i = 0; i < byCaller.length; i++) {
      m.put(Caller.values()[i], byCaller[i]);
    }
    return m;
  }

  /** Needs no token: any caller, whatever it sends. */
  static Map<Caller, Integer> anyone(int ok) {
    return statuses(ok, ok, ok, ok, ok, ok, ok, ok, ok);
  }

  /** Any valid token (api.md Conventions): a Service-CRN the token lacks is 403 all the same. */
  static Map<Caller, Integer> anyToken(int ok) {
    return statuses(401, 401, 403, ok, ok, ok, ok, ok, 400);
  }

  /** Any valid token, for the instance it selects: a token without one is 403 ("token has no instance"). */
  static Map<Caller, Integer> anyInstance(int ok) {
    return statuses(401, 401, 403, ok, ok, ok, ok, 403, 400);
  }

  /** An object of alice's instance: invisible (404) to every other instance, admins included. */
  static Map<Caller, Integer> alices(int ok) {
    return statuses(401, 401, 403, 404, 404, ok, ok, 404, 400);
  }

  /** Admin calls: 403 for tokens without admin = true (api.md "Admin"). */
  static Map<Caller, Integer> adminOnly(int ok) {
    return statuses(401, 401, 403, 403, ok, 403, ok, ok, 400);
  }

  static Row row(String route, String path, Map<Caller, Integer> expected) {
    return new Row(route, path, null, expected);
  }

  static Row row(String route, String path, String body, Map<Caller, Integer> expected) {
    return new Row(route, path, body, expected);
  }

  static final List<Row> ROWS = List.of(
      // Health, versions, the dashboard page: no token (api.md "Health and versions"; issue 7)
      row("GET /health/alive", "/health/alive", anyone(200)),
      row("GET /health/ready", "/health/ready", anyone(200)),
      row("GET /api/v1/versions", "/api/v1/versions", anyone(200)),
      row("GET /", "/", anyone(200)), // the dashboard page: not in api.md; it asks for a token itself
      row("GET /dashboard/dashboard.js", "/dashboard/dashboard.js", anyone(200)),
      // Prometheus metrics and the dashboard's snapshot: admin tokens (README; not in api.md)
      row("GET /metrics", "/metrics", adminOnly(200)),
      row("GET /api/v1/admin/dashboard", "/api/v1/admin/dashboard", adminOnly(200)),
      // Backends and usage: any token; usage is the caller's own instance
      row("GET /api/v1/backends", "/api/v1/backends", anyToken(200)),
      row("GET /api/v1/backends/{name}/status", "/api/v1/backends/fast/status", anyToken(200)),
      row("GET /api/v1/backends/{name}/configuration", "/api/v1/backends/fast/configuration", anyToken(200)),
      row("GET /api/v1/instances/usage", "/api/v1/instances/usage", anyInstance(200)),
      // Jobs
      row("POST /api/v1/jobs", "/api/v1/jobs", descriptorJob("fast"), anyInstance(200)),
      row("POST /api/v1/jobs into alice's session", "/api/v1/jobs",
          TestNodes.with(descriptorJob("fast"), "\"session_id\":\"{session}\""), statuses(401, 401, 403, 404, 404, 200, 200, 403, 400)),
      row("GET /api/v1/jobs", "/api/v1/jobs", anyInstance(200)),
      row("GET /api/v1/jobs?session_id= alice's session", "/api/v1/jobs?session_id={session}",
          statuses(401, 401, 403, 404, 404, 200, 200, 403, 400)),
      row("GET /api/v1/jobs/{id}", "/api/v1/jobs/{job}", alices(200)),
      row("GET /api/v1/jobs/{id} of no one", "/api/v1/jobs/no-such-job", alices(404)),
      row("GET /api/v1/jobs/{id}/results", "/api/v1/jobs/{job}/results", alices(200)),
      row("GET /api/v1/jobs/{id}/metrics", "/api/v1/jobs/{job}/metrics", alices(200)),
      row("POST /api/v1/jobs/{id}/cancel", "/api/v1/jobs/{running-job}/cancel", "", alices(204)),
      row("DELETE /api/v1/jobs/{id}", "/api/v1/jobs/{final-job}", alices(204)),
      // Sessions and batches
      row("POST /api/v1/sessions", "/api/v1/sessions", "{\"mode\":\"batch\",\"backend\":\"fast\"}", anyInstance(200)),
      row("GET /api/v1/sessions", "/api/v1/sessions", anyInstance(200)),
      row("GET /api/v1/sessions/{id}", "/api/v1/sessions/{session}", alices(200)),
      row("GET /api/v1/sessions/{id} of no one", "/api/v1/sessions/no-such-session", alices(404)),
      row("PATCH /api/v1/sessions/{id}", "/api/v1/sessions/{new-session}", "{\"accepting_jobs\":false}", alices(204)),
      row("DELETE /api/v1/sessions/{id}/close", "/api/v1/sessions/{new-session}/close", alices(204)),
      // Admin (api.md "Admin")
      row("POST /api/v1/admin/backends/{name}/maintenance", "/api/v1/admin/backends/cc/maintenance",
          "{\"kind\":\"calibration\",\"duration_seconds\":0.01}", adminOnly(202)),
      row("PATCH /api/v1/admin/backends/{name}", "/api/v1/admin/backends/excl", "{\"status\":\"online\"}", adminOnly(204)),
      row("GET /api/v1/admin/backends/{name}/queue", "/api/v1/admin/backends/fast/queue", adminOnly(200)),
      // not in api.md: a non-admin learns nothing about backend names from admin calls
      row("GET /api/v1/admin/backends/{name}/queue of no backend", "/api/v1/admin/backends/nope/queue",
          adminOnly(404)),
      // not in api.md: unknown paths and methods; under /api/v1 the token comes first
      row("GET /api/v1/nothing-here", "/api/v1/nothing-here", anyToken(404)),
      row("PUT /api/v1/jobs", "/api/v1/jobs", "{}", anyToken(405)),
      row("GET /nothing-here", "/nothing-here", anyone(404)));

  static Main.Node node;
  static int port;
  /** alice's job (Completed) and batch session (open), made once. */
  static String job;
  static String session;

  @BeforeAll
  static void start() throws Exception {
    String config = TestNodes.config(TestNodes.tempDir(), 0).replace("tokens = [",
        "tokens = [\n { token = \"ops-token\", user = \"ops\", instances = [\"" + B + "\"], admin = true }"
        + "\n { token = \"ops-only-token\", user = \"ops\", instances = [], admin = true }");
    node = Main.Node.start(com.typesafe.config.ConfigFactory.parseString(config));
    port = node.port();
    job = submit(port, "alice-token", descriptorJob("fast"));
    awaitJob(port, "alice-token", job, status("Completed"), Duration.ofSeconds(30));
    session = openSession(port, "alice-token", "batch", "fast", "");
  }

  @AfterAll
  static void stop() throws Exception {
    node.stop();
  }

  static Stream<Arguments> matrix() {
    return ROWS.stream().flatMap(r -> r.expected().entrySet().stream()
        .map(e -> Arguments.of(r, e.getKey(), e.getValue())));
  }

  @ParameterizedTest(name = "{0} as {1} → {2}")
  @MethodSource("matrix")
  void eachCallerGetsTheStatusOfTheTable(Row row, Caller caller, int expected) throws Exception {
    String path = resolve(row.path());
    String body = row.body() == null ? null : resolve(row.body());
    HttpResponse<String> r = send(request(row.method(), path, body, caller));
    assertEquals(expected, r.statusCode(), row + " " + path + " as " + caller + ": " + r.body());
    if (r.statusCode() >= 400) { // api.md: the error body, always
      JsonNode e = json(r);
      assertEquals(r.statusCode(), e.path("errors").path(0).path("code").asInt(), r.body());
      assertFalse(e.path("errors").path(0).path("message").asText().isBlank(), r.body());
      assertTrue(e.has("trace"), r.body());
    }
  }

  @Test
  @DisplayName("issue 8, item 1: another instance's lists do not show alice's job or session, admins' neither")
  void listsOfAnotherInstanceDoNotShowAlicesObjects() throws Exception {
    for (String token : List.of("bob-token", "ops-token")) {
      assertFalse(ids(json(send(get(port, "/api/v1/jobs", token))).path("jobs")).contains(job), token);
      assertFalse(ids(json(send(get(port, "/api/v1/jobs?pending=false&limit=200", token))).path("jobs")).contains(job), token);
      assertFalse(ids(json(send(get(port, "/api/v1/sessions", token))).path("sessions")).contains(session), token);
    }
    assertTrue(ids(json(send(get(port, "/api/v1/jobs", "alice-token"))).path("jobs")).contains(job));
    assertTrue(ids(json(send(get(port, "/api/v1/sessions", "alice-token"))).path("sessions")).contains(session));
    assertTrue(ids(json(send(get(port, "/api/v1/jobs", "both-token").header("Service-CRN", A))).path("jobs")).contains(job));
    assertFalse(ids(json(send(get(port, "/api/v1/jobs", "both-token").header("Service-CRN", B))).path("jobs")).contains(job));
  }

  @Test
  @DisplayName("issue 8, item 1: another instance's object answers exactly as an id that does not exist")
  void anotherInstancesObjectIsIndistinguishableFromNone() throws Exception {
    for (String[] call : new String[][] {{"/api/v1/jobs/", job, ""}, {"/api/v1/jobs/", job, "/metrics"},
        {"/api/v1/sessions/", session, ""}}) {
      JsonNode theirs = json(send(get(port, call[0] + call[1] + call[2], "bob-token")));
      JsonNode none = json(send(get(port, call[0] + "x" + call[1].substring(1) + call[2], "bob-token")));
      String message = theirs.path("errors").path(0).path("message").asText();
      assertEquals(none.path("errors").path(0).path("message").asText().replace("x" + call[1].substring(1), call[1]),
          message, call[0] + call[2]);
      assertFalse(message.contains(A) || message.contains("alice"), message);
    }
  }

  @Test
  @DisplayName("issue 8, item 1: another instance reusing alice's Idempotency-Key gets its own job and session")
  void anIdempotencyKeyIsPerInstance() throws Exception {
    String key = "shared-key-" + System.nanoTime();
    String body = descriptorJob("fast");
    String alices = json(send(TestNodes.post(port, "/api/v1/jobs", "alice-token", body).header("Idempotency-Key", key)))
        .path("id").asText();
    HttpResponse<String> bobs = send(TestNodes.post(port, "/api/v1/jobs", "bob-token", body).header("Idempotency-Key", key));
    assertEquals(200, bobs.statusCode(), bobs.body());
    assertFalse(json(bobs).path("id").asText().equals(alices), "bob must not get alice's job back: " + bobs.body());
    assertEquals(404, send(get(port, "/api/v1/jobs/" + alices, "bob-token")).statusCode());
    String session = "{\"mode\":\"batch\",\"backend\":\"fast\"}";
    String alicesSession = json(send(TestNodes.post(port, "/api/v1/sessions", "alice-token", session)
        .header("Idempotency-Key", key))).path("id").asText();
    HttpResponse<String> bobsSession = send(TestNodes.post(port, "/api/v1/sessions", "bob-token", session)
        .header("Idempotency-Key", key));
    assertEquals(200, bobsSession.statusCode(), bobsSession.body());
    assertFalse(json(bobsSession).path("id").asText().equals(alicesSession), bobsSession.body());
    assertEquals(B, json(bobsSession).path("instance").asText());
  }

  /**
   * api.md's own list of calls: each has a row here. Reads the contract from the shared design
   * folder next to the repository (where README links it); skipped where it is not there.
   */
  @Test
  @DisplayName("issue 8, item 1: every call api.md names has a row in the matrix")
  void everyRouteOfApiMdHasARow() throws Exception {
    Path apiMd = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    while (apiMd != null && !Files.exists(apiMd.resolve("../shared/design/api.md"))) {
      apiMd = apiMd.getParent();
    }
    assumeTrue(apiMd != null, "design/api.md is not next to the repository");
    String text = Files.readString(apiMd.resolve("../shared/design/api.md"));
    Set<String> routes = new TreeSet<>();
    Matcher m = Pattern.compile("`(GET|POST|PATCH|DELETE|PUT) (/[^`\\s*]*)`").matcher(text);
    while (m.find()) {
      String path = m.group(2); // api.md's prose also says `POST /jobs` for /api/v1/jobs
      routes.add(m.group(1) + " " + (path.startsWith("/api/") || path.startsWith("/health/") ? path : "/api/v1" + path));
    }
    assertTrue(routes.size() >= 20, "api.md's calls: " + routes);
    Set<String> rows = ROWS.stream().map(Row::route).collect(Collectors.toSet());
    List<String> missing = new ArrayList<>(routes);
    missing.removeAll(rows);
    assertEquals(List.of(), missing, "calls of api.md without a row in the matrix");
  }

  private static Set<String> ids(JsonNode list) {
    Set<String> out = new TreeSet<>();
    list.forEach(n -> out.add(n.path("id").asText()));
    return out;
  }

  /** The row's placeholders: alice's objects, fresh ones where the call changes them. */
  private static String resolve(String s) throws Exception {
    if (s.contains("{running-job}")) {
      // "slow": 3 s of pre-processing per circuit, so the job is not final when it is cancelled
      s = s.replace("{running-job}", submit(port, "alice-token", descriptorJob("slow")));
    }
    if (s.contains("{final-job}")) {
      String id = submit(port, "alice-token", descriptorJob("fast"));
      awaitJob(port, "alice-token", id, status("Completed"), Duration.ofSeconds(30));
      s = s.replace("{final-job}", id);
    }
    if (s.contains("{new-session}")) {
      s = s.replace("{new-session}", openSession(port, "alice-token", "batch", "fast", ""));
    }
    return s.replace("{job}", job).replace("{session}", session);
  }

  private static HttpRequest.Builder request(String method, String path, String body, Caller caller) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (caller.token != null) {
      b.header("Authorization", "Bearer " + caller.token);
    }
    if (caller.serviceCrn != null) {
      b.header("Service-CRN", caller.serviceCrn);
    }
    return b;
  }
}
