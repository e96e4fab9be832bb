package dev.lanes.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 8 (audit log): the filters of GET /admin/audit, bad values named, and their meaning. */
class AuditQueryTest {
  private static final Instant T = Instant.parse("2026-11-26T10:00:00Z");

  @Test
  void badFilterValuesNameTheirParameter() {
    for (String[] bad : new String[][] {
        {"action", "job.launch"}, {"method", "GET"}, {"status", "4x"}, {"status", "600"}, {"status", "abc"},
        {"since", "yesterday"}, {"until", "2026-13-01T00:00:00Z"}, {"limit", "0"}, {"limit", "1001"},
        {"limit", "ten"}, {"offset", "-1"}, {"user", ""}, {"usr", "bob"}}) {
      AuditQuery.BadFilter e = assertThrows(AuditQuery.BadFilter.class,
          () -> AuditQuery.parse(Map.of(bad[0], List.of(bad[1]))), bad[0] + "=" + bad[1]);
      assertEquals(bad[0], e.parameter());
      assertTrue(e.getMessage().startsWith(bad[0] + ": "), e.getMessage());
    }
    assertEquals("user", assertThrows(AuditQuery.BadFilter.class,
        () -> AuditQuery.parse(Map.of("user", List.of("a", "b")))).parameter());
    assertEquals("until", assertThrows(AuditQuery.BadFilter.class, () -> AuditQuery.parse(
        Map.of("since", List.of("2026-11-26T10:00:00Z"), "until", List.of("2026-11-26T09:00:00+00:00")))).parameter());
  }

  @Test
  void filtersParse() {
    AuditQuery q = AuditQuery.parse(Map.of("user", List.of("alice"), "status", List.of("4xx"), "method", List.of("post"),
        "since", List.of("2026-11-26T10:00:00+00:00"), "limit", List.of("5"), "offset", List.of("10")));
    assertEquals("alice", q.user());
    assertEquals(400, q.statusFrom());
    assertEquals(499, q.statusTo());
    assertEquals("POST", q.method());
    assertEquals(T, q.since());
    assertEquals(5, q.limit());
    assertEquals(10, q.offset());
    assertEquals(AuditQuery.all(), AuditQuery.parse(Map.of()));
  }

  @Test
  void everyFilterMustHoldAndTimesAreSinceInclusiveUntilExclusive() {
    AuditEntry e = entry(T, "alice", 409);
    assertTrue(q("user", "alice").matches(e));
    assertTrue(!q("user", "bob").matches(e));
    assertTrue(q("status", "4xx").matches(e));
    assertTrue(q("status", "409").matches(e));
    assertTrue(!q("status", "2xx").matches(e));
    assertTrue(q("since", "2026-11-26T10:00:00Z").matches(e));
    assertTrue(!q("until", "2026-11-26T10:00:00Z").matches(e));
    assertTrue(q("until", "2026-11-26T10:00:00.001Z").matches(e));
    assertTrue(q("object_id", "j1").matches(e));
    assertTrue(q("action", "job.cancel").matches(e));
    assertTrue(!q("action", "job.submit").matches(e));
    assertTrue(!AuditQuery.parse(Map.of("user", List.of("alice"), "instance", List.of("other"))).matches(e));
  }

  @Test
  void pagesAreNewestFirstWithTheCountOfAllMatches() {
    InMemoryAuditLog log = new InMemoryAuditLog();
    for (int i = 0; i < 5; i++) {
      log.append(entry(T.plusSeconds(i), i % 2 == 0 ? "alice" : "bob", 204));
    }
    log.append(entry(T.plusSeconds(4), "carol", 204)); // same millisecond as alice's last: appended later, listed first
    AuditLog.Page p = log.find(AuditQuery.all().withPage(3, 0)).toCompletableFuture().join();
    assertEquals(6, p.total());
    assertEquals(List.of("carol", "alice", "bob"), p.entries().stream().map(AuditEntry::user).toList());
    AuditLog.Page alice = log.find(q("user", "alice").withPage(1, 1)).toCompletableFuture().join();
    assertEquals(3, alice.total());
    assertEquals(T.plusSeconds(2), alice.entries().get(0).at());
  }

  @Test
  void theTokenIsNeverAFieldAndLongValuesAreCut() {
    AuditEntry e = new AuditEntry(T.plusNanos(1_234_567), null, "u", null, false, "POST",
        "/api/v1/jobs/" + "x".repeat(5000) + "/cancel", "job.cancel", "x".repeat(5000), null, 404, "t");
    assertEquals(AuditEntry.MAX_PATH, e.path().length());
    assertEquals(AuditEntry.MAX_NAME, e.objectId().length());
    assertEquals(T.plusMillis(1), e.at());
  }

  private static AuditQuery q(String name, String value) {
    return AuditQuery.parse(Map.of(name, List.of(value)));
  }

  private static AuditEntry entry(Instant at, String user, int status) {
    return new AuditEntry(at, "n1", user, "crn:a", false, "POST", "/api/v1/jobs/j1/cancel", "job.cancel", "j1", null,
        status, "t-" + user);
  }
}
