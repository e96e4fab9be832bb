package dev.lanes.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The system clock moved forward by hand: a node started with it lives "a day later" at once. */
final class ShiftedClock extends Clock {
  private volatile Duration shift = Duration.ZERO;

  void advance(Duration d) {
    shift = shift.plus(d);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(shift);
  }
}
