package dev.lanes.core.usage;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class LedgerStateProperties {
  private static final Instant T0 = Instant.parse("2024-05-01T00:00:00Z");

  /** Ids from a small pool so they repeat; seconds in 1/8 s steps so sums are exact. */
  @Provide
  Arbitrary<Charge> charges() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 9),
            Arbitraries.integers().between(0, 36_000),
            Arbitraries.integers().between(0, 40))
        .as((id, eighths, day) -> new Charge("job:" + id, "job", eighths / 8.0, T0.plus(Duration.ofDays(day))));
  }

  // R27: any sequence of charges with repeated ids totals the sum over distinct ids (first wins)
  @Property(tries = 1000)
  void repeatedChargeIdsCountOnce(
      @ForAll @Size(max = 50) List<@From("charges") Charge> charges) {
    LedgerState ledger = new LedgerState();
    Map<String, Charge> first = new LinkedHashMap<>();
    for (Charge c : charges) {
      boolean expectedNew = !first.containsKey(c.chargeId());
      if (ledger.isNew(c.chargeId()) != expectedNew) {
        throw new AssertionError("isNew wrong for " + c.chargeId());
      }
      first.putIfAbsent(c.chargeId(), c);
      ledger.apply(c);
    }
    double expected = 0;
    for (Charge c : first.values()) {
      expected += c.seconds();
    }
    if (ledger.total() != expected || ledger.count() != first.size()) {
      throw new AssertionError("total " + ledger.total() + " / " + ledger.count() + ", expected "
          + expected + " / " + first.size());
    }
    if (!ledger.charges().equals(List.copyOf(first.values()))) {
      throw new AssertionError("charges " + ledger.charges() + " != " + first.values());
    }
    // R5c: the window sees the same distinct charges
    Instant now = T0.plus(Duration.ofDays(20));
    double inWindow = 0;
    for (Charge c : first.values()) {
      if (!c.at().isBefore(now.minus(Duration.ofDays(7))) && !c.at().isAfter(now)) {
        inWindow += c.seconds();
      }
    }
    if (ledger.usageIn(Duration.ofDays(7), now) != inWindow) {
      throw new AssertionError("usageIn " + ledger.usageIn(Duration.ofDays(7), now) + " != " + inWindow);
    }
  }
}
