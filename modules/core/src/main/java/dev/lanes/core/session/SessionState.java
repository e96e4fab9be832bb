package dev.lanes.core.session;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything known of one session or batch, folded from its events by {@link #apply}, the only
 * way it changes. Its job sets can be large (R21: a batch has no job limit), so the state is
 * updated in place rather than copied per event: one owner (the entity, or recovery's fold) holds
 * it, and readers get an immutable {@link #view}.
 */
public final class SessionState {
  /** One state change, as the API lists them in {@code timestamps}. */
  public record Stamp(SessionStatus status, Instant at) {}

  private String id;
  private SessionMode mode;
  private String backend;
  private String instance;
  private String userId;
  private Duration interactiveTtl;
  private Duration maxTtl;
  private Duration unusedTimeout;
  private Instant createdAt;
  private SessionStatus status;
  private String stateReason;
  private CloseReason closeReason;
  private boolean acceptingJobs;
  private Instant startedAt;
  private Instant activatedAt;
  private Instant closedAt;
  private Instant lastJobStarted;
  private Instant lastJobCompleted;
  /** Since when an open session has had no job queued or running (R13 counts from here). */
  private Instant emptySince;
  private final Set<String> queued = new LinkedHashSet<>();
  private final Set<String> running = new LinkedHashSet<>();
  private int jobsEnded;
  /** When the session last had nothing running or queued while active: its interactive TTL runs. */
  private Instant idleSince;
  /** Start of the current committed period of a dedicated session (R26), or null. */
  private Instant committedSince;
  private double committedSeconds;
  private int periods;
  private final Map<String, PendingCharge> pendingCharges = new LinkedHashMap<>();
  private double quantumSeconds;
  private final List<Stamp> timestamps = new ArrayList<>();

  public static SessionState empty() {
    return new SessionState();
  }

  public boolean exists() {
    return id != null;
  }

  public SessionState apply(SessionEvent event) {
    if (event instanceof SessionEvent.Opened o) {
      id = o.sessionId();
      mode = o.mode();
      backend = o.backend();
      instance = o.instance();
      userId = o.userId();
      interactiveTtl = o.interactiveTtl();
      maxTtl = o.maxTtl();
      unusedTimeout = o.unusedTimeout();
      createdAt = o.at();
      emptySince = o.at();
      acceptingJobs = true;
      stamp(SessionStatus.OPEN, o.at());
    } else if (event instanceof SessionEvent.JobAdded a) {
      queued.add(a.jobId());
    } else if (event instanceof SessionEvent.JobForgotten f) {
      queued.remove(f.jobId());
      becameIdle(f.at());
    } else if (event instanceof SessionEvent.JobStarted s) {
      queued.remove(s.jobId());
      running.add(s.jobId());
      lastJobStarted = s.at();
      if (startedAt == null) {
        startedAt = s.at();
      }
      if (status == SessionStatus.OPEN || status == SessionStatus.INACTIVE) {
        activatedAt = s.at();
        stamp(SessionStatus.ACTIVE, s.at());
      }
      if (mode == SessionMode.DEDICATED && committedSince == null) {
        committedSince = s.at();
      }
      idleSince = null;
    } else if (event instanceof SessionEvent.JobRequeued r) {
      if (running.remove(r.jobId())) {
        queued.add(r.jobId());
      }
      becameIdle(r.at());
    } else if (event instanceof SessionEvent.JobEnded e) {
      queued.remove(e.jobId());
      if (running.remove(e.jobId())) {
        lastJobCompleted = e.at();
      }
      jobsEnded++;
      quantumSeconds += e.quantumSeconds();
      if (status == SessionStatus.OPEN && queued.isEmpty() && running.isEmpty()) {
        emptySince = e.at(); // its only jobs ended before any started: unused again from now
      }
      becameIdle(e.at());
    } else if (event instanceof SessionEvent.Deactivated d) {
      stamp(SessionStatus.INACTIVE, d.at());
      idleSince = null;
      endCommittedPeriodIfFree(d.at());
    } else if (event instanceof SessionEvent.AcceptingStopped) {
      acceptingJobs = false;
    } else if (event instanceof SessionEvent.Closed c) {
      acceptingJobs = false;
      closeReason = c.reason();
      stateReason = c.message();
      closedAt = c.at();
      idleSince = null;
      stamp(SessionStatus.CLOSED, c.at());
      endCommittedPeriodIfFree(c.at());
    } else if (event instanceof SessionEvent.ChargeRecorded r) {
      pendingCharges.remove(r.chargeId());
    } else {
      throw new IllegalArgumentException("unknown event " + event);
    }
    return this;
  }

  private void stamp(SessionStatus next, Instant at) {
    status = next;
    timestamps.add(new Stamp(next, at));
  }

  /** Nothing running: an active session's interactive TTL starts (R11); a closed one is free. */
  private void becameIdle(Instant at) {
    if (!running.isEmpty()) {
      return;
    }
    if (status == SessionStatus.ACTIVE) {
      idleSince = at;
    } else {
      endCommittedPeriodIfFree(at);
    }
  }

  /** R26: a committed period ends at the latest of inactive / closed / last job end. */
  private void endCommittedPeriodIfFree(Instant at) {
    if (committedSince == null || !running.isEmpty() || status == SessionStatus.ACTIVE) {
      return;
    }
    // The latest of: the session went inactive or closed, its last job ended. A job's end can be
    // reported after the close that followed it; the close still counts.
    Instant statusSince = timestamps.get(timestamps.size() - 1).at();
    Instant end = statusSince.isAfter(at) ? statusSince : at;
    double seconds = Math.max(0, Duration.between(committedSince, end).toNanos() / 1e9);
    committedSeconds += seconds;
    periods++;
    String chargeId = "session:" + id + ":" + periods;
    pendingCharges.put(chargeId, new PendingCharge(chargeId, seconds, end));
    committedSince = null;
  }

  // ---- deadlines (absolute instants; the entity arms one timer for the earliest) ----

  /**
   * R13: an open session with no job closes after the unused timeout. A job that was never
   * created does not count as received; one cancelled before it started restarts the count.
   */
  public Optional<Instant> unusedDeadline() {
    return status == SessionStatus.OPEN && queued.isEmpty() && running.isEmpty()
        ? Optional.of(emptySince.plus(unusedTimeout)) : Optional.empty();
  }

  /** R12 / R20: wall-clock from the first job start; never pauses. */
  public Optional<Instant> maxTtlDeadline() {
    return startedAt != null && status != SessionStatus.CLOSED
        ? Optional.of(startedAt.plus(maxTtl)) : Optional.empty();
  }

  /** R11 / R22: counts only while active with nothing running or queued. */
  public Optional<Instant> interactiveDeadline() {
    return status == SessionStatus.ACTIVE && idleSince != null && running.isEmpty() && queued.isEmpty()
        ? Optional.of(idleSince.plus(interactiveTtl)) : Optional.empty();
  }

  public Optional<Instant> nextDeadline() {
    return java.util.stream.Stream.of(unusedDeadline(), maxTtlDeadline(), interactiveDeadline())
        .flatMap(Optional::stream).min(Instant::compareTo);
  }

  // ---- what the backend must know ----

  /**
   * R17: a dedicated session holds its backend while active, and after it closed while its jobs
   * still run (that time is charged to it, R26, so nobody else is given those lanes).
   */
  public boolean holdsBackend() {
    return mode == SessionMode.DEDICATED
        && (status == SessionStatus.ACTIVE || (status == SessionStatus.CLOSED && !running.isEmpty()));
  }

  /** R19: a batch whose queued jobs go ahead of normal queued jobs. */
  public boolean batchActive() {
    return mode == SessionMode.BATCH && status == SessionStatus.ACTIVE;
  }

  /** Wall-clock committed time for a session (R26), quantum time of its jobs for a batch (R25). */
  public double elapsedSeconds(Instant now) {
    return view().elapsedSeconds(now);
  }

  public SessionView view() {
    return new SessionView(id, mode, backend, instance, userId, status, stateReason, acceptingJobs,
        interactiveTtl, maxTtl, createdAt, startedAt, activatedAt, closedAt, lastJobStarted,
        lastJobCompleted, committedSince, committedSeconds, quantumSeconds,
        queued.size(), running.size(), jobsEnded, List.copyOf(timestamps),
        unusedDeadline().orElse(null), maxTtlDeadline().orElse(null), interactiveDeadline().orElse(null));
  }

  public String id() { return id; }
  public SessionMode mode() { return mode; }
  public String backend() { return backend; }
  public String instance() { return instance; }
  public String userId() { return userId; }
  public SessionStatus status() { return status; }
  public CloseReason closeReason() { return closeReason; }
  public String stateReason() { return stateReason; }
  public boolean acceptingJobs() { return acceptingJobs; }
  public Duration interactiveTtl() { return interactiveTtl; }
  public Duration maxTtl() { return maxTtl; }
  public long unusedTimeoutSeconds() { return unusedTimeout.toSeconds(); }
  public Instant createdAt() { return createdAt; }
  public Instant startedAt() { return startedAt; }
  public Instant closedAt() { return closedAt; }
  public Set<String> queued() { return java.util.Collections.unmodifiableSet(queued); }
  public Set<String> running() { return java.util.Collections.unmodifiableSet(running); }
  public boolean knows(String jobId) { return queued.contains(jobId) || running.contains(jobId); }
  public double committedSeconds() { return committedSeconds; }
  public double quantumSeconds() { return quantumSeconds; }
  public List<PendingCharge> pendingCharges() { return List.copyOf(pendingCharges.values()); }
  public List<Stamp> timestamps() { return List.copyOf(timestamps); }
}
