package dev.lanes.core.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LedgerStateTest {
  private static final Instant NOW = Instant.parse("2024-05-29T00:00:00Z");
  private static final Duration WINDOW = Duration.ofDays(28);

  // R27: a retried charge (same id) is recorded once, even with other seconds
  @Test
  void chargeIdRecordedTwiceCountsOnce() {
    LedgerState l = new LedgerState();
    assertTrue(l.isNew("job:a"));
    l.apply(new Charge("job:a", "job", 10, NOW));
    assertFalse(l.isNew("job:a"));
    l.apply(new Charge("job:a", "job", 10, NOW));
    l.apply(new Charge("job:a", "job", 99, NOW.plusSeconds(1)));
    l.apply(new Charge("session:s", "session", 5, NOW));
    assertEquals(15.0, l.total());
    assertEquals(2, l.count());
    assertEquals(2, l.charges().size());
    assertEquals(10.0, l.charges().get(0).seconds());
  }

  // R5c, R8: usage over the rolling window, both ends inclusive, nothing from the future
  @Test
  void usageInRespectsTheWindow() {
    LedgerState l = new LedgerState();
    Instant start = NOW.minus(WINDOW);
    l.apply(new Charge("old", "job", 1, start.minusNanos(1)));
    l.apply(new Charge("edge", "job", 2, start));
    l.apply(new Charge("mid", "job", 4, NOW.minus(Duration.ofDays(3))));
    l.apply(new Charge("now", "job", 8, NOW));
    l.apply(new Charge("future", "job", 16, NOW.plusSeconds(1)));
    assertEquals(14.0, l.usageIn(WINDOW, NOW));
    assertEquals(31.0, l.total());
    assertEquals(12.0, l.usageIn(Duration.ofDays(3), NOW));
    assertEquals(8.0, l.usageIn(Duration.ZERO, NOW));
    assertEquals(0.0, l.usageIn(WINDOW, start.minusSeconds(1)));
    assertEquals(31.0, l.usageIn(Duration.ofDays(365), NOW.plusSeconds(1)));
  }

  // R27: the charge list is a copy; callers cannot change the ledger
  @Test
  void chargesAreACopy() {
    LedgerState l = new LedgerState();
    l.apply(new Charge("a", "job", 1, NOW));
    org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class,
        () -> l.charges().add(new Charge("b", "job", 1, NOW)));
    assertEquals(1, l.count());
  }
}
