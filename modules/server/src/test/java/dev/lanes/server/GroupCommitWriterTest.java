package dev.lanes.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import dev.lanes.actors.LanesSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The journal's writer (accepted work survives a crash, R29): a write is answered only once
 * committed, rows land as the plugin's (ordering in commit order, tags in event_tag), and a write
 * that cannot be stored fails alone, not the others committed with it.
 */
class GroupCommitWriterTest {

  @Test
  void writesAreCommittedInOrderWithTheirTagsAndABadOneFailsAlone() throws Exception {
    Path data = TestNodes.tempDir().resolve("data");
    Config base = LanesSettings.load(TestNodes.parse(data, 0));
    LanesSettings settings = LanesSettings.create(base);
    Config storage = Storage.config(settings, base.getConfig("lanes"));
    Storage.createSchema(settings, storage);
    Database db = Database.of(storage);
    GroupCommitWriter writer = new GroupCommitWriter(db);
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    try {
      for (int i = 1; i <= 200; i++) {
        writes.add(writer.write(List.of(row("A", i, Set.of("job")), row("B", i, Set.of()))));
      }
      // a second event 7 of A: its primary key exists (or is in its group); only it may fail
      CompletableFuture<Void> duplicate = writer.write(List.of(row("A", 7, Set.of("job"))));
      writes.add(writer.write(List.of(row("C", 1, Set.of("job", "session")))));
      for (CompletableFuture<Void> w : writes) {
        w.get(30, TimeUnit.SECONDS);
      }
      ExecutionException failed = assertThrows(ExecutionException.class, () -> duplicate.get(30, TimeUnit.SECONDS));
      assertTrue(failed.getCause() instanceof java.sql.SQLException, failed.toString());
    } finally {
      writer.close();
    }
    try (Connection c = db.connect()) {
      assertEquals(401, count(c, "SELECT COUNT(*) FROM \"event_journal\""));
      assertEquals(202, count(c, "SELECT COUNT(*) FROM \"event_tag\""));
      // ordering follows the order of the writes
      var rs = c.createStatement().executeQuery(
          "SELECT \"sequence_number\" FROM \"event_journal\" WHERE \"persistence_id\" = 'A' ORDER BY \"ordering\"");
      long expected = 1;
      while (rs.next()) {
        assertEquals(expected++, rs.getLong(1));
      }
      assertEquals(201, expected);
    }
    assertThrows(ExecutionException.class, () -> writer.write(List.of(row("D", 1, Set.of()))).get(5, TimeUnit.SECONDS),
        "a closed writer takes nothing");
  }

  private static GroupCommitWriter.EventRow row(String pid, long seq, Set<String> tags) {
    return new GroupCommitWriter.EventRow(pid, seq, false, "w", 1L, "", new byte[] {1, 2, 3}, 33, "m",
        null, null, null, tags);
  }

  private static long count(Connection c, String sql) throws Exception {
    var rs = c.createStatement().executeQuery(sql);
    rs.next();
    return rs.getLong(1);
  }
}
