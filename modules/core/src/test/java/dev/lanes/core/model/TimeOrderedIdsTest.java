package dev.lanes.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Job ids: valid version 7 UUIDs that sort by their millisecond, distinct within one. */
class TimeOrderedIdsTest {
  @Test
  void versionVariantAndTimestampAreThoseOfRfc9562() {
    long ms = 1_795_000_000_123L;
    UUID id = TimeOrderedIds.next(ms);
    assertEquals(7, id.version());
    assertEquals(2, id.variant());
    assertEquals(ms, id.getMostSignificantBits() >>> 16);
    assertEquals(id, UUID.fromString(id.toString()));
  }

  @Test
  void laterMillisecondsSortLaterAsStringsAndIdsDoNotRepeat() {
    Set<UUID> seen = new HashSet<>();
    String previous = "";
    for (long ms = 1_795_000_000_000L; ms < 1_795_000_000_050L; ms++) {
      String latest = null;
      for (int i = 0; i < 100; i++) {
        UUID id = TimeOrderedIds.next(ms);
        assertTrue(seen.add(id), "repeated id " + id);
        String s = id.toString();
        assertTrue(s.compareTo(previous) > 0, s + " sorts before an id of an earlier millisecond " + previous);
        latest = latest == null || s.compareTo(latest) > 0 ? s : latest;
      }
      previous = latest;
    }
  }
}
