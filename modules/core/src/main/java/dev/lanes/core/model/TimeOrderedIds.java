package dev.lanes.core.model;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Version 7 UUIDs (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits. Ids made one
 * after another sort (roughly) in creation order, so a journal's primary-key index takes new jobs
 * at its end instead of at random places: each write touches a few index pages, not one per job
 * (issue 5, W1). They are as hard to guess as a random UUID's bits allow; and another
 * instance's job is invisible anyway (a 404).
 */
public final class TimeOrderedIds {
  private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);

  private TimeOrderedIds() {}

  public static UUID next(long epochMillis) {
    SecureRandom r = RANDOM.get();
    long msb = (epochMillis << 16) | 0x7000L | (r.nextInt() & 0x0FFFL);
    long lsb = (r.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(msb, lsb);
  }
}
