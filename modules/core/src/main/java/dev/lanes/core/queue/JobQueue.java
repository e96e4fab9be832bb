package dev.lanes.core.queue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Jobs in the order of their keys (lower starts first; the owner hands out keys, negative ones
 * for interrupted runs at the head, R29). Indexed by job id, so removal on cancel is O(log n),
 * never a scan. Owned by one actor; not thread-safe.
 */
public final class JobQueue {
  private final TreeMap<Long, QueuedJob> order = new TreeMap<>();
  private final Map<String, Long> keyOf = new HashMap<>();

  /**
   * Adds a job under an order key chosen by the caller (lower starts first), so a job moved
   * between queues keeps its place in submission order.
   */
  public boolean add(QueuedJob job, long key) {
    if (keyOf.containsKey(job.jobId())) {
      return false;
    }
    keyOf.put(job.jobId(), key);
    order.put(key, job);
    return true;
  }

  /** The order key of a queued job. */
  public Optional<Long> keyOf(String jobId) {
    return Optional.ofNullable(keyOf.get(jobId));
  }

  public Optional<QueuedJob> remove(String jobId) {
    Long key = keyOf.remove(jobId);
    return key == null ? Optional.empty() : Optional.of(order.remove(key));
  }

  public boolean contains(String jobId) {
    return keyOf.containsKey(jobId);
  }

  public Optional<QueuedJob> first() {
    var e = order.firstEntry();
    return e == null ? Optional.empty() : Optional.of(e.getValue());
  }

  public int size() {
    return order.size();
  }

  public boolean isEmpty() {
    return order.isEmpty();
  }

  public Iterator<QueuedJob> inOrder() {
    return order.values().iterator();
  }

  public List<QueuedJob> snapshot() {
    return new ArrayList<>(order.values());
  }
}
