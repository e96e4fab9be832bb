package dev.lanes.core.usage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The usage of one instance (R27): every charge once, whatever is retried after a restart.
 * Mutated only by the ledger's event handler.
 */
public final class LedgerState {
  private final List<Charge> charges = new ArrayList<>();
  private final Set<String> ids = new HashSet<>();
  private double total;

  /** True if the charge is new; a charge id seen before is ignored (never doubled). */
  public boolean isNew(String chargeId) {
    return !ids.contains(chargeId);
  }

  public LedgerState apply(Charge c) {
    if (ids.add(c.chargeId())) {
      charges.add(c);
      total += c.seconds();
    }
    return this;
  }

  public double total() {
    return total;
  }

  public int count() {
    return charges.size();
  }

  /** Usage over the rolling window ending at {@code now} (R5c, R8). */
  public double usageIn(Duration window, Instant now) {
    Instant from = now.minus(window);
    double sum = 0;
    for (Charge c : charges) {
      if (!c.at().isBefore(from) && !c.at().isAfter(now)) {
        sum += c.seconds();
      }
    }
    return sum;
  }

  public List<Charge> charges() {
    return List.copyOf(charges);
  }
}
