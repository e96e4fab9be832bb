package dev.lanes.core.usage;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every instance's usage over the rolling fair-share window (R5c, R8), as the ledgers record it
 * (R27): the node's read model of the ledgers, fed after each durable charge and at recovery.
 * Thread-safe: ledgers write, queue arbiters and the API read. {@link #version} changes with every
 * charge, so a reader can tell when to look again.
 */
public final class UsageBook implements dev.lanes.core.queue.FairSharePolicy.Usage {
  private final Duration window;
  private final Map<String, Instance> instances = new ConcurrentHashMap<>();
  private final AtomicLong version = new AtomicLong();
  private static final int RECENT = 100_000;
  private final Map<String, Boolean> recent = new java.util.LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > RECENT;
    }
  };

  public UsageBook(Duration window) {
    this.window = window;
  }

  public Duration window() {
    return window;
  }

  /** A charge the ledger has recorded (once: the ledger deduplicates). */
  public void add(String instance, Instant at, double seconds) {
    add(instance, at, seconds, null);
  }

  /** A charge the ledger has recorded, remembered by id for a while (see {@link #hasCharge}). */
  public void add(String instance, Instant at, double seconds, String chargeId) {
    instances.computeIfAbsent(instance, k -> new Instance()).add(at.toEpochMilli(), seconds, version.get() + 1);
    if (chargeId != null) {
      synchronized (recent) {
        recent.put(chargeId, Boolean.TRUE);
      }
    }
    version.incrementAndGet();
  }

  /** Whether a recent charge has been recorded (the last {@value #RECENT} ids are kept). */
  @Override
  public boolean hasCharge(String chargeId) {
    synchronized (recent) {
      return recent.containsKey(chargeId);
    }
  }

  /** Usage in the window ending at {@code now}. */
  @Override
  public double windowSeconds(String instance, Instant now) {
    Instance i = instances.get(instance);
    return i == null ? 0 : i.windowSeconds(now.minus(window).toEpochMilli(), now.toEpochMilli());
  }

  @Override
  public long version() {
    return version.get();
  }

  /** Changes when this instance is charged (so a reader re-reads only what changed). */
  @Override
  public long version(String instance) {
    Instance i = instances.get(instance);
    return i == null ? 0 : i.version;
  }

  /** Charges by millisecond; the sum of those still in the window is kept as the window moves. */
  private static final class Instance {
    private final TreeMap<Long, Double> byMillis = new TreeMap<>();
    private long cutoff = Long.MIN_VALUE;
    private double inWindow;
    private volatile long version;

    synchronized void add(long at, double seconds, long version) {
      this.version = version;
      byMillis.merge(at, seconds, Double::sum);
      if (at >= cutoff) {
        inWindow += seconds;
      }
    }

    synchronized double windowSeconds(long from, long to) {
      if (from > cutoff) {
        // the window moved on: what fell out of it leaves the sum, and the map (amortised O(1))
        var old = byMillis.headMap(from, false);
        for (var e : old.entrySet()) {
          if (e.getKey() >= cutoff) { // a charge added late, before the window, was never in the sum
            inWindow -= e.getValue();
          }
        }
        old.clear();
        cutoff = from;
      }
      if (from < cutoff) {
        return sum(from, to); // an earlier window than the kept one: only what is still kept counts
      }
      if (byMillis.isEmpty() || byMillis.lastKey() <= to) {
        return Math.max(0, inWindow); // the usual case: no charge dated after now
      }
      double future = 0;
      for (double s : byMillis.tailMap(to, false).values()) {
        future += s;
      }
      return Math.max(0, inWindow - future);
    }

    private double sum(long from, long to) {
      double sum = 0;
      for (double s : byMillis.subMap(from, true, to, true).values()) {
        sum += s;
      }
      return sum;
    }
  }
}
