package dev.lanes.core.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** First in, first out by order key (interrupted runs first, R29): the policy before fair share. */
public final class FifoPolicy implements StartPolicy {
  private final JobQueue queue = new JobQueue();

  @Override
  public void add(QueuedJob job, long key) {
    queue.add(job, key);
  }

  @Override
  public Optional<QueuedJob> remove(String jobId) {
    return queue.remove(jobId);
  }

  @Override
  public Optional<Long> keyOf(String jobId) {
    return queue.keyOf(jobId);
  }

  @Override
  public int size() {
    return queue.size();
  }

  @Override
  public Optional<QueuedJob> next(Instant now) {
    return queue.first();
  }

  @Override
  public List<QueuedJob> upcoming(int k, Instant now) {
    return BackendQueues.firstOf(queue.inOrder(), k);
  }

  @Override
  public List<Ranked> startOrder(Instant now) {
    List<Ranked> out = new ArrayList<>(queue.size());
    queue.inOrder().forEachRemaining(j -> out.add(new Ranked(j, "fair_share", null, "first in, first out")));
    return out;
  }
}
