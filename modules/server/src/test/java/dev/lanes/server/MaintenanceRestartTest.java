package dev.lanes.server;

import static dev.lanes.server.TestNodes.awaitJob;
import static dev.lanes.server.TestNodes.descriptorJob;
import static dev.lanes.server.TestNodes.get;
import static dev.lanes.server.TestNodes.json;
import static dev.lanes.server.TestNodes.post;
import static dev.lanes.server.TestNodes.send;
import static dev.lanes.server.TestNodes.status;
import static dev.lanes.server.TestNodes.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** R24, R29: an accepted maintenance is durable: it is still scheduled after a restart, and runs. */
class MaintenanceRestartTest {
  @Test
  void scheduledMaintenanceSurvivesARestartAndThenRuns() throws Exception {
    Path dir = TestNodes.tempDir();
    Main.Node first = Main.Node.start(TestNodes.parse(dir, 0));
    String job = submit(first.port(), "alice-token", descriptorJob("one", 30));
    awaitJob(first.port(), "alice-token", job, status("Running"), Duration.ofSeconds(30));
    HttpResponse<String> r = send(post(first.port(), "/api/v1/admin/backends/one/maintenance", "admin-token",
        "{\"kind\":\"upgrade\",\"duration_seconds\":3}"));
    assertEquals(202, r.statusCode(), r.body());
    String id = json(r).path("id").asText();
    first.stop();

    Main.Node node = Main.Node.start(TestNodes.parse(dir, 0));
    try {
      int port = node.port();
      // the stop freed the lane, so after the restart the maintenance has the backend first;
      // the interrupted job waits behind it at the head of the queue
      Instant deadline = Instant.now().plusSeconds(30);
      boolean seen = false;
      while (!seen && Instant.now().isBefore(deadline)) {
        JsonNode s = json(send(get(port, "/api/v1/backends/one/status", "admin-token")));
        seen = s.path("status").asText().equals("maintenance") && s.path("holder").path("id").asText().equals(id);
        Thread.sleep(10); // polling interval, not an assertion
      }
      assertEquals(true, seen, "the maintenance scheduled before the restart never ran");
      JsonNode q = json(send(get(port, "/api/v1/admin/backends/one/queue", "admin-token")));
      assertEquals(job, q.path("queue").path(0).path("job_id").asText(), q.toString());
      awaitJob(port, "alice-token", job, status("Completed"), Duration.ofSeconds(30));
    } finally {
      node.stop();
    }
  }
}
