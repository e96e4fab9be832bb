package dev.lanes.core.queue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The normal queue of a backend and the order it starts jobs in (R5c, R8, R9): everything that
 * is not a holding session's or an active batch's. Stateful and owned by one actor; every job
 * carries an order key that says where it stands among its peers (lower is earlier).
 */
public interface StartPolicy {
  void add(QueuedJob job, long key);

  Optional<QueuedJob> remove(String jobId);

  Optional<Long> keyOf(String jobId);

  int size();

  default boolean isEmpty() {
    return size() == 0;
  }

  /** The eligible job that starts next, if any (an instance past its limit has none, R8). */
  Optional<QueuedJob> next(Instant now);

  /**
   * About the first {@code k} jobs to start, cheaply: the arbiter wakes their entities ahead of
   * time. Only a hint (later decisions may change the order), never a decision.
   */
  default List<QueuedJob> upcoming(int k, Instant now) {
    return next(now).map(List::of).orElse(List.of());
  }

  /** Every queued job in the order it would start if lanes freed now, and why. */
  List<Ranked> startOrder(Instant now);

  /** A job of this backend took a lane (it may not have been in this queue). */
  default void started(QueuedJob job) {}

  /** A job of this backend left its lane, having used {@code quantumSeconds} of the QPU. */
  default void ended(QueuedJob job, double quantumSeconds, Instant now) {}

  /** One line of the queue's explanation (api.md admin queue). */
  record Ranked(QueuedJob job, String priorityClass, Double fairShareRatio, String why) {}
}
