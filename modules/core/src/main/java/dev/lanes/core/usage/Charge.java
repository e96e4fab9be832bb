package dev.lanes.core.usage;

import java.time.Instant;

/** One charge to an instance (R25–R27). {@code chargeId} makes a retried charge harmless. */
public record Charge(String chargeId, String kind, double seconds, Instant at) {}
