package dev.lanes.server;

import static dev.lanes.server.TestNodes.awaitJob;
import static dev.lanes.server.TestNodes.descriptorJob;
import static dev.lanes.server.TestNodes.get;
import static dev.lanes.server.TestNodes.send;
import static dev.lanes.server.TestNodes.status;
import static dev.lanes.server.TestNodes.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Issue 7 item 4: GET /metrics in Prometheus' text format, on a real node, for admin tokens. */
class MetricsTest {
  static Main.Node node;

  @BeforeAll
  static void start() throws Exception {
    node = Main.Node.start(TestNodes.parse(TestNodes.tempDir().resolve("data"), 0));
  }

  @AfterAll
  static void stop() throws Exception {
    node.stop();
  }

  static double value(String text, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.Ee+-]+)$").matcher(text);
    assertTrue(m.find(), series + " not in:\n" + text);
    return Double.parseDouble(m.group(1));
  }

  static String scrape() throws Exception {
    var r = send(get(node.port(), "/metrics", "admin-token"));
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    return r.body();
  }

  @Test
  void aJobsWaitRunAndChargeShowWithTheBackendsAndSessions() throws Exception {
    int port = node.port();
    String id = submit(port, "alice-token", descriptorJob("fast"));
    awaitJob(port, "alice-token", id, status("Completed"), Duration.ofSeconds(30));
    String text = scrape();
    assertTrue(value(text, "lanes_job_wait_seconds_count") >= 1, text);
    assertTrue(value(text, "lanes_job_run_seconds_count") >= 1, text);
    assertTrue(value(text, "lanes_journal_write_seconds_count{entity=\"job\"}") >= 1, text);
    assertEquals(2.0, value(text, "lanes_backend_lanes{backend=\"fast\"}"));
    assertEquals(0.0, value(text, "lanes_backend_lanes_busy{backend=\"fast\"}"));
    assertEquals(0.0, value(text, "lanes_backend_queue_length{backend=\"fast\"}"));
    value(text, "lanes_sessions{state=\"open\"}");
    // R27: the charge reaches the ledger a moment after the job ends
    Instant deadline = Instant.now().plusSeconds(10);
    while (value(text, "lanes_usage_charged_seconds{instance=\"" + TestNodes.A + "\"}") <= 0
        && Instant.now().isBefore(deadline)) {
      Thread.sleep(50); // polling interval, not an assertion
      text = scrape();
    }
    assertTrue(value(text, "lanes_usage_charged_seconds{instance=\"" + TestNodes.A + "\"}") > 0, text);
  }

  @Test
  void onlyAdminTokensSeeThem() throws Exception {
    // they name instances and their usage
    assertEquals(401, send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/metrics"))).statusCode());
    assertEquals(403, send(get(node.port(), "/metrics", "alice-token")).statusCode());
  }
}
