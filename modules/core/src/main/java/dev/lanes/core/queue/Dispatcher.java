package dev.lanes.core.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The start decision of one backend: fill free lanes from the queue in policy order (R1, R5, R7:
 * a lane never idles while an eligible job waits), unless the backend is paused.
 */
public final class Dispatcher {
  /** Start {@code job} on {@code lane}. */
  public record Assignment(int lane, QueuedJob job) {}

  private Dispatcher() {}

  /** Moves jobs from the queue onto free lanes and says which; mutates both, as one step. */
  public static List<Assignment> fill(JobQueue queue, LaneTable lanes, StartPolicy policy, boolean paused) {
    List<Assignment> starts = new ArrayList<>();
    if (paused) {
      return starts;
    }
    while (true) {
      OptionalInt lane = lanes.freeLane();
      if (lane.isEmpty()) {
        return starts;
      }
      Optional<QueuedJob> next = policy.next(queue);
      if (next.isEmpty()) {
        return starts;
      }
      QueuedJob job = next.get();
      queue.remove(job.jobId());
      lanes.occupy(lane.getAsInt(), job.jobId());
      starts.add(new Assignment(lane.getAsInt(), job));
    }
  }
}
