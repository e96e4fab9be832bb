package dev.lanes.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * api.md "Health": {@code GET /health/ready} is 200 only once the node has recovered, is Up in its
 * cluster and its storage answers; 503 naming what is missing otherwise (issue 6, item 5).
 */
class ReadinessTest {

  @Test
  void readyOnlyWhileStorageAnswersAndTheApiKeepsServingReadsMeanwhile() throws Exception {
    Main.Node node = Main.Node.start(TestNodes.parse(TestNodes.tempDir().resolve("data"), 0));
    try {
      HttpResponse<String> ready = TestNodes.send(health(node.port()));
      assertEquals(200, ready.statusCode(), ready.body()); // recovered, Up (a single node joins itself), H2 answers
      node.lanes().checkStorageWith(() -> Optional.of("storage jdbc:test does not answer: refused"));
      HttpResponse<String> down = TestNodes.send(health(node.port()));
      assertEquals(503, down.statusCode());
      assertTrue(down.body().contains("not ready: storage jdbc:test does not answer"), down.body());
      // reads are answered from memory meanwhile; writes answer for themselves (issue 8)
      assertEquals(200, TestNodes.send(TestNodes.get(node.port(), "/api/v1/backends", "alice-token")).statusCode());
      node.lanes().checkStorageWith(Optional::empty);
      assertEquals(200, TestNodes.send(health(node.port())).statusCode());
    } finally {
      node.stop();
    }
  }

  @Test
  void theProbeSaysWhenStorageDoesNotAnswerAndWhenItDoes() throws Exception {
    try (StorageProbe down = new StorageProbe(new Database("jdbc:postgresql://127.0.0.1:1/lanes", "lanes", ""), 60_000, java.time.Clock.systemUTC())) {
      assertTrue(down.problem().orElseThrow().contains("storage jdbc:postgresql://127.0.0.1:1/lanes does not answer"),
          down.problem().toString());
    }
    String h2 = Storage.h2Url(TestNodes.tempDir().resolve("data"));
    try (StorageProbe up = new StorageProbe(new Database(h2, "lanes", ""), 60_000, java.time.Clock.systemUTC())) {
      assertEquals(Optional.empty(), up.problem());
    }
  }

  private static HttpRequest.Builder health(int port) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"));
  }
}
