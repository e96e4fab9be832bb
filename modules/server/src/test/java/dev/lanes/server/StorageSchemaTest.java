package dev.lanes.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import dev.lanes.actors.LanesSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Lanes' own H2 DDL (schema/h2.sql): payloads stored in the row (VARBINARY, not BLOB), one index on
 * "ordering", safe to run on every start; and a data dir made with the plugin's BLOB schema still
 * works (accepted work survives).
 */
class StorageSchemaTest {

  @Test
  void theSchemaIsCreatedWithPayloadsInTheRowAndCanBeCreatedAgain() throws Exception {
    Path data = TestNodes.tempDir().resolve("data");
    Config storage = storage(data);
    LanesSettings settings = LanesSettings.create(LanesSettings.load(TestNodes.parse(data, 0)));
    Storage.createSchema(settings, storage);
    Storage.createSchema(settings, storage); // a second start runs the same DDL on the existing tables
    Storage.verifySchema(storage);
    try (Connection c = connect(storage)) {
      assertEquals("BINARY VARYING", columnType(c, "event_journal", "event_payload"));
      assertEquals("BINARY VARYING", columnType(c, "snapshot", "snapshot_payload"));
      assertEquals(1, indexesOnOrdering(c), "one index on ordering");
    }
  }

  @Test
  void statementsDropCommentLinesAndSplitAtSemicolons() {
    assertEquals(List.of("CREATE TABLE a (x INT)", "CREATE INDEX IF NOT EXISTS i on a (x)"),
        Storage.statements("-- a comment; with a semicolon\nCREATE TABLE a (x INT);\n\n  -- more\nCREATE INDEX IF NOT EXISTS i on a (x);\n"));
  }

  /** R29 (accepted work survives): a data dir made by the plugin's own DDL (BLOB payloads) keeps working. */
  @Test
  void aDataDirWithThePluginsBlobSchemaStillWorks() throws Exception {
    Path data = TestNodes.tempDir().resolve("data");
    Config storage = storage(data);
    String pluginDdl;
    try (var in = akka.persistence.jdbc.testkit.javadsl.SchemaUtils.class.getClassLoader()
        .getResourceAsStream("schema/h2/h2-create-schema.sql")) {
      pluginDdl = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    try (Connection c = connect(storage); var st = c.createStatement()) {
      for (String s : Storage.statements(pluginDdl)) {
        st.execute(s);
      }
      assertEquals("BINARY LARGE OBJECT", columnType(c, "event_journal", "event_payload"));
      assertEquals(2, indexesOnOrdering(c), "the plugin's DDL indexes ordering twice");
    }
    TestNodes.completedJobSurvivesARestart(TestNodes.parse(data, 0));
  }

  private static Config storage(Path data) {
    Config base = LanesSettings.load(TestNodes.parse(data, 0));
    return Storage.config(LanesSettings.create(base), base.getConfig("lanes"));
  }

  private static Connection connect(Config storage) throws Exception {
    return Database.of(storage).connect();
  }

  private static int indexesOnOrdering(Connection c) throws Exception {
    var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEX_COLUMNS "
        + "WHERE TABLE_NAME = 'event_journal' AND COLUMN_NAME = 'ordering'");
    rs.next();
    return rs.getInt(1);
  }

  private static String columnType(Connection c, String table, String column) throws Exception {
    try (var ps = c.prepareStatement(
        "SELECT DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = ? AND COLUMN_NAME = ?")) {
      ps.setString(1, table);
      ps.setString(2, column);
      var rs = ps.executeQuery();
      assertTrue(rs.next(), table + "." + column + " exists");
      return rs.getString(1);
    }
  }
}
