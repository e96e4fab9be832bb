package dev.lanes.core.queue;

import dev.lanes.core.model.TimingModel;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * When each queued job is expected to start (api.md {@code estimated_start}): the current queue
 * played forward with the backend's timing model (R2, R3) — each job takes the lane that frees
 * first, pre-processes, waits for the one QPU, runs its quantum part, post-processes. Jobs on
 * lanes end when their own pipeline would; pending maintenance takes every lane first (R24).
 * It assumes nothing new arrives and a holding session releases the backend once its queued jobs
 * have started; with fair share the order is the one {@link StartPolicy#startOrder} gives.
 */
public final class QueueForecast {
  private QueueForecast() {}

  /** A job on a lane since {@code startedAt}. */
  public record OnLane(QueuedJob job, Instant startedAt) {}

  public static Map<String, Instant> estimate(List<QueuedJob> startOrder, List<OnLane> running, int lanes,
      TimingModel timing, List<Duration> maintenance, Instant maintenanceEndsAt, boolean paused, Instant now) {
    Map<String, Instant> out = new HashMap<>();
    if (paused) {
      return out; // nothing starts until an administrator resumes the backend: no estimate
    }
    PriorityQueue<Instant> free = new PriorityQueue<>();
    Instant qpuFree = now;
    for (OnLane r : running) {
      Instant end = r.startedAt().plus(pipeline(r.job(), timing));
      free.add(end.isBefore(now) ? now : end);
    }
    while (free.size() < lanes) {
      free.add(maintenanceEndsAt != null && maintenanceEndsAt.isAfter(now) ? maintenanceEndsAt : now);
    }
    if (!maintenance.isEmpty()) {
      // R24: maintenance waits for every lane, then holds them all
      Instant drained = free.stream().max(Instant::compareTo).orElse(now);
      Instant end = drained;
      for (Duration d : maintenance) {
        end = end.plus(d);
      }
      free.clear();
      for (int i = 0; i < lanes; i++) {
        free.add(end);
      }
      qpuFree = end;
    }
    for (QueuedJob job : startOrder) {
      Instant start = free.poll();
      out.put(job.jobId(), start);
      Instant qpuStart = later(start.plus(prep(job, timing)), qpuFree);
      qpuFree = qpuStart.plus(quantum(job, timing));
      free.add(qpuFree.plus(post(job, timing)));
    }
    return out;
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Duration pipeline(QueuedJob job, TimingModel t) {
    return prep(job, t).plus(quantum(job, t)).plus(post(job, t));
  }

  private static Duration prep(QueuedJob job, TimingModel t) {
    return job.shape() == null ? Duration.ZERO : t.preProcessing(job.shape());
  }

  private static Duration quantum(QueuedJob job, TimingModel t) {
    return job.shape() == null ? Duration.ZERO : t.quantum(job.shape());
  }

  private static Duration post(QueuedJob job, TimingModel t) {
    return job.shape() == null ? Duration.ZERO : t.postProcessing(job.shape());
  }
}
