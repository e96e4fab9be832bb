package dev.lanes.http;

import dev.lanes.core.session.SessionState;
import dev.lanes.core.session.SessionView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The session object exactly as api.md names its fields. */
final class SessionViews {
  private SessionViews() {}

  static Map<String, Object> session(SessionView s, Instant now) {
    double elapsed = s.elapsedSeconds(now);
    List<Map<String, Object>> stamps = s.timestamps().stream()
        .map((SessionState.Stamp t) -> Json.obj("status", t.status().wire(), "timestamp", Json.time(t.at())))
        .toList();
    return Json.obj(
        "id", s.id(),
        "mode", s.mode().wire(),
        "backend_name", s.backend(),
        "state", s.status().wire(),
        "state_reason", s.stateReason(),
        "accepting_jobs", s.acceptingJobs(),
        "interactive_ttl", seconds(s.interactiveTtl()),
        "max_ttl", seconds(s.maxTtl()),
        "active_ttl", s.activeTtlSeconds(now),
        "created_at", Json.time(s.createdAt()),
        "started_at", Json.time(s.startedAt()),
        "activated_at", Json.time(s.activatedAt()),
        "closed_at", Json.time(s.closedAt()),
        "last_job_started", Json.time(s.lastJobStarted()),
        "last_job_completed", Json.time(s.lastJobCompleted()),
        "elapsed_time", elapsed,
        "usage_time", elapsed,
        "timestamps", stamps,
        "instance", s.instance(),
        "user_id", s.userId(),
        "jobs", Json.obj("queued", s.jobsQueued(), "running", s.jobsRunning(), "ended", s.jobsEnded()));
  }

  /** Whole seconds as an integer (what clients expect of a TTL), fractions as a number. */
  static Object seconds(Duration d) {
    if (d.toNanos() % 1_000_000_000L == 0) {
      return d.toSeconds();
    }
    return d.toNanos() / 1e9;
  }
}
