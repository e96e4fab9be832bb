package dev.lanes.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** config.md: a second node on the same embedded data dir exits non-zero, naming the dir and its lock. */
class DataDirLockTest {
  @Test
  void aSecondProcessOnTheSameDataDirFailsFastAndTheFirstKeepsServing() throws Exception {
    Path dir = TestNodes.tempDir();
    Path data = dir.resolve("data");
    Main.Node first = Main.Node.start(TestNodes.parse(data, 0));
    try {
      Path conf = dir.resolve("second.conf");
      Files.writeString(conf, TestNodes.config(data, RestartTest.freePort()));
      Process second = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--config", conf.toString())
          .redirectErrorStream(true).start();
      assertTrue(second.waitFor(60, TimeUnit.SECONDS), "the second node did not exit");
      String out = new String(second.getInputStream().readAllBytes());
      assertNotEquals(0, second.exitValue());
      assertTrue(out.contains(data.toAbsolutePath().toString()) && out.contains(Storage.LOCK_FILE), out);
      assertEquals(200, TestNodes.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + first.port() + "/health/ready"))).statusCode());
    } finally {
      first.stop();
    }
  }

  @Test
  void twoNodesOnTheirOwnDataDirsRunSideBySide() throws Exception {
    // config.md: a single node binds no fixed cluster port (lanes.cluster.port = 0).
    Main.Node a = Main.Node.start(TestNodes.parse(TestNodes.tempDir(), 0));
    try {
      Main.Node b = Main.Node.start(TestNodes.parse(TestNodes.tempDir(), 0));
      try {
        assertNotEquals(a.system().address().getPort(), b.system().address().getPort());
        String id = TestNodes.submit(b.port(), "alice-token", TestNodes.descriptorJob("fast"));
        TestNodes.awaitJob(b.port(), "alice-token", id, TestNodes.status("Completed"), java.time.Duration.ofSeconds(20));
      } finally {
        b.stop();
      }
    } finally {
      a.stop();
    }
  }
}
