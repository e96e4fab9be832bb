package dev.lanes.core.queue;

import java.util.Optional;

/**
 * Which queued job starts next on a free lane (R5). First-in-first-out now; the fair-share policy
 * of R5c replaces it behind this interface.
 */
public interface StartPolicy {
  Optional<QueuedJob> next(JobQueue queue);

  /** Jobs in the order this policy would start them (for queue positions and explanations). */
  default java.util.Iterator<QueuedJob> startOrder(JobQueue queue) {
    return queue.inOrder();
  }
}
