package dev.lanes.core.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The start decision of one backend: fill free lanes in R5 order (R1; R7: a lane never idles
 * while an eligible job waits), unless the backend is paused.
 */
public final class Dispatcher {
  /** Start {@code job} on {@code lane}. */
  public record Assignment(int lane, QueuedJob job) {}

  private Dispatcher() {}

  /** Moves jobs from the queues onto free lanes and says which; mutates both, as one step. */
  public static List<Assignment> fill(BackendQueues queues, LaneTable lanes, boolean paused, Instant now) {
    List<Assignment> starts = new ArrayList<>();
    if (paused) {
      return starts;
    }
    while (true) {
      OptionalInt lane = lanes.freeLane();
      if (lane.isEmpty()) {
        return starts;
      }
      // Asked again after each start: taking a session's first job may change who is eligible.
      Optional<QueuedJob> next = queues.next(now);
      if (next.isEmpty()) {
        return starts;
      }
      QueuedJob job = next.get();
      queues.take(job.jobId());
      lanes.occupy(lane.getAsInt(), job.jobId());
      starts.add(new Assignment(lane.getAsInt(), job));
    }
  }
}
