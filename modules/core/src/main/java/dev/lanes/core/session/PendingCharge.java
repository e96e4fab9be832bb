package dev.lanes.core.session;

import java.time.Instant;

/**
 * The wall-clock charge of one committed period of a dedicated session (R26), owed to the
 * instance's ledger until it is acknowledged. The id makes a re-sent charge harmless (R27).
 */
public record PendingCharge(String chargeId, double seconds, Instant at) {}
