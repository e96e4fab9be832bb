package dev.lanes.core.queue;

import dev.lanes.core.model.Rejection;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * What an instance's plan grants (R5c, R8): its allocation over the fair-share window, and an
 * optional usage limit that, when {@code limited}, keeps its jobs queued once reached.
 */
public record InstancePlan(double allocationSeconds, Double usageLimitSeconds, boolean limited,
    boolean rejectWhenExceeded) {
  /** An instance the configuration does not know (its jobs outlived it): last in line, never held. */
  public static final InstancePlan UNKNOWN = new InstancePlan(0, null, false, false);

  public InstancePlan(double allocationSeconds, Double usageLimitSeconds, boolean limited) {
    this(allocationSeconds, usageLimitSeconds, limited, false);
  }

  /**
   * R8 hard cap: with {@code reject-when-exceeded}, no new job once the window's usage reached
   * the limit (or the allocation, when no limit is set): a 409 that says how much was used.
   */
  public Optional<Rejection> refuseNewJob(double windowUsage, Duration window) {
    if (!rejectWhenExceeded) {
      return Optional.empty();
    }
    double cap = usageLimitSeconds != null ? usageLimitSeconds : allocationSeconds;
    if (windowUsage < cap) {
      return Optional.empty();
    }
    return Optional.of(Rejection.conflict("instance", String.format(Locale.ROOT,
        "usage exceeds instance limit: %.1f s used of %.1f s in the last %d days", windowUsage, cap, window.toDays())));
  }

  /** R8: a limited instance at or past its limit starts nothing; its jobs wait. */
  public boolean blocks(double windowUsage) {
    return limited && usageLimitSeconds != null && windowUsage >= usageLimitSeconds;
  }

  /** R5c: usage / allocation; no allocation ranks after every instance that has one. */
  public double ratio(double usage) {
    if (allocationSeconds <= 0) {
      return usage > 0 ? Double.MAX_VALUE : Double.MAX_VALUE / 2;
    }
    return usage / allocationSeconds;
  }
}
