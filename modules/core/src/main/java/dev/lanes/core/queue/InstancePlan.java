package dev.lanes.core.queue;

/**
 * What an instance's plan grants (R5c, R8): its allocation over the fair-share window, and an
 * optional usage limit that, when {@code limited}, keeps its jobs queued once reached.
 */
public record InstancePlan(double allocationSeconds, Double usageLimitSeconds, boolean limited) {
  /** An instance the configuration does not know (its jobs outlived it): last in line, never held. */
  public static final InstancePlan UNKNOWN = new InstancePlan(0, null, false);

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
