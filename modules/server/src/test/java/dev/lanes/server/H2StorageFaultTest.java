package dev.lanes.server;

import static dev.lanes.server.TestNodes.awaitJob;
import static dev.lanes.server.TestNodes.descriptorJob;
import static dev.lanes.server.TestNodes.get;
import static dev.lanes.server.TestNodes.post;
import static dev.lanes.server.TestNodes.send;
import static dev.lanes.server.TestNodes.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, item 6 (with R29): embedded storage on a disk that fills up, then on one that turns
 * read-only. The data dir is a small tmpfs of its own, so this needs root (as the PostgreSQL
 * tests do); skipped where mounting is not allowed.
 */
class H2StorageFaultTest {
  static Path mount;

  static int sh(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor();
  }

  @BeforeAll
  static void smallDisk() throws Exception {
    mount = Files.createTempDirectory("lanes-small-disk");
    Assumptions.assumeTrue(sh("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", mount.toString()) == 0,
        "mounting a tmpfs needs root: skipped");
  }

  @AfterAll
  static void unmount() throws Exception {
    if (mount != null) {
      sh("umount", "-l", mount.toString());
    }
  }

  static Config config() {
    return ConfigFactory.parseString("lanes.h2.min-free-space = 8MiB")
        .withFallback(TestNodes.parse(mount.resolve("data"), 0));
  }

  static HttpResponse<String> submit(int port) throws Exception {
    return send(post(port, "/api/v1/jobs", "alice-token", descriptorJob("fast", 2)).timeout(Duration.ofSeconds(30)));
  }

  /** Submits until an answer satisfies {@code until}; 200s are kept, anything else must be a 503. */
  static HttpResponse<String> submitUntil(int port, java.util.function.Predicate<HttpResponse<String>> until,
      List<String> accepted) throws Exception {
    Instant deadline = Instant.now().plusSeconds(30);
    while (true) {
      HttpResponse<String> r = submit(port);
      if (r.statusCode() == 200) {
        accepted.add(TestNodes.json(r).get("id").asText());
      } else {
        assertEquals(503, r.statusCode(), r.body());
      }
      if (until.test(r)) {
        return r;
      }
      assertTrue(Instant.now().isBefore(deadline), "never: last answer " + r.statusCode() + " " + r.body());
      Thread.sleep(200);
    }
  }

  static String message(HttpResponse<String> r) throws Exception {
    return TestNodes.json(r).path("errors").path(0).path("message").asText();
  }

  static int ready(int port) throws Exception {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))).statusCode();
  }

  @Test
  void aFullDiskAndThenAReadOnlyOneGiveClearErrorsAndCorruptNothing() throws Exception {
    List<String> accepted = new ArrayList<>();
    Main.Node node = Main.Node.start(config());
    int port = node.port();
    submitUntil(port, r -> r.statusCode() == 200, accepted);

    // The disk fills up (leaving 2 MiB): writes are refused at once, naming the limit; reads go on.
    long free = Files.getFileStore(mount).getUsableSpace();
    assertEquals(0, sh("dd", "if=/dev/zero", "of=" + mount.resolve("filler"), "bs=1M",
        "count=" + (free / (1024 * 1024) - 2)));
    HttpResponse<String> full = submitUntil(port, r -> r.statusCode() == 503 && r.body().contains("min-free-space"), accepted);
    assertTrue(message(full).contains("data dir") && message(full).contains("free"), message(full));
    assertEquals(503, ready(port));
    assertEquals(200, send(get(port, "/api/v1/jobs/" + accepted.get(0), "alice-token")).statusCode());

    // Space is freed: the node takes writes again by itself.
    Files.delete(mount.resolve("filler"));
    submitUntil(port, r -> r.statusCode() == 200, accepted);
    assertEquals(200, ready(port));

    // The data dir turns read-only under the running node (a read-only bind mount over it: the
    // database's open files are not affected, the node's check is): writes are refused, saying so.
    Path data = mount.resolve("data");
    assertEquals(0, sh("mount", "--bind", data.toString(), data.toString()));
    assertEquals(0, sh("mount", "-o", "remount,bind,ro", data.toString()));
    HttpResponse<String> ro = submitUntil(port, r -> r.statusCode() == 503 && r.body().contains("read-only"), accepted);
    assertTrue(message(ro).contains(data.toString()), message(ro));
    assertEquals(0, sh("umount", data.toString()));
    submitUntil(port, r -> r.statusCode() == 200, accepted);
    node.stop();

    // A node cannot start on a read-only disk, and says why.
    Path readOnly = Files.createTempDirectory("lanes-read-only");
    assertEquals(0, sh("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", readOnly.toString()));
    try {
      Files.createDirectory(readOnly.resolve("data"));
      assertEquals(0, sh("mount", "-o", "remount,ro", readOnly.toString()));
      Exception refused = assertThrows(Exception.class, () -> Main.Node.start(ConfigFactory.parseString(
          "lanes.h2.min-free-space = 0").withFallback(TestNodes.parse(readOnly.resolve("data"), 0))).stop());
      assertTrue(String.valueOf(refused.getMessage()).contains("Read-only file system")
          && refused.getMessage().contains(readOnly.resolve("data").toString()), String.valueOf(refused.getMessage()));
    } finally {
      sh("umount", "-l", readOnly.toString());
    }

    // Every job ever accepted is still there after a restart, and ends: nothing is corrupted.
    Main.Node again = Main.Node.start(config());
    try {
      for (String id : accepted) {
        awaitJob(again.port(), "alice-token", id, status("Completed"), Duration.ofSeconds(60));
      }
      assertEquals(accepted.size(), TestNodes.json(send(get(again.port(), "/api/v1/jobs?limit=200", "alice-token")))
          .path("count").asInt());
    } finally {
      again.stop();
    }
  }
}
