package dev.lanes.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.lanes.client.Batch;
import dev.lanes.client.InvalidRequestException;
import dev.lanes.client.Job;
import dev.lanes.client.JobRequest;
import dev.lanes.client.JobStatus;
import dev.lanes.client.Pub;
import dev.lanes.client.RuntimeService;
import dev.lanes.client.Session;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, item 1: the README's Java client examples, copied here verbatim, compile and run: local
 * testing mode in-process (R30), the session and the batch against a real node. The first test
 * fails when the README and these copies differ.
 */
class ReadmeExamplesTest {
  static Main.Node node;
  static RuntimeService service;
  static String bell;

  @BeforeAll
  static void start() throws Exception {
    // A node whose backend is called as in the README, with fast timing.
    String config = TestNodes.config(TestNodes.tempDir().resolve("data"), 0).replace("backends = [",
        "backends = [\n { name = \"sim_kyiv\", qubits = 30, lanes = 5, timing { prep-per-circuit = 1ms,"
            + " post-per-circuit = 1ms, job-overhead = 20ms, job-overhead-per-qubit-layer = 0s, shot-time = 1us,"
            + " layer-time = 1us } }");
    node = Main.Node.start(ConfigFactory.parseString(config));
    service = RuntimeService.connect("http://127.0.0.1:" + node.port(), "alice-token");
  }

  @AfterAll
  static void stop() throws Exception {
    node.stop();
  }

  @Test
  @DisplayName("issue 7: every java block of the README is one of this test's examples, verbatim")
  void theReadmesExamplesAreTheseExamples() throws IOException {
    String readme = Files.readString(Path.of("../../README.md"), StandardCharsets.UTF_8);
    List<String> source = normalized(Files.readString(
        Path.of("src/test/java/dev/lanes/server/ReadmeExamplesTest.java"), StandardCharsets.UTF_8));
    Matcher blocks = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    int n = 0;
    while (blocks.find()) {
      n++;
      assertTrue(inOrder(normalized(blocks.group(1)), source),
          "README example " + n + " is not in ReadmeExamplesTest:\n" + blocks.group(1));
    }
    assertEquals(4, n, "the README's java examples");
  }

  /** Lines stripped of indentation, blank lines dropped: the README indents from column 0. */
  private static List<String> normalized(String code) {
    return code.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  /** The example's lines appear in the source in the same order (the test adds its assertions between them). */
  private static boolean inOrder(List<String> example, List<String> source) {
    int at = 0;
    for (String line : example) {
      at = source.subList(at, source.size()).indexOf(line);
      if (at < 0) {
        return false;
      }
      at++;
    }
    return true;
  }

  @Test
  @DisplayName("issue 7 (R30): the local testing mode example")
  void localTestingMode() {
    RuntimeService local = RuntimeService.local();
    String bell = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg meas[2];\n"
        + "h q[0];\ncx q[0],q[1];\nmeasure q -> meas;";
    Job job = local.run(JobRequest.sampler("sim_kyiv", Pub.qasm(bell)).withShots(1000));
    Map<String, Long> counts = job.result().counts();   // {00=…, 11=…}: a real simulation, usage 0
    assertEquals(1000L, counts.get("00") + counts.get("11"));
    ReadmeExamplesTest.bell = bell;
  }

  @Test
  @DisplayName("issue 7: the connect example makes no call until one is asked for")
  void connect() {
    RuntimeService service = RuntimeService.connect("http://127.0.0.1:8080", "demo-token");
    assertNotNull(service);
  }

  @Test
  @DisplayName("issue 7 (R14, R16, R19): the session and batch examples against a real node")
  void sessionAndBatch() {
    localTestingMode();
    try (Session session = service.session("sim_kyiv", Duration.ofMinutes(10))) {
      Job first = session.sampler(Pub.qasm(bell).withShots(1000));
      Job second = session.sampler(Pub.descriptor(10, 10, 20));
      System.out.println(first.result().counts() + " then " + second.waitForFinalState());
      System.out.println("charged so far: " + session.usage() + " s, " + session.details().path("state"));
      assertEquals(JobStatus.COMPLETED, first.status());
      assertEquals(session.id(), second.details().path("session_id").asText());
    }
    try (Batch batch = service.batch("sim_kyiv")) {
      List<Job> jobs = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        jobs.add(batch.run(JobRequest.sampler("sim_kyiv", Pub.descriptor(2, 2, 200)).withShots(10)));
      }
      for (Job j : jobs) {
        System.out.println(j.id() + " " + j.waitForFinalState() + " " + j.metrics().path("lane"));
      }
      assertTrue(jobs.stream().allMatch(j -> j.status() == JobStatus.COMPLETED));
    }
  }

  @Test
  @DisplayName("issue 7 (R4): the error example: a bad circuit is an InvalidRequestException naming the PUB and line")
  void errors() {
    localTestingMode();
    String message = null;
    try {
      service.run(JobRequest.sampler("sim_kyiv", Pub.qasm("OPENQASM 2.0;\nqreg q[2];\nfoo q[0];")));
    } catch (InvalidRequestException e) {
      System.out.println(e.status() + ": " + e.getMessage());   // 400: params.pubs[0].circuit: line 3: …
      message = e.getMessage();
    }
    assertNotNull(message, "the bad circuit was accepted");
    assertTrue(message.contains("line 3"), message);
  }
}
