package dev.lanes.core.session;

import dev.lanes.core.job.JobState;
import dev.lanes.core.job.JobStatus;
import dev.lanes.core.model.Rejection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Decisions on one session or batch (R10–R23, R26): state and command in, events (or a
 * rejection) out. Pure; the entity persists what these return and arms its timer for
 * {@link SessionState#nextDeadline}.
 */
public final class SessionRules {
  private SessionRules() {}

  /** The TTLs a session gets: the user's max_ttl may only lower the system maximum (R12, R20). */
  public record Limits(Duration interactiveTtl, Duration systemMaxTtl, Duration unusedTimeout) {}

  /** R12 / R20: max_ttl is 1 s .. the system maximum; absent means the maximum. */
  public static Optional<Rejection> checkMaxTtl(Long maxTtlSeconds, Limits limits) {
    if (maxTtlSeconds == null) {
      return Optional.empty();
    }
    long max = limits.systemMaxTtl().toSeconds();
    if (maxTtlSeconds < 1 || maxTtlSeconds > max) {
      return Optional.of(Rejection.badRequest("max_ttl",
          "max_ttl: must be from 1 to " + max + " seconds (the system maximum), got " + maxTtlSeconds));
    }
    return Optional.empty();
  }

  public static SessionEvent.Opened open(String id, SessionMode mode, String backend, String instance,
      String userId, Long maxTtlSeconds, Limits limits, Instant now) {
    Duration maxTtl = maxTtlSeconds == null ? limits.systemMaxTtl() : Duration.ofSeconds(maxTtlSeconds);
    return new SessionEvent.Opened(id, mode, backend, instance, userId, limits.interactiveTtl(), maxTtl,
        limits.unusedTimeout(), now);
  }

  /**
   * R18: a closed or non-accepting session takes no job (409), and no job is created. A job it
   * already has (a retried submit) is accepted again without a new event.
   */
  public static Either addJob(SessionState s, String jobId, Instant now) {
    return addJob(s, jobId, null, now);
  }

  /**
   * R18 as {@link #addJob(SessionState, String, Instant)}; the accepting event carries
   * {@code job}, so that the one write both adds and creates it (a session takes its job in one
   * journal round trip).
   */
  public static Either addJob(SessionState s, dev.lanes.core.job.JobEvent.Submitted job, Instant now) {
    return addJob(s, job.jobId(), job, now);
  }

  private static Either addJob(SessionState s, String jobId, dev.lanes.core.job.JobEvent.Submitted job, Instant now) {
    if (s.knows(jobId)) {
      return Either.events(List.of());
    }
    String kind = s.mode() == SessionMode.BATCH ? "batch" : "session";
    if (s.status() == SessionStatus.CLOSED) {
      return Either.rejected(Rejection.conflict("session_id",
          kind + " " + s.id() + " is closed" + (s.stateReason() == null ? "" : " (" + s.stateReason() + ")")
              + ": it accepts no new jobs"));
    }
    if (!s.acceptingJobs()) {
      return Either.rejected(Rejection.conflict("session_id",
          kind + " " + s.id() + " is not accepting jobs (accepting_jobs=false)"));
    }
    return Either.events(List.of(new SessionEvent.JobAdded(jobId, now, job)));
  }

  /** The submit of a job the session accepted failed: it was never created. */
  public static List<SessionEvent> forgetJob(SessionState s, String jobId, Instant now) {
    if (!s.queued().contains(jobId)) {
      return List.of();
    }
    return closeIfDone(s, new SessionEvent.JobForgotten(jobId, now));
  }

  /** R10 / R19: a job took a lane; the first activates the session, as does one after inactive. */
  public static List<SessionEvent> jobStarted(SessionState s, String jobId, Instant now) {
    if (s.running().contains(jobId)) {
      return List.of();
    }
    return List.of(new SessionEvent.JobStarted(jobId, now));
  }

  public static List<SessionEvent> jobRequeued(SessionState s, String jobId, Instant now) {
    if (!s.running().contains(jobId)) {
      return List.of();
    }
    return List.of(new SessionEvent.JobRequeued(jobId, now));
  }

  /** A job ended; R14: a session that stopped accepting closes when its last job is done. */
  public static List<SessionEvent> jobEnded(SessionState s, String jobId, double quantumSeconds, Instant now) {
    if (!s.knows(jobId)) {
      return List.of();
    }
    return closeIfDone(s, new SessionEvent.JobEnded(jobId, quantumSeconds, now));
  }

  /** R14: no new jobs; queued and running ones run to completion; closed once none remain. */
  public static List<SessionEvent> stopAccepting(SessionState s, Instant now) {
    if (s.status() == SessionStatus.CLOSED || !s.acceptingJobs()) {
      return List.of();
    }
    return closeIfDone(s, new SessionEvent.AcceptingStopped(now));
  }

  /** R15: no new jobs; queued jobs end Cancelled (the entity tells the queue); running finish. */
  public static List<SessionEvent> cancel(SessionState s, Instant now) {
    if (s.status() == SessionStatus.CLOSED) {
      return List.of();
    }
    String kind = s.mode() == SessionMode.BATCH ? "batch" : "session";
    return List.of(new SessionEvent.Closed(CloseReason.CANCELLED, kind + " cancelled by its owner", now));
  }

  /**
   * A timer fired: the earliest deadline that has passed takes effect, dated at the deadline
   * itself, so one that passed while the node was down is charged and stamped correctly (R26, R29).
   * Empty when nothing is due (an early or stale timer).
   */
  public static List<SessionEvent> deadlineReached(SessionState s, Instant now) {
    Optional<Instant> next = s.nextDeadline();
    if (next.isEmpty() || next.get().isAfter(now)) {
      return List.of();
    }
    Instant at = next.get();
    String kind = s.mode() == SessionMode.BATCH ? "batch" : "session";
    if (s.unusedDeadline().filter(at::equals).isPresent()) {
      return List.of(new SessionEvent.Closed(CloseReason.UNUSED,
          kind + " received no job within the unused timeout of " + s.unusedTimeoutSeconds() + " s", at));
    }
    if (s.maxTtlDeadline().filter(at::equals).isPresent()) {
      return List.of(new SessionEvent.Closed(CloseReason.MAX_TTL,
          kind + " reached its max TTL of " + s.maxTtl().toSeconds() + " s", at));
    }
    if (s.mode() == SessionMode.BATCH) {
      return List.of(new SessionEvent.Closed(CloseReason.BATCH_DONE,
          "batch ended by itself: no new job within " + seconds(s.interactiveTtl()) + " s of its last job", at));
    }
    return List.of(new SessionEvent.Deactivated(at));
  }

  /**
   * After a restart (R29): bring the session's view of its jobs in line with the jobs' own
   * journals, in case a notification was lost in the crash. {@code jobs} gives each job's state;
   * empty for a job that was never created (its submit failed after the session accepted it).
   * A job that was Running is about to be re-queued and needs nothing here.
   */
  public static List<SessionEvent> reconcile(SessionState s, Function<String, Optional<JobState>> jobs, Instant now) {
    List<SessionEvent> out = new ArrayList<>();
    List<String> known = new ArrayList<>(s.queued());
    known.addAll(s.running());
    for (String id : known) {
      Optional<JobState> job = jobs.apply(id);
      if (job.isEmpty()) {
        out.add(new SessionEvent.JobForgotten(id, now));
      } else if (job.get().isFinal()) {
        JobState j = job.get();
        out.add(new SessionEvent.JobEnded(id, j.quantumSeconds(), j.finishedAt() != null ? j.finishedAt() : now));
      } else if (job.get().status() == JobStatus.Queued && s.running().contains(id)) {
        out.add(new SessionEvent.JobRequeued(id, now));
      }
    }
    if (!out.isEmpty() && !s.acceptingJobs() && s.status() != SessionStatus.CLOSED) {
      SessionEvent last = out.remove(out.size() - 1);
      // closeIfDone counts what is left once all but the last of these events apply
      int left = s.queued().size() + s.running().size();
      for (SessionEvent e : out) {
        if (e instanceof SessionEvent.JobEnded || e instanceof SessionEvent.JobForgotten) {
          left--;
        }
      }
      out.addAll(closeIfDone(s, last, left));
    }
    return out;
  }

  /** What a job's end (or a stop of accepting) leads to: closed once nothing is left (R14). */
  private static List<SessionEvent> closeIfDone(SessionState s, SessionEvent event) {
    return closeIfDone(s, event, s.queued().size() + s.running().size());
  }

  private static List<SessionEvent> closeIfDone(SessionState s, SessionEvent event, int left) {
    List<SessionEvent> out = new ArrayList<>(List.of(event));
    boolean stopsAccepting = event instanceof SessionEvent.AcceptingStopped || !s.acceptingJobs();
    if (s.status() == SessionStatus.CLOSED || !stopsAccepting) {
      return out;
    }
    boolean removesOne = event instanceof SessionEvent.JobEnded || event instanceof SessionEvent.JobForgotten;
    if (left - (removesOne ? 1 : 0) == 0) {
      String kind = s.mode() == SessionMode.BATCH ? "batch" : "session";
      out.add(new SessionEvent.Closed(CloseReason.CLIENT_CLOSED,
          kind + " closed by its owner; all its jobs are done", event.at()));
    }
    return out;
  }

  private static String seconds(Duration d) {
    double s = d.toNanos() / 1e9;
    return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
  }

  /** Events to persist, or the rejection to answer. */
  public record Either(List<SessionEvent> events, Rejection rejection) {
    static Either events(List<SessionEvent> events) {
      return new Either(events, null);
    }

    static Either rejected(Rejection r) {
      return new Either(List.of(), r);
    }

    public boolean isRejected() {
      return rejection != null;
    }
  }
}
