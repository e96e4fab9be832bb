package dev.lanes.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Several nodes of one cluster on the local PostgreSQL (issue 6), in this JVM or as separate
 * processes: a fresh database per test class (scripts/postgres), node configurations, readiness,
 * and the journal's audit (scripts/cluster-audit.sql).
 */
final class TestCluster {
  private TestCluster() {}

  static Path repoRoot() {
    Path root = Path.of("").toAbsolutePath();
    while (root != null && !Files.exists(root.resolve("scripts/postgres"))) {
      root = root.getParent();
    }
    assumeTrue(root != null, "scripts/postgres not found above " + Path.of("").toAbsolutePath());
    return root;
  }

  /** Starts the local PostgreSQL and gives {@code db} an empty journal; skips where none is installed. */
  static void freshDatabase(String db) throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/etc/postgresql/15/main")), "PostgreSQL 15 is not installed here");
    ProcessBuilder pb = new ProcessBuilder(repoRoot().resolve("scripts/postgres").toString(), "reset")
        .redirectErrorStream(true);
    pb.environment().put("LANES_PG_DB", db);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(true, p.waitFor(120, TimeUnit.SECONDS), "scripts/postgres reset did not finish");
    assertEquals(0, p.exitValue(), "scripts/postgres reset: " + out);
  }

  static Config postgres(String db) {
    return ConfigFactory.parseString("lanes.storage = postgres\nlanes.postgres { url = \"jdbc:postgresql://127.0.0.1:5432/"
        + db + "\", user = lanes, password = lanes }");
  }

  /** Node {@code i} (0-based) of a cluster whose nodes listen on {@code clusterPorts}. */
  static String nodeConfig(String db, Path dir, int httpPort, List<Integer> clusterPorts, int i) {
    String seeds = clusterPorts.stream().map(p -> "\"akka://lanes@127.0.0.1:" + p + "\"").collect(Collectors.joining(", "));
    return TestNodes.config(dir.resolve("data-" + i), httpPort) + """
        lanes.storage = postgres
        lanes.postgres { url = "jdbc:postgresql://127.0.0.1:5432/%s", user = lanes, password = lanes }
        lanes.cluster { host = "127.0.0.1", port = %d, seed-nodes = [%s], catch-up-after = 2s }
        akka.cluster.jmx.multi-mbeans-in-same-jvm = on
        """.formatted(db, clusterPorts.get(i), seeds);
  }

  static List<Integer> freePorts(int n) throws Exception {
    List<Integer> ports = new ArrayList<>();
    while (ports.size() < n) {
      int p = RestartTest.freePort();
      if (!ports.contains(p)) {
        ports.add(p);
      }
    }
    return ports;
  }

  static boolean ready(int httpPort) {
    try {
      return TestNodes.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health/ready")))
          .statusCode() == 200;
    } catch (Exception notYet) {
      return false;
    }
  }

  static void awaitReady(int httpPort, Duration max) throws Exception {
    Instant deadline = Instant.now().plus(max);
    while (Instant.now().isBefore(deadline)) {
      if (ready(httpPort)) {
        return;
      }
      Thread.sleep(100); // polling interval, not an assertion
    }
    throw new AssertionError("node on port " + httpPort + " not ready in " + max);
  }

  /** A node in its own JVM, so that a test can kill it (-9) or stop it (SIGTERM). */
  static final class NodeProcess {
    final Path conf;
    final Path log;
    final int httpPort;
    Process process;

    NodeProcess(Path conf, Path log, int httpPort) {
      this.conf = conf;
      this.log = log;
      this.httpPort = httpPort;
    }

    NodeProcess start() throws Exception {
      process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
          "--config", conf.toString())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      return this;
    }

    void awaitReady(Duration max) throws Exception {
      Instant deadline = Instant.now().plus(max);
      while (Instant.now().isBefore(deadline)) {
        if (!process.isAlive()) {
          throw new AssertionError("node exited: " + Files.readString(log));
        }
        if (ready(httpPort)) {
          return;
        }
        Thread.sleep(100); // polling interval, not an assertion
      }
      throw new AssertionError("node on port " + httpPort + " not ready in " + max + ": " + Files.readString(log));
    }

    void kill() throws Exception {
      process.destroyForcibly(); // SIGKILL: no shutdown hook, no leaving the cluster
      process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: the node leaves the cluster (coordinated shutdown); answers whether it exited in 30 s. */
    boolean stop() throws Exception {
      process.destroy();
      return process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** {@code n} node processes of one cluster on {@code db}, not started. */
  static List<NodeProcess> nodeProcesses(String db, int n) throws Exception {
    Path dir = TestNodes.tempDir();
    List<Integer> clusterPorts = freePorts(n);
    List<NodeProcess> nodes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int http = RestartTest.freePort();
      Path conf = dir.resolve("node-" + i + ".conf");
      Files.writeString(conf, nodeConfig(db, dir, http, clusterPorts, i));
      nodes.add(new NodeProcess(conf, dir.resolve("node-" + i + ".log"), http));
    }
    return nodes;
  }

  /** Starts them: the first forms the cluster (the oldest: the backends start there), then the rest. */
  static void startAll(List<NodeProcess> nodes, Duration max) throws Exception {
    nodes.get(0).start().awaitReady(max);
    for (NodeProcess n : nodes.subList(1, nodes.size())) {
      n.start();
    }
    for (NodeProcess n : nodes.subList(1, nodes.size())) {
      n.awaitReady(max);
    }
  }

  /**
   * A submit that a client would retry (issue 6: while a dead node's shards move, an answer may
   * be a 503 or no answer): the same Idempotency-Key each time, so it is one job whatever happens.
   */
  static String submitRetrying(List<Integer> ports, String token, String body, Duration max) throws Exception {
    String key = java.util.UUID.randomUUID().toString();
    Instant deadline = Instant.now().plus(max);
    String last = "";
    for (int attempt = 0; Instant.now().isBefore(deadline); attempt++) {
      int port = ports.get(attempt % ports.size());
      try {
        var r = TestNodes.send(TestNodes.post(port, "/api/v1/jobs", token, body).header("Idempotency-Key", key)
            .timeout(Duration.ofSeconds(15)));
        if (r.statusCode() == 200) {
          return TestNodes.json(r).get("id").asText();
        }
        last = r.statusCode() + " " + r.body();
        if (r.statusCode() < 500) {
          throw new AssertionError("submit answered " + last);
        }
      } catch (java.io.IOException noAnswer) {
        last = noAnswer.toString();
      }
      Thread.sleep(200); // a client's back-off, not an assertion
    }
    throw new AssertionError("submit not accepted in " + max + ": " + last);
  }

  /** One row of scripts/cluster-audit.sql, by column. */
  static Map<String, Long> audit(String db) throws Exception {
    String sql = Files.readString(repoRoot().resolve("scripts/cluster-audit.sql"));
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + db, "lanes", "lanes");
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      Map<String, Long> row = new LinkedHashMap<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        row.put(rs.getMetaData().getColumnLabel(i), rs.getLong(i));
      }
      return row;
    }
  }

  /** How many epochs backend {@code backend} has begun: once per start on a node. */
  static long epochs(String db, String backend) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + db, "lanes", "lanes");
        var st = c.prepareStatement("SELECT count(*) FROM event_journal WHERE persistence_id = ? "
            + "AND event_ser_manifest LIKE '%EpochBegun'")) {
      st.setString(1, "Queue|" + backend);
      ResultSet rs = st.executeQuery();
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * The audit once the cluster has drained: every job final and every charge acknowledged (a
   * ledger's charge is durable a moment before the job records it), or the last one after
   * {@code max}.
   */
  static Map<String, Long> settledAudit(String db, Duration max) throws Exception {
    Instant deadline = Instant.now().plus(max);
    Map<String, Long> a = audit(db);
    while (Instant.now().isBefore(deadline) && (a.get("not_final") != 0 || a.get("doubled_charges") != 0)) {
      Thread.sleep(200); // polling interval, not an assertion
      a = audit(db);
    }
    return a;
  }

  /** The audit's promises (issue 6): nothing lost, nothing started, ended or charged twice. */
  static void assertNothingDoubled(Map<String, Long> audit) {
    assertEquals(0L, audit.get("not_final"), "accepted jobs that never ended (R29): " + audit);
    assertEquals(0L, audit.get("started_twice"), "jobs started twice (R1): " + audit);
    assertEquals(0L, audit.get("finished_twice"), "jobs ended twice (R28): " + audit);
    assertEquals(0L, audit.get("charged_twice"), "jobs charged twice (R27): " + audit);
    assertEquals(0L, audit.get("doubled_charges"), "ledger charges doubled (R27): " + audit);
  }
}
