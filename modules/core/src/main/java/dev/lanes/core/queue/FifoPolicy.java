package dev.lanes.core.queue;

import java.util.Optional;

/** First in, first out: the oldest queued job (interrupted runs first, R29). */
public final class FifoPolicy implements StartPolicy {
  @Override
  public Optional<QueuedJob> next(JobQueue queue) {
    return queue.first();
  }
}
