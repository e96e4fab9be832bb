package dev.lanes.core.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Issue 8 item 4: limits.jobs-per-minute per user, a token bucket (GCRA). */
class RateLimitTest {
  private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");

  @Test
  void issue8_aBurstOfTheLimitPassesTheNextWaitsOneIntervalWithRetryAfter() {
    RateLimit r = RateLimit.FULL;
    for (int i = 0; i < 3; i++) {
      RateLimit.Decision d = r.decide(3, T0);
      assertTrue(d.allowed(), "request " + i);
      r = d.next();
    }
    RateLimit.Decision refused = r.decide(3, T0);
    assertFalse(refused.allowed());
    assertEquals(Duration.ofSeconds(20), refused.retryAfter(), "3 a minute: one token every 20 s");
    assertEquals(20, refused.retryAfterSeconds());
    assertFalse(r.decide(3, T0.plusSeconds(19)).allowed());
    assertTrue(r.decide(3, T0.plusSeconds(20)).allowed(), "after Retry-After it passes");
    assertEquals(1, r.decide(3, T0.plusMillis(19_999)).retryAfterSeconds(), "Retry-After rounds up, at least 1");
  }

  @Test
  void issue8_zeroIsOff() {
    RateLimit r = RateLimit.FULL;
    for (int i = 0; i < 10_000; i++) {
      RateLimit.Decision d = r.decide(0, T0);
      assertTrue(d.allowed());
      r = d.next();
    }
  }

  @Test
  void issue8_aRefundGivesTheTokenBack() {
    RateLimit r = RateLimit.FULL.decide(1, T0).next();
    assertFalse(r.decide(1, T0).allowed());
    assertTrue(r.refund(1, T0).decide(1, T0).allowed(), "a request that created nothing does not count");
    assertEquals(RateLimit.FULL, RateLimit.FULL.refund(1, T0));
  }

  @Test
  void issue8_anIdleUserGetsAFullBucketNotMore() {
    RateLimit r = RateLimit.FULL.decide(2, T0).next();
    Instant later = T0.plus(Duration.ofHours(1));
    RateLimit.Decision a = r.decide(2, later);
    RateLimit.Decision b = a.next().decide(2, later);
    assertTrue(a.allowed() && b.allowed());
    assertFalse(b.next().decide(2, later).allowed(), "idle time does not pile up past the burst");
  }

  /**
   * Whatever the arrival times, no more than {@code perMinute} jobs pass at once, and from the
   * first one at most {@code perMinute - 1 + elapsed / interval + 1}: the sustained rate holds.
   */
  @Property(tries = 300)
  void issue8_neverMoreThanTheBurstPlusTheRate(@ForAll @IntRange(min = 1, max = 50) int perMinute,
      @ForAll @Size(max = 300) List<@IntRange(min = 0, max = 5_000) Integer> gapsMillis) {
    RateLimit r = RateLimit.FULL;
    Instant now = T0;
    Instant first = null;
    int allowed = 0;
    long intervalNanos = Duration.ofMinutes(1).dividedBy(perMinute).toNanos();
    for (int gap : gapsMillis) {
      now = now.plusMillis(gap);
      RateLimit.Decision d = r.decide(perMinute, now);
      if (d.allowed()) {
        first = first == null ? now : first;
        allowed++;
        r = d.next();
        long elapsed = Duration.between(first, now).toNanos();
        assertTrue(allowed <= perMinute + elapsed / intervalNanos,
            allowed + " allowed in " + elapsed + " ns at " + perMinute + "/min");
      } else {
        assertTrue(d.retryAfter().toNanos() > 0);
        assertTrue(d.retryAfter().compareTo(Duration.ofMinutes(1).dividedBy(perMinute)) <= 0,
            "never more than one interval to wait");
        assertTrue(r.decide(perMinute, now.plus(d.retryAfter())).allowed(), "Retry-After is enough");
      }
    }
  }
}
