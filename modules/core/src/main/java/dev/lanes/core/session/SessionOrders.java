package dev.lanes.core.session;

import dev.lanes.core.job.JobStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * What the backend's queue must hear after a session's events are durable (pure; the entity
 * carries it out). Every order is safe to repeat: the queue ignores what it already did.
 */
public final class SessionOrders {
  private SessionOrders() {}

  public static List<BackendOrder> after(List<SessionEvent> events, SessionState s) {
    List<BackendOrder> out = new ArrayList<>();
    for (SessionEvent e : events) {
      if (e instanceof SessionEvent.Closed closed) {
        dropQueued(s, closed.reason(), closed.message(), out);
        if (s.mode() == SessionMode.BATCH) {
          out.add(new BackendOrder.EndBatch());
        }
      }
    }
    if (s.mode() == SessionMode.BATCH && s.status() == SessionStatus.CLOSED
        && events.stream().anyMatch(e -> e instanceof SessionEvent.JobStarted || e instanceof SessionEvent.JobEnded)) {
      // a job of a closed batch (re-run after a restart) made the queue activate it again
      out.add(new BackendOrder.EndBatch());
    }
    if (s.mode() == SessionMode.DEDICATED && !s.holdsBackend() && events.stream().anyMatch(SessionOrders::mayEndHold)) {
      out.add(new BackendOrder.ReleaseHold());
    }
    return out;
  }

  /** After a restart the queue knows nothing of a closed session: what it must hear again. */
  public static List<BackendOrder> afterRestart(SessionState s) {
    List<BackendOrder> out = new ArrayList<>();
    if (s.closeReason() != null) {
      dropQueued(s, s.closeReason(), s.stateReason(), out);
      if (s.mode() == SessionMode.BATCH) {
        out.add(new BackendOrder.EndBatch());
      }
    }
    return out;
  }

  /** Events after which a dedicated session may no longer hold its backend. */
  private static boolean mayEndHold(SessionEvent e) {
    return e instanceof SessionEvent.Deactivated || e instanceof SessionEvent.Closed
        || e instanceof SessionEvent.JobEnded || e instanceof SessionEvent.JobRequeued
        || e instanceof SessionEvent.JobForgotten;
  }

  private static void dropQueued(SessionState s, CloseReason reason, String message, List<BackendOrder> out) {
    JobStatus end = reason.queuedJobsEnd(s.mode());
    if (end != null && !s.queued().isEmpty()) {
      out.add(new BackendOrder.DropQueued(List.copyOf(s.queued()), end, message));
    }
  }
}
