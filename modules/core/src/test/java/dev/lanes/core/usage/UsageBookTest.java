package dev.lanes.core.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The rolling fair-share window (R5c, R8) over the ledgers' charges (R27). */
class UsageBookTest {
  static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
  static final double EPS = 1e-9;

  private final UsageBook book = new UsageBook(Duration.ofHours(1));

  // R5c: usage is the sum of one instance's charges in the window ending at now
  @Test
  void sumsTheChargesInTheWindowPerInstance() {
    book.add("a", T0, 10);
    book.add("a", T0.plusSeconds(60), 5);
    book.add("b", T0.plusSeconds(30), 7);
    book.add("a", T0.plusSeconds(60), 1); // same millisecond: both count

    assertEquals(16, book.windowSeconds("a", T0.plusSeconds(120)), EPS);
    assertEquals(7, book.windowSeconds("b", T0.plusSeconds(120)), EPS);
    assertEquals(Duration.ofHours(1), book.window());
  }

  // R5c: an instance with no charges has used nothing
  @Test
  void unknownInstanceHasUsedNothing() {
    assertEquals(0, book.windowSeconds("nobody", T0), EPS);
    book.add("a", T0, 3);
    assertEquals(0, book.windowSeconds("nobody", T0.plusSeconds(1)), EPS);
  }

  // R5c, R8: charges fall out of the window as now moves on; the window's start is inclusive
  @Test
  void chargesFallOutOfTheWindowAsNowMoves() {
    book.add("a", T0, 10);
    book.add("a", T0.plusSeconds(600), 20);
    book.add("a", T0.plusSeconds(1200), 40);

    assertEquals(70, book.windowSeconds("a", T0.plusSeconds(1800)), EPS);
    assertEquals(70, book.windowSeconds("a", T0.plusSeconds(3600)), EPS); // T0 is exactly on the edge
    assertEquals(60, book.windowSeconds("a", T0.plusSeconds(3601)), EPS);
    assertEquals(40, book.windowSeconds("a", T0.plusSeconds(600 + 3601)), EPS);
    assertEquals(0, book.windowSeconds("a", T0.plusSeconds(1200 + 3601)), EPS);

    book.add("a", T0.plusSeconds(5000), 2); // a new charge after the old ones left
    assertEquals(2, book.windowSeconds("a", T0.plusSeconds(5000)), EPS);
  }

  // R5c: a charge stamped after now is not usage yet
  @Test
  void chargesAfterNowDoNotCountYet() {
    book.add("a", T0, 10);
    book.add("a", T0.plusSeconds(100), 5);
    assertEquals(10, book.windowSeconds("a", T0.plusSeconds(50)), EPS);
    assertEquals(15, book.windowSeconds("a", T0.plusSeconds(100)), EPS);
  }

  // R5c: a reader asking about an earlier window than the last one gets what is still kept
  @Test
  void anEarlierWindowCountsWhatIsStillKept() {
    book.add("a", T0, 10);
    book.add("a", T0.plusSeconds(600), 20);
    assertEquals(30, book.windowSeconds("a", T0.plusSeconds(1200)), EPS);
    assertEquals(10, book.windowSeconds("a", T0.plusSeconds(300)), EPS);
    assertEquals(30, book.windowSeconds("a", T0.plusSeconds(1200)), EPS);
  }

  // R27: every charge changes the version, so readers know to look again; reads do not
  @Test
  void versionChangesWithEveryChargeOnly() {
    long v0 = book.version();
    book.add("a", T0, 1);
    long v1 = book.version();
    assertTrue(v1 != v0);
    book.windowSeconds("a", T0.plus(Duration.ofDays(1)));
    assertEquals(v1, book.version());
    book.add("b", T0, 0);
    assertTrue(book.version() != v1);
  }

  // R27: a charge recorded late (recovery, a re-sent charge) stamped before the window does not
  // count, and does not take anything away from the charges that do once the window moves on
  @Test
  void aLateChargeOlderThanTheWindowLeavesTheSumAlone() {
    book.add("a", T0.plus(Duration.ofHours(2)), 30);
    assertEquals(30, book.windowSeconds("a", T0.plus(Duration.ofHours(2))), EPS);

    book.add("a", T0, 100); // two hours old: outside the window ending now
    assertEquals(30, book.windowSeconds("a", T0.plus(Duration.ofHours(2))), EPS);
    book.add("a", T0.plus(Duration.ofMinutes(150)), 5);
    assertEquals(35, book.windowSeconds("a", T0.plus(Duration.ofMinutes(150))), EPS);
    assertEquals(35, book.windowSeconds("a", T0.plus(Duration.ofMinutes(170))), EPS);
    assertEquals(5, book.windowSeconds("a", T0.plus(Duration.ofMinutes(190))), EPS);
  }

  // R5c: many small charges sliding through the window sum to what a fresh count says
  @Test
  void slidingWindowMatchesAFreshCount() {
    UsageBook b = new UsageBook(Duration.ofMinutes(10));
    for (int s = 0; s < 3600; s += 7) {
      b.add("a", T0.plusSeconds(s), s % 5 + 1);
      Instant now = T0.plusSeconds(s);
      double expected = 0;
      for (int t = 0; t <= s; t += 7) {
        if (t >= s - 600) {
          expected += t % 5 + 1;
        }
      }
      assertEquals(expected, b.windowSeconds("a", now), 1e-6, "at +" + s + "s");
    }
  }
}
