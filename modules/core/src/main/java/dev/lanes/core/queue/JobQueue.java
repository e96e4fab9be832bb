package dev.lanes.core.queue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One backend's queue (R5): submission order, with room at the head for interrupted jobs (R29).
 * Indexed by job id, so removal on cancel is O(log n), never a scan. Owned by one actor; not
 * thread-safe.
 */
public final class JobQueue {
  private final TreeMap<Long, QueuedJob> order = new TreeMap<>();
  private final Map<String, Long> keyOf = new HashMap<>();
  private long head = 0;
  private long tail = 0;

  /** Adds a job behind every queued job; false if it is queued already. */
  public boolean addLast(QueuedJob job) {
    return add(job, ++tail);
  }

  /** Puts a job ahead of every queued job (an interrupted run, R29). */
  public boolean addFirst(QueuedJob job) {
    return add(job, --head);
  }

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

  /** 1-based position in start order under first-in-first-out, or empty if not queued. */
  public Optional<Integer> position(String jobId) {
    Long key = keyOf.get(jobId);
    return key == null ? Optional.empty() : Optional.of(order.headMap(key, false).size() + 1);
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
