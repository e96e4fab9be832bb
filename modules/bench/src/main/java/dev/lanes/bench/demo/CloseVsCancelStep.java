package dev.lanes.bench.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Step 4, the FAQ's "What happens to my jobs if a session is closed?": two dedicated sessions with
 * more jobs than lanes, so some are queued. One is closed ({@code PATCH accepting_jobs=false},
 * {@code Session.close()}): its queued jobs still run and it closes when the last ends (R14). The
 * other is cancelled ({@code DELETE /sessions/{id}/close}, {@code Session.cancel()}): its queued
 * jobs end {@code Cancelled} without running, its running jobs finish (R15).
 */
public final class CloseVsCancelStep implements Step {
  static final int JOBS = 8;
  // Full scale (default timing): about 17 s on its lane, long beside the demo's requests.
  static final int JOB_CIRCUITS = 600;

  @Override
  public String name() {
    return "close vs cancel";
  }

  @Override
  public void run(Tour t) throws Exception {
    t.heading("4", "Close or cancel a session with queued jobs",
        "Session.close() (PATCH accepting_jobs=false): no new jobs, existing jobs run to completion;"
            + " Session.cancel() (DELETE /sessions/{id}/close): pending jobs are cancelled.");
    session(t, false);
    session(t, true);
  }

  private void session(Tour t, boolean cancel) throws Exception {
    String how = cancel ? "cancel (DELETE /sessions/{id}/close)" : "close (PATCH accepting_jobs=false)";
    t.out.println();
    t.say("-> a session with " + JOBS + " jobs on " + t.lanes + " lanes, then " + how + " while some are queued:");
    String id = t.api.openSession("dedicated", t.backend, null).path("id").asText();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) {
      ids.add(t.api.submit(t.body(1, JOB_CIRCUITS, 2, 2, 1, id)));
    }
    Tour.Group g = new Tour.Group(cancel ? "cancelled session" : "closed session", ids, t.api);
    Tour.Snapshot before = t.watch(List.of(g), s -> s.count(g, "Running") == Math.min(t.lanes, JOBS) || s.allFinal(List.of(g)));
    long queued = before.count(g, "Queued");
    if (cancel) {
      t.api.cancelSession(id);
    } else {
      t.api.closeSession(id);
    }
    t.progress(how + " sent with " + queued + " job(s) queued");
    t.watchToEnd(List.of(g));
    JsonNode closed = t.awaitSession(id, s -> "closed".equals(s.path("state").asText()));
    List<JobRun> runs = t.runs(g, null);

    List<String> problems = new ArrayList<>();
    long completed = runs.stream().filter(r -> "Completed".equals(r.status())).count();
    long cancelled = runs.stream().filter(r -> "Cancelled".equals(r.status())).count();
    for (JobRun r : runs) {
      boolean fine = cancel
          ? (r.ran() && "Completed".equals(r.status())) || (!r.ran() && "Cancelled".equals(r.status()) && r.quantumSeconds() == 0)
          : "Completed".equals(r.status());
      if (!fine) {
        problems.add("job " + r.label() + " ended " + r.status() + (r.ran() ? " after running" : " without running"));
      }
    }
    if (queued == 0) {
      problems.add("no job was queued when the session was " + (cancel ? "cancelled" : "closed") + ": nothing shown");
    } else if (cancel && cancelled == 0) {
      problems.add("no queued job was cancelled (R15)");
    }
    Instant closedAt = Instant.parse(closed.path("closed_at").asText());
    Instant lastEnd = runs.stream().map(JobRun::finished).filter(x -> x != null).max(Comparator.naturalOrder()).orElse(closedAt);
    Instant firstStart = runs.stream().map(JobRun::running).filter(x -> x != null).min(Comparator.naturalOrder()).orElse(closedAt);
    double lag = JobRun.seconds(lastEnd, closedAt);
    // R14: no interactive-TTL wait; a second is far below the TTL and far above a slow machine's lag
    if (!cancel && (lag < -0.1 || lag > 1.0)) {
      problems.add(Tour.f("closed %.2f s after its last job ended (R14: as soon as it has none left)", lag));
    }
    double elapsed = closed.path("elapsed_time").asDouble();
    t.charge(elapsed);
    double time = JobRun.seconds(firstStart, lastEnd);
    t.progress(Tour.f("session closed; jobs: %d Completed, %d Cancelled; charged %s wall-clock", completed, cancelled, Fmt.s(elapsed)));
    String outcome = problems.isEmpty()
        ? (cancel
            ? Tour.f("%d running Completed, %d queued Cancelled unrun, 0 charged (R15)", completed, cancelled)
            : Tour.f("all %d Completed, the %d queued too; closed with the last (R14)", completed, queued))
        : String.join("; ", problems);
    t.result(new StepResult("4", (cancel ? "cancel" : "close") + " a session: " + JOBS + " jobs, " + queued + " queued",
        Fmt.s(time) + Fmt.fullShort(t.scale, time), Fmt.s(elapsed) + " wall-clock", outcome, problems.isEmpty()));
  }
}
