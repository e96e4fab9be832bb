package dev.lanes.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.lanes.actors.LanesSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL storage (lanes.storage = postgres): Lanes' own DDL creates the plugin's tables and can
 * run again at every start (the plugin's cannot: stack.md), and a node on it keeps accepted work
 * across a restart (R29). Runs against the local PostgreSQL 15, which it starts and gives a fresh
 * database (scripts/postgres); skipped where PostgreSQL is not installed.
 */
class PostgresStorageTest {
  static final String DB = "lanes_storage_test";

  @BeforeAll
  static void freshDatabase() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/etc/postgresql/15/main")), "PostgreSQL 15 is not installed here");
    Path root = Path.of("").toAbsolutePath();
    while (root != null && !Files.exists(root.resolve("scripts/postgres"))) {
      root = root.getParent();
    }
    assumeTrue(root != null, "scripts/postgres not found above " + Path.of("").toAbsolutePath());
    ProcessBuilder pb = new ProcessBuilder(root.resolve("scripts/postgres").toString(), "reset").redirectErrorStream(true);
    pb.environment().put("LANES_PG_DB", DB);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(true, p.waitFor(120, TimeUnit.SECONDS), "scripts/postgres reset did not finish");
    assertEquals(0, p.exitValue(), "scripts/postgres reset: " + out);
  }

  private static Config config(Path data) {
    return ConfigFactory.parseString("lanes.storage = postgres\nlanes.postgres { url = \"jdbc:postgresql://127.0.0.1:5432/"
        + DB + "\", user = lanes, password = lanes }").withFallback(TestNodes.parse(data, 0));
  }

  @Test
  void theSchemaIsCreatedAndCanBeCreatedAgain() throws Exception {
    Config base = LanesSettings.load(config(TestNodes.tempDir().resolve("data")));
    LanesSettings settings = LanesSettings.create(base);
    Config storage = Storage.config(settings, base.getConfig("lanes"));
    Storage.createSchema(settings, storage);
    Storage.createSchema(settings, storage); // every start runs it; the plugin's DDL fails here
    Storage.verifySchema(storage);
    try (Connection c = Database.of(storage).connect()) {
      var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM pg_indexes WHERE schemaname = 'public' AND indexname IN "
          + "('event_journal_ordering_idx', 'state_tag_idx', 'state_global_offset_idx')");
      rs.next();
      assertEquals(3, rs.getInt(1));
    }
  }

  @Test
  void aNodeOnPostgresKeepsItsJobsAcrossARestart() throws Exception {
    // R29
    TestNodes.completedJobSurvivesARestart(config(TestNodes.tempDir().resolve("data")));
  }
}
