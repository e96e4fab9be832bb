package dev.lanes.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.lanes.client.LanesApi;
import dev.lanes.server.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Issue 7, item 2: the {@code lanes} CLI against a real node on an ephemeral port. */
@DisplayName("issue 7, item 2: the lanes CLI")
class LanesCliTest {
  static final String A = "crn:test:cli";
  static final String B = "crn:test:cli-b";
  static final ObjectMapper JSON = new ObjectMapper();
  static Main.Node node;
  static String url;
  static LanesApi api;

  /**
   * Backend "fast": jobs take a few ms. "slow": 3 s of pre-processing per circuit, so a job stays
   * Running long enough to be cancelled. "long": 2 s of quantum time per job, over a cost of 1 s.
   */
  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("lanes-cli-test");
    node = Main.Node.start(ConfigFactory.parseString("""
        lanes {
          http.port = 0
          data-dir = "%s"
          backends = [
            { name = "fast", qubits = 30, lanes = 2,
              timing { prep-per-circuit = 1ms, post-per-circuit = 1ms, job-overhead = 20ms,
                       job-overhead-per-qubit-layer = 0s, shot-time = 1us, layer-time = 1us } }
            { name = "slow", qubits = 30, lanes = 1,
              timing { prep-per-circuit = 3s, post-per-circuit = 1ms, job-overhead = 100ms,
                       job-overhead-per-qubit-layer = 0s, shot-time = 1us } }
            { name = "long", qubits = 30, lanes = 1,
              timing { prep-per-circuit = 1ms, post-per-circuit = 1ms, job-overhead = 2s,
                       job-overhead-per-qubit-layer = 0s, shot-time = 1us } }
          ]
          instances = [ { id = "%s" }, { id = "%s" } ]
          tokens = [
            { token = "user-token", user = "ursula", instances = ["%s"] }
            { token = "admin-token", user = "root", instances = ["%s"], admin = true }
            { token = "two-token", user = "tom", instances = ["%s", "%s"] }
          ]
        }
        """.formatted(dir.resolve("data").toString().replace("\\", "/"), A, B, A, A, A, B)));
    url = "http://127.0.0.1:" + node.port();
    api = new LanesApi(url, "user-token");
  }

  @AfterAll
  static void stop() throws Exception {
    node.stop();
  }

  record Run(int code, String out, String err) {
    JsonNode json() throws Exception {
      return JSON.readTree(out);
    }

    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** {@code lanes --url <node> --token <token> args…} in this JVM, stdout and stderr captured. */
  static Run lanesAs(String token, String... args) {
    List<String> all = new ArrayList<>(List.of("--url", url, "--token", token));
    all.addAll(List.of(args));
    return exec(all.toArray(String[]::new));
  }

  static Run lanes(String... args) {
    return lanesAs("user-token", args);
  }

  static Run exec(String... args) {
    CommandLine cmd = LanesCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  static String submitQuiet(String... args) {
    List<String> all = new ArrayList<>(List.of("jobs", "submit", "-q"));
    all.addAll(List.of(args));
    Run r = lanes(all.toArray(String[]::new));
    assertEquals(0, r.code(), r.toString());
    return r.out().strip();
  }

  @Test
  void submitWaitReachesCompletedWithProgressOnlyOnStderr() throws Exception {
    Run r = lanes("jobs", "submit", "--backend", "fast", "--circuits", "2", "--qubits", "2", "--depth", "1",
        "--shots", "10", "--tag", "cli", "--wait");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().matches("(?s).*status:\\s+Completed.*"), r.toString());
    assertTrue(r.out().contains("tags:") && r.out().contains("cli"), r.toString());
    // the progress display: a line per change on stderr (not a terminal here), never on stdout
    assertTrue(r.err().contains(": Completed") && r.err().contains("elapsed"), r.toString());
    assertFalse(r.out().contains("elapsed"), r.toString());
  }

  @Test
  void jsonIsTheServersDocumentAndNothingElse() throws Exception {
    Run r = lanes("--json", "jobs", "submit", "--backend", "fast", "--circuits", "1", "--qubits", "2", "--depth", "1",
        "--shots", "5", "--wait");
    assertEquals(0, r.code(), r.toString());
    JsonNode job = r.json();
    assertEquals("Completed", job.path("status").asText());
    String id = job.path("id").asText();
    assertEquals(api.job(id, false), job);

    // the global options may also come after the subcommand
    Run get = lanes("jobs", "get", id, "--json");
    assertEquals(0, get.code(), get.toString());
    assertEquals(api.job(id, false), get.json());
    assertEquals("", get.err());

    Run result = lanes("jobs", "result", id, "--json");
    assertEquals(0, result.code(), result.toString());
    assertEquals(api.results(id).orElseThrow(), result.json());

    Run list = lanes("jobs", "list", "--backend", "fast", "--limit", "200", "--json");
    assertEquals(0, list.code(), list.toString());
    assertEquals(api.jobs(Map.of("backend", "fast", "limit", "200", "exclude_params", "true")).path("count"),
        list.json().path("count"));
    assertTrue(list.out().contains(id));

    Run submitted = lanes("jobs", "submit", "--backend", "fast", "--circuits", "1", "--qubits", "2", "--depth", "1", "--json");
    assertEquals(0, submitted.code(), submitted.toString());
    assertEquals("fast", submitted.json().path("backend").asText());
    assertTrue(submitted.json().path("id").isTextual());
  }

  @Test
  void tablesForListGetAndResult() throws Exception {
    String qasm = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg meas[2];\nh q[0];\ncx q[0],q[1];\nmeasure q -> meas;\n";
    Path file = Files.createTempFile("bell", ".qasm");
    Files.writeString(file, qasm);
    Run r = lanes("jobs", "submit", "--backend", "fast", "--qasm", file.toString(), "--shots", "100", "-q", "--wait");
    assertEquals(0, r.code(), r.toString());
    String id = r.out().strip();
    assertTrue(id.matches("[0-9a-zA-Z-]+"), r.toString());
    assertEquals("", r.err(), "--quiet shows no progress");

    Run list = lanes("jobs", "list", "--backend", "fast");
    assertEquals(0, list.code(), list.toString());
    String[] lines = list.out().split("\n");
    assertTrue(lines[0].startsWith("ID") && lines[0].contains("STATUS") && lines[0].contains("BACKEND"), list.toString());
    assertTrue(list.out().contains(id), list.toString());
    // columns aligned: STATUS starts at the same offset in the header and in each row
    int col = lines[0].indexOf("STATUS");
    assertTrue(lines[1].substring(col).startsWith("Completed") || lines[1].substring(col).startsWith("Queued")
        || lines[1].substring(col).startsWith("Running"), list.toString());

    Run get = lanes("jobs", "get", id);
    assertEquals(0, get.code(), get.toString());
    assertTrue(get.out().contains("id:") && get.out().contains(id) && get.out().contains("Completed"), get.toString());

    Run result = lanes("jobs", "result", id);
    assertEquals(0, result.code(), result.toString());
    assertTrue(result.out().contains("OUTCOME") && result.out().contains("00") && result.out().contains("11"), result.toString());
    assertFalse(result.out().contains("01 "), "a Bell pair never measures 01: " + result);
  }

  @Test
  void cancelAQueuedOrRunningJobThenConflictOnceFinal() throws Exception {
    String id = submitQuiet("--backend", "slow", "--circuits", "1", "--qubits", "2", "--depth", "1");
    Run early = lanes("jobs", "result", id);
    assertEquals(ExitCodes.CONFLICT, early.code(), early.toString());
    assertTrue(early.err().contains("no results yet"), early.toString());

    Run cancel = lanes("jobs", "cancel", id);
    assertEquals(0, cancel.code(), cancel.toString());
    assertTrue(cancel.out().contains("Cancel requested for job " + id), cancel.toString());

    api.waitForFinal(id, Duration.ofSeconds(30));
    Run again = lanes("jobs", "cancel", id);
    assertEquals(ExitCodes.CONFLICT, again.code(), again.toString());
    assertTrue(again.err().contains("409") && again.err().contains("already final"), again.toString());
    assertEquals("", again.out());

    Run result = lanes("jobs", "result", id);
    assertEquals(ExitCodes.JOB_FAILED, result.code(), result.toString());
    assertTrue(result.err().contains("Cancelled"), result.toString());
  }

  @Test
  void aWaitedJobThatEndsCancelledExits8() throws Exception {
    // 2 s of quantum time over a cost of 1 s: the job ends Cancelled (R28, reason_code 1305)
    Run r = lanes("jobs", "submit", "--backend", "long", "--circuits", "1", "--qubits", "2", "--depth", "1", "--cost", "1", "--wait");
    assertEquals(ExitCodes.JOB_FAILED, r.code(), r.toString());
    assertTrue(r.out().matches("(?s).*status:\\s+Cancelled.*"), r.toString());
    assertTrue(r.err().contains("ended Cancelled"), r.toString());

    Run json = lanes("--json", "jobs", "submit", "--backend", "long", "--circuits", "1", "--qubits", "2", "--depth", "1",
        "--cost", "1", "--wait");
    assertEquals(ExitCodes.JOB_FAILED, json.code(), json.toString());
    assertEquals("Cancelled", json.json().path("status").asText());
    assertEquals(1305, json.json().path("state").path("reason_code").asInt());
  }

  @Test
  void sessionsOpenListDetailsCloseCancel() throws Exception {
    Run open = lanes("sessions", "open", "--backend", "fast", "--max-ttl", "600");
    assertEquals(0, open.code(), open.toString());
    assertTrue(open.out().matches("(?s).*mode:\\s+dedicated.*") && open.out().matches("(?s).*state:\\s+open.*"), open.toString());
    String session = open.out().lines().filter(l -> l.startsWith("id:")).findFirst().orElseThrow().substring(3).strip();

    Run job = lanes("jobs", "submit", "--backend", "fast", "--session", session, "--circuits", "1", "--qubits", "2",
        "--depth", "1", "--wait");
    assertEquals(0, job.code(), job.toString());
    assertTrue(job.out().contains(session), job.toString());

    Run list = lanes("sessions", "list", "--mode", "dedicated");
    assertEquals(0, list.code(), list.toString());
    assertTrue(list.out().startsWith("ID") && list.out().contains(session), list.toString());

    Run listJson = lanes("--json", "sessions", "list", "--backend", "fast");
    assertEquals(0, listJson.code(), listJson.toString());
    assertTrue(listJson.json().path("sessions").findValuesAsText("id").contains(session), listJson.toString());

    Run details = lanes("sessions", "details", session);
    assertEquals(0, details.code(), details.toString());
    assertTrue(details.out().contains("STATE") && details.out().contains("active"), details.toString());
    Run detailsJson = lanes("--json", "sessions", "details", session);
    assertEquals(api.getSession(session).path("id"), detailsJson.json().path("id"));

    Run jobsOfSession = lanes("jobs", "list", "--session", session);
    assertEquals(0, jobsOfSession.code(), jobsOfSession.toString());
    assertEquals(2, jobsOfSession.out().lines().count(), jobsOfSession.toString());

    Run close = lanes("sessions", "close", session);
    assertEquals(0, close.code(), close.toString());
    assertTrue(close.out().matches("Clos(ed|ing) dedicated " + session + " \\(state now \\w+\\)\\R"), close.toString());
    assertFalse(api.getSession(session).path("accepting_jobs").asBoolean());
    // a closed session takes no new job: 409
    Run refused = lanes("jobs", "submit", "--backend", "fast", "--session", session, "--circuits", "1", "--qubits", "2",
        "--depth", "1");
    assertEquals(ExitCodes.CONFLICT, refused.code(), refused.toString());

    Run batch = lanes("sessions", "open", "--backend", "fast", "--mode", "batch", "-q");
    assertEquals(0, batch.code(), batch.toString());
    String batchId = batch.out().strip();
    Run cancel = lanes("--json", "sessions", "cancel", batchId);
    assertEquals(0, cancel.code(), cancel.toString());
    assertEquals("batch", cancel.json().path("mode").asText());
    assertEquals(batchId, cancel.json().path("id").asText());
  }

  @Test
  void backendsUsageAndTheAdminQueue() throws Exception {
    Run backends = lanes("backends");
    assertEquals(0, backends.code(), backends.toString());
    assertTrue(backends.out().startsWith("NAME") && backends.out().contains("fast") && backends.out().contains("slow"), backends.toString());
    Run backendsJson = lanes("backends", "--json");
    assertEquals(api.backends().path("devices").size(), backendsJson.json().path("devices").size());

    Run usage = lanes("usage");
    assertEquals(0, usage.code(), usage.toString());
    assertTrue(usage.out().contains(A), usage.toString());
    assertEquals(A, lanes("--json", "usage").json().path("instance_id").asText());

    String running = submitQuiet("--backend", "slow", "--circuits", "1", "--qubits", "2", "--depth", "1");
    String queued = submitQuiet("--backend", "slow", "--circuits", "1", "--qubits", "2", "--depth", "1");
    try {
      Run queue = lanesAs("admin-token", "queue", "slow");
      assertEquals(0, queue.code(), queue.toString());
      assertTrue(queue.out().contains("POS") && queue.out().contains("WHY"), queue.toString());
      Run queueJson = lanesAs("admin-token", "--json", "queue", "slow");
      assertEquals(0, queueJson.code(), queueJson.toString());
      assertTrue(queueJson.json().has("queue") && queueJson.json().has("holder"), queueJson.toString());

      Run forbidden = lanes("queue", "slow");
      assertEquals(ExitCodes.UNAUTHORIZED, forbidden.code(), forbidden.toString());
      assertTrue(forbidden.err().contains("403") && forbidden.err().contains("admin"), forbidden.toString());
    } finally {
      api.cancel(queued);
      api.cancel(running);
    }
  }

  @Test
  void exitCodesForNotFoundBadTokenBadRequestUnavailableAndUsage() throws Exception {
    Run unknown = lanes("jobs", "get", "no-such-job");
    assertEquals(ExitCodes.NOT_FOUND, unknown.code(), unknown.toString());
    assertTrue(unknown.err().contains("job not found"), unknown.toString());
    assertEquals("", unknown.out());

    assertEquals(ExitCodes.NOT_FOUND, lanes("sessions", "details", "no-such-session").code());
    assertEquals(ExitCodes.UNAUTHORIZED, lanesAs("wrong-token", "backends").code());

    Run wide = lanes("jobs", "submit", "--backend", "fast", "--qubits", "1000", "--depth", "1");
    assertEquals(ExitCodes.BAD_REQUEST, wide.code(), wide.toString());
    assertTrue(wide.err().contains("wider than backend"), wide.toString());

    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Run nobody = exec("--url", "http://127.0.0.1:" + port, "backends");
    assertEquals(ExitCodes.UNAVAILABLE, nobody.code(), nobody.toString());
    assertTrue(nobody.err().startsWith("lanes: server unavailable"), nobody.toString());

    Run noSource = lanes("jobs", "submit", "--backend", "fast");
    assertEquals(ExitCodes.USAGE, noSource.code(), noSource.toString());
    assertTrue(noSource.err().contains("exactly one of"), noSource.toString());
    assertEquals(ExitCodes.USAGE, lanes("jobs", "frobnicate").code());
    assertEquals(ExitCodes.USAGE, lanes().code());

    Run help = exec("--help");
    assertEquals(0, help.code(), help.toString());
    assertTrue(help.out().contains("Exit codes:") && help.out().contains("8  a job waited for"), help.toString());
  }

  @Test
  void onATerminalTheProgressIsOneLineRewrittenInPlace() throws Exception {
    System.setProperty("lanes.stderr.tty", "true");
    try {
      Run r = lanes("jobs", "submit", "--backend", "fast", "--circuits", "1", "--qubits", "2", "--depth", "1", "--wait");
      assertEquals(0, r.code(), r.toString());
      assertTrue(r.err().contains("\rjob ") && r.err().endsWith(System.lineSeparator()), r.toString());
      String progress = r.err().substring(r.err().indexOf('\r'));
      assertEquals(1, progress.chars().filter(c -> c == '\n').count(), "one line, rewritten: " + r);
      assertFalse(r.out().contains("\r"), r.toString());
    } finally {
      System.clearProperty("lanes.stderr.tty");
    }
  }

  @Test
  void aWholeBodyFromAFileWithOptionsOverridingItsFields() throws Exception {
    Path body = Files.createTempFile("job", ".json");
    Files.writeString(body, "{\"program_id\":\"sampler\",\"backend\":\"nowhere\",\"tags\":[\"from-file\"],"
        + "\"params\":{\"pubs\":[{\"circuit\":{\"num_qubits\":2,\"depth\":1}}]}}");
    Run r = lanes("--json", "jobs", "submit", "--body", body.toString(), "--backend", "fast", "--shots", "7", "--wait");
    assertEquals(0, r.code(), r.toString());
    assertEquals("fast", r.json().path("backend").asText());
    assertEquals("from-file", r.json().path("tags").path(0).asText());
    JsonNode withParams = api.job(r.json().path("id").asText(), true);
    assertEquals(7, withParams.path("params").path("options").path("default_shots").asInt(), withParams.toString());

    Files.writeString(body, "{not json");
    Run bad = lanes("jobs", "submit", "--body", body.toString(), "--backend", "fast");
    assertEquals(ExitCodes.BAD_REQUEST, bad.code(), bad.toString());
  }

  @Test
  void theInstanceIsSentAsServiceCrnWhenTheTokenHasSeveral() throws Exception {
    Run which = lanesAs("two-token", "usage");
    assertTrue(which.code() == ExitCodes.BAD_REQUEST || which.code() == ExitCodes.UNAUTHORIZED, which.toString());
    assertTrue(which.err().startsWith("lanes: "), which.toString());
    Run b = lanesAs("two-token", "--instance", B, "--json", "usage");
    assertEquals(0, b.code(), b.toString());
    assertEquals(B, b.json().path("instance_id").asText());
    // another instance's jobs are invisible: 404
    String job = submitQuiet("--backend", "fast", "--circuits", "1", "--qubits", "2", "--depth", "1");
    assertEquals(ExitCodes.NOT_FOUND, lanesAs("two-token", "--instance", B, "jobs", "get", job).code());
    assertEquals(0, lanesAs("two-token", "--instance", A, "jobs", "get", job).code());
  }
}
