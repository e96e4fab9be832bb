package dev.lanes.bench.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Step 3, the FAQ's Sessions section: a dedicated session, its TTLs and what it is charged. One
 * job; then the interactive TTL runs out with nothing to do and the session goes {@code inactive}
 * (R10, R11) while its max TTL keeps counting (R12); a second job reactivates it, and a close
 * (R14) ends it as soon as that job ends, with no interactive-TTL wait. Usage is the wall-clock
 * time the backend was committed to it, idle TTL included, inactive time not (R26): checked
 * against the session's own timestamps.
 */
public final class SessionTtlStep implements Step {
  static final int MAX_TTL = 120;
  // Full scale (default timing): about 22 s on its lane.
  static final int JOB_CIRCUITS = 800;
  static final double TOLERANCE = 0.1; // seconds: the session's timers against its timestamps

  @Override
  public String name() {
    return "a dedicated session and its TTLs";
  }

  @Override
  public void run(Tour t) throws Exception {
    t.heading("3", "A dedicated session: TTLs, states, usage",
        "an interactive TTL reduces cost if you forget to close; usage is the wall-clock time the QPU is committed"
            + " to the session, idle TTL time included.");
    JsonNode s = t.api.openSession("dedicated", t.backend, MAX_TTL);
    String id = s.path("id").asText();
    t.progress(Tour.f("opened: state %s, interactive_ttl %d s (a system setting), max_ttl %d s, active_ttl %.1f s"
        + " (the max TTL starts with the first job)", s.path("state").asText(), s.path("interactive_ttl").asInt(),
        s.path("max_ttl").asInt(), s.path("active_ttl").asDouble()));
    int ttl = s.path("interactive_ttl").asInt();
    List<String> problems = new ArrayList<>();
    if (s.path("active_ttl").asDouble() != MAX_TTL) {
      problems.add("active_ttl was not max_ttl before the first job");
    }

    t.say("-> a job; the session becomes active when it starts, then idles for its interactive TTL:");
    String j1 = t.api.submit(t.body(1, JOB_CIRCUITS, 2, 2, 1, id));
    JsonNode inactive = follow(t, id, j1, "inactive");
    JobRun r1 = JobRun.of(j1, "1", t.api.job(j1), t.api.metrics(j1));
    Instant started = Instant.parse(inactive.path("started_at").asText());
    Instant inactiveAt = stateTime(inactive, "inactive", 0);
    double e1 = inactive.path("elapsed_time").asDouble();
    Instant lastCompleted = Instant.parse(inactive.path("last_job_completed").asText());
    double idle = inactiveAt == null ? Double.NaN : JobRun.seconds(lastCompleted, inactiveAt);
    double expected1 = JobRun.seconds(started, lastCompleted) + ttl;
    t.progress(Tour.f("inactive %.2f s after the job ended (interactive TTL %d s); charged so far %s = job %s + idle %s;"
        + " the job used %s", idle, ttl, Fmt.s(e1), Fmt.s(r1.runSeconds()), Fmt.s(ttl), Fmt.qs(r1.quantumSeconds())));
    if (Double.isNaN(idle) || Math.abs(idle - ttl) > TOLERANCE) {
      problems.add(Tour.f("went inactive %.2f s after its job, not %d s (R11)", idle, ttl));
    }
    if (Math.abs(e1 - expected1) > TOLERANCE) {
      problems.add(Tour.f("elapsed_time %.3f s at inactive, expected job + TTL = %.3f s (R26)", e1, expected1));
    }

    t.say("-> inactive: the backend is free, nothing is charged, but the max TTL keeps counting:");
    Thread.sleep(1000);
    JsonNode still = t.api.getSession(id);
    t.progress(Tour.f("state %s, active_ttl %.1f s, elapsed_time %s", still.path("state").asText(),
        still.path("active_ttl").asDouble(), Fmt.s(still.path("elapsed_time").asDouble())));
    if (still.path("elapsed_time").asDouble() != e1) {
      problems.add("usage grew while inactive (R26)");
    }
    if (!(still.path("active_ttl").asDouble() < inactive.path("active_ttl").asDouble())) {
      problems.add("active_ttl stopped counting while inactive (R12)");
    }

    t.say("-> a second job reactivates it; closed (PATCH accepting_jobs=false) right away: it ends with the job, no TTL wait:");
    String j2 = t.api.submit(t.body(1, JOB_CIRCUITS, 2, 2, 1, id));
    t.awaitSession(id, x -> "active".equals(x.path("state").asText()));
    t.api.closeSession(id);
    t.progress("active again; close sent");
    JsonNode closed = follow(t, id, j2, "closed");
    JobRun r2 = JobRun.of(j2, "2", t.api.job(j2), t.api.metrics(j2));
    Instant closedAt = Instant.parse(closed.path("closed_at").asText());
    double e2 = closed.path("elapsed_time").asDouble();
    double afterJob = JobRun.seconds(Instant.parse(closed.path("last_job_completed").asText()), closedAt);
    Instant reactivated = stateTime(closed, "active", 1);
    double expected2 = e1 + (reactivated == null ? Double.NaN : JobRun.seconds(reactivated, closedAt));
    // R14: no interactive-TTL wait; a second is far below the TTL and far above a slow machine's lag
    if (afterJob > 1.0 || afterJob < -TOLERANCE) {
      problems.add(Tour.f("closed %.2f s after its last job, not with it (R14)", afterJob));
    }
    if (Math.abs(e2 - expected2) > TOLERANCE) {
      problems.add(Tour.f("elapsed_time %.3f s, expected %.3f s (R26)", e2, expected2));
    }
    if (!"Completed".equals(r1.status()) || !"Completed".equals(r2.status())) {
      problems.add("jobs ended " + r1.status() + ", " + r2.status());
    }
    List<String> states = new ArrayList<>();
    closed.path("timestamps").forEach(x -> states.add(x.path("status").asText()));
    if (!states.equals(List.of("open", "active", "inactive", "active", "closed"))) {
      problems.add("states went " + String.join(" → ", states));
    }
    double quantum = r1.quantumSeconds() + r2.quantumSeconds();
    t.progress(Tour.f("closed %.2f s after its last job; states %s; charged %s of wall-clock for %s of jobs",
        afterJob, String.join(" → ", states), Fmt.s(e2), Fmt.qs(quantum)));
    t.charge(e2);
    double time = JobRun.seconds(started, closedAt);
    String outcome = problems.isEmpty()
        ? Tour.f("%s; charged run + %d s idle, not inactive time", String.join("→", states), ttl)
        : String.join("; ", problems);
    t.result(new StepResult("3", "session: job, idle TTL, job, close", Fmt.s(time),
        Fmt.s(e2) + " wall-clock", outcome, problems.isEmpty()));
  }

  /** Polls the session and its job, printing state and TTLs as they change, until {@code state}. */
  private static JsonNode follow(Tour t, String id, String jobId, String state) throws Exception {
    long deadline = System.nanoTime() + t.timeout.toNanos();
    String last = null;
    long lastPrint = 0;
    while (true) {
      JsonNode s = t.api.getSession(id);
      String job = t.api.job(jobId).path("status").asText();
      String st = s.path("state").asText();
      String key = st + "/" + job;
      long now = System.nanoTime();
      if (!key.equals(last) || now - lastPrint > 500_000_000L) {
        String idle = "";
        if ("active".equals(st) && s.path("jobs").path("running").asInt(1) == 0 && s.path("jobs").path("queued").asInt(1) == 0
            && s.path("last_job_completed").isTextual()) {
          double left = s.path("interactive_ttl").asDouble()
              - JobRun.seconds(Instant.parse(s.path("last_job_completed").asText()), Instant.now());
          idle = Tour.f(" | idle: interactive TTL %.1f s left", Math.max(0, left));
        }
        t.progress(Tour.f("session %s | job %s | active_ttl %.1f s | elapsed_time %s%s", st, job,
            s.path("active_ttl").asDouble(), Fmt.s(s.path("elapsed_time").asDouble()), idle));
        last = key;
        lastPrint = now;
      }
      if (state.equals(st)) {
        return s;
      }
      if (now > deadline) {
        throw new java.util.concurrent.TimeoutException("session " + id + " not " + state + " after " + t.timeout.toSeconds() + " s");
      }
      Thread.sleep(Tour.POLL.toMillis());
    }
  }

  /** The {@code n}-th (0-based) time the session entered {@code status}, from its timestamps. */
  static Instant stateTime(JsonNode session, String status, int n) {
    int seen = 0;
    for (JsonNode x : session.path("timestamps")) {
      if (status.equals(x.path("status").asText()) && seen++ == n) {
        return Instant.parse(x.path("timestamp").asText());
      }
    }
    return null;
  }
}
