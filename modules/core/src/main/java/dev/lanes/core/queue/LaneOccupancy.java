package dev.lanes.core.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Who holds each lane of a backend now, and since when (issue 7, the dashboard): a job alone,
 * a job of a dedicated session or of a batch (R1), a running maintenance, which has every lane
 * (R24), or nobody. A free lane that new jobs may not take because a maintenance waits for the
 * lanes to drain is {@link Kind#DRAINING}.
 */
public final class LaneOccupancy {
  /** What holds a lane; {@link #wire()} is its name in the dashboard's JSON. */
  public enum Kind {
    FREE, JOB, DEDICATED, BATCH, MAINTENANCE, DRAINING;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * Lane {@code lane} (0-based, as a job's metrics name it): the job on it with its instance and
   * session, or the maintenance that holds or waits for it; {@code since} is when the job was
   * sent to the lane or the maintenance started (null for a free or draining lane).
   */
  public record Lane(int lane, Kind kind, String jobId, String instance, String sessionId,
      String maintenanceId, String maintenanceKind, Instant since) {}

  private LaneOccupancy() {}

  /**
   * One entry per lane, in lane order. {@code running}: the jobs on lanes by id, with when each
   * was sent there; {@code held}: a dedicated session holds the backend (a waiting maintenance
   * does not drain it then, R17).
   */
  public static List<Lane> of(LaneTable lanes, Map<String, QueueForecast.OnLane> running,
      MaintenanceQueue maintenance, boolean held) {
    MaintenanceQueue.Window current = maintenance.current().orElse(null);
    MaintenanceQueue.Window waiting = current == null && !held && !maintenance.pending().isEmpty()
        ? maintenance.pending().get(0) : null;
    List<Lane> out = new ArrayList<>(lanes.lanes());
    for (int i = 0; i < lanes.lanes(); i++) {
      String jobId = lanes.holder(i).orElse(null);
      QueueForecast.OnLane on = jobId == null ? null : running.get(jobId);
      if (jobId != null) {
        QueuedJob job = on == null ? null : on.job();
        out.add(new Lane(i, kindOf(job), jobId, job == null ? null : job.instance(),
            job == null ? null : job.sessionId(), null, null, on == null ? null : on.startedAt()));
      } else if (current != null) {
        out.add(new Lane(i, Kind.MAINTENANCE, null, null, null, current.id(), current.kind(),
            maintenance.currentStartedAt()));
      } else if (waiting != null) {
        out.add(new Lane(i, Kind.DRAINING, null, null, null, waiting.id(), waiting.kind(), null));
      } else {
        out.add(new Lane(i, Kind.FREE, null, null, null, null, null, null));
      }
    }
    return out;
  }

  private static Kind kindOf(QueuedJob job) {
    if (job == null || job.sessionMode() == null) {
      return Kind.JOB;
    }
    return switch (job.sessionMode()) {
      case DEDICATED -> Kind.DEDICATED;
      case BATCH -> Kind.BATCH;
    };
  }
}
