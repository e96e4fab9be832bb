package dev.lanes.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.bench.LanesWorkload.Run;
import dev.lanes.client.LanesApi;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * Dedicated-session activation (R6, R10, R17), one session after another on a backend whose
 * queue is kept busy with job-mode "fillers":
 *
 * <ol>
 *   <li>pause the backend, open a dedicated session, submit {@code 3 × lanes} fillers, then the
 *       session's first job, and resume: it waits in the normal queue behind them (R6);</li>
 *   <li>once the session is {@code active}, submit {@code sessionJobs} more jobs to it;</li>
 *   <li>when they are final, close the session (PATCH accepting_jobs=false, R14) and wait for
 *       {@code closed}: the backend is released and the next session starts.</li>
 * </ol>
 *
 * <p>Activation latency is measured on the server's timestamps only: from the moment the first
 * job was eligible to start — every job submitted before it had started (it was at the head of
 * the queue) and a lane was free — to its {@code running}. "Eligible" is the later of the last
 * {@code running} among the jobs submitted before it and the first moment after that when fewer
 * jobs than lanes held a lane ({@link Runs#firstFree}); usually the {@code finished} of the job
 * whose lane it took. Jobs submitted to the active session are measured the same way (queue head
 * = their own session's earlier jobs, since nobody else may start), and also plainly as
 * created → running, which includes waiting for lanes still held by fillers that started before
 * the hold. The fillers' own dispatch, measured the same way, is the job-mode figure to compare.
 */
final class SessionWorkload {
  private SessionWorkload() {}

  /** Fillers per session, in lanes: enough to keep the queue non-empty while the driver submits. */
  static final int FILLERS_PER_LANE = 3;

  private record Trial(String sessionId, List<String> fillers, String first, List<String> later, JsonNode closed) {}

  static Report run(List<LanesApi> clients, String backend, int sessions, int sessionJobs, Duration timeout)
      throws InterruptedException {
    LanesApi api = clients.get(0);
    int lanes = api.backendConfiguration(backend).path("lanes").asInt(5);
    int fillers = FILLERS_PER_LANE * lanes;
    String body = SubmitWorkload.body(backend);
    Report r = new Report("sessions", "sessions: dedicated-session activation on backend " + backend + " ("
        + lanes + " lanes, " + fillers + " job-mode fillers queued ahead of each session)");

    Submits s = new Submits();
    List<Trial> trials = new ArrayList<>();
    Map<String, Integer> notActive = new LinkedHashMap<>();
    Map<String, Integer> notClosed = new LinkedHashMap<>();
    List<String> closeErrors = new ArrayList<>();
    // Each session takes well under a second: a state not reached within this is a finding, and
    // waiting the whole --timeout for every session would stall the run.
    Duration step = timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10);
    boolean paused = true;
    long t0 = System.nanoTime();
    for (int i = 0; i < sessions; i++) {
      if (paused) {
        String why = ServerView.tryPause(api, backend);
        if (why != null) {
          // Not an admin token: the fillers may start as fast as they are submitted, and the
          // first session job find a short queue (queued_ahead_at_submit tells).
          paused = false;
          r.note("could not pause the backend (" + why + "); submitted while it ran");
        }
      }
      JsonNode opened = api.openSession("dedicated", backend, null);
      String sid = opened.path("id").asText();
      List<String> f = new ArrayList<>();
      String first;
      try {
        // Paused, so the queue is exactly these fillers, then the session's job, however slow
        // the submits are (each is a durable write: on 2 cores they outlast a 50 ms job).
        for (int k = 0; k < fillers; k++) {
          f.add(s.submit(api, null, body));
        }
        first = s.submit(api, sid, body);
      } finally {
        if (paused) {
          api.setBackendStatus(backend, "online");
        }
      }
      // The driver's own wait: it only decides when to submit the next jobs, it is not measured.
      String activeState = first == null ? "first job refused" : ServerView.awaitSession(api, sid,
          Set.of("active", "inactive", "closed"), step, Duration.ofMillis(5)).path("state").asText();
      List<String> later = new ArrayList<>();
      if ("active".equals(activeState)) {
        for (int k = 0; k < sessionJobs; k++) {
          later.add(s.submit(api, sid, body));
        }
      } else {
        notActive.merge(activeState, 1, Integer::sum);
      }
      List<String> own = new ArrayList<>(later);
      own.add(first);
      awaitFinal(api, own, step);
      JsonNode closed = closeAndAwait(api, sid, step, closeErrors);
      if (!"closed".equals(closed.path("state").asText())) {
        notClosed.merge(closed.path("state").asText(), 1, Integer::sum);
        // Do not let a session that stays open hold the backend against the next ones.
        BatchWorkload.quietly(() -> api.cancelSession(sid), closeErrors, "DELETE /sessions/" + sid + "/close");
      }
      trials.add(new Trial(sid, f, first, later, closed));
    }
    long drained = ServerView.awaitIdle(api, backend, timeout, Duration.ofMillis(100));
    double wall = (System.nanoTime() - t0) / 1e9;

    Map<String, Run> runs = Runs.read(clients, s.ids, timeout);
    List<Run> all = new ArrayList<>(runs.values());

    Histogram activation = Latency.histogram();
    Histogram activeCreated = Latency.histogram();
    Histogram activeDispatch = Latency.histogram();
    Histogram ahead = Latency.histogram();
    Histogram fillerDispatch = Latency.histogram();
    int negative = 0;
    int overtaken = 0;
    int heldViolations = 0;
    int unmeasured = 0;
    long activatedAtSkewMax = 0;
    String firstHeldViolation = null;
    for (Trial t : trials) {
      Run first = runs.get(t.first());
      if (first == null) {
        unmeasured++;
        continue;
      }
      Set<String> own = new java.util.HashSet<>(t.later());
      own.add(t.first());
      // At the head: everything submitted before it has started.
      Instant head = first.created();
      int queuedAtSubmit = 0;
      for (Run x : all) {
        if (!own.contains(x.id()) && x.created().isBefore(first.created())) {
          if (x.running().isAfter(head)) {
            head = x.running();
          }
          if (x.running().isAfter(first.created())) {
            queuedAtSubmit++;
          }
          if (x.running().isAfter(first.running())) {
            overtaken++; // submitted earlier, started later: the session's job jumped the normal queue
          }
        }
      }
      ahead.recordValue(queuedAtSubmit);
      fillerBaseline(runs, all, lanes, t.fillers(), fillerDispatch);
      long a = eligibleToRunning(all, lanes, head, first);
      if (a < 0) {
        negative++;
      }
      activation.recordValue(Math.max(0, a));

      // While the session holds the backend nobody else starts (R17): from its first start to closed_at.
      Instant closedAt = Runs.time(t.closed().path("closed_at"));
      Instant holdEnd = closedAt != null ? closedAt : first.finished();
      for (Run x : all) {
        if (!own.contains(x.id()) && x.running().isAfter(first.running()) && x.running().isBefore(holdEnd)) {
          heldViolations++;
          if (firstHeldViolation == null) {
            firstHeldViolation = "job " + x.id() + " started " + x.running() + " on lane " + x.lane() + " while session "
                + t.sessionId() + " held the backend (first job running " + first.running() + ", closed_at " + closedAt + ")";
          }
        }
      }
      Instant activatedAt = Runs.time(t.closed().path("activated_at"));
      if (activatedAt != null) {
        activatedAtSkewMax = Math.max(activatedAtSkewMax, Math.abs(Runs.micros(first.running(), activatedAt)));
      }

      for (String id : t.later()) {
        Run x = id == null ? null : runs.get(id);
        if (x == null) {
          unmeasured++;
          continue;
        }
        activeCreated.recordValue(Math.max(0, Runs.micros(x.created(), x.running())));
        Instant h = x.created();
        for (String o : own) {
          Run y = o == null ? null : runs.get(o);
          if (y != null && y.created().isBefore(x.created()) && y.running().isAfter(h)) {
            h = y.running();
          }
        }
        long d = eligibleToRunning(all, lanes, h, x);
        if (d < 0) {
          negative++;
        }
        activeDispatch.recordValue(Math.max(0, d));
      }
    }

    r.add("backend", "backend", backend, "");
    r.add("prefilled", "fillers and first session job submitted while paused", paused, "");
    r.add("lanes", "lanes", lanes, "");
    r.add("sessions", "dedicated sessions opened", sessions, "");
    r.add("jobs_per_session", "jobs per session (first + to the active session)", 1 + sessionJobs, "");
    r.add("fillers_per_session", "job-mode fillers submitted ahead of each session", fillers, "");
    r.add("jobs", "jobs submitted", s.accepted() + s.errors.values().stream().mapToInt(Integer::intValue).sum(), "");
    r.add("accepted", "accepted (200)", s.accepted(), "");
    if (!s.errors.isEmpty()) {
      r.add("rejected", "not accepted", s.errors, "");
      r.note("first submit error: " + s.firstError);
    }
    r.add("wall_seconds", "workload wall time", Latency.round(wall), "s");
    r.add("wait_after_last_session_seconds", "pending → 0 after the last session",
        drained < 0 ? null : Latency.round(drained / 1e9), drained < 0 ? "(timed out)" : "s");
    r.add("final_statuses", "final statuses", ServerView.statuses(api, backend, s.ids), "");
    r.add("queued_ahead_at_submit", "jobs still queued when the first session job was submitted",
        counts(ahead), "");
    r.add("activation_ms", "activation: head of queue + lane free → first job running", Latency.summary(activation));
    r.add("job_mode_dispatch_ms", "for comparison, fillers (job mode): eligible + lane free → running",
        Latency.summary(fillerDispatch));
    r.add("active_submit_ms", "job to an active session: created → running", Latency.summary(activeCreated));
    r.add("active_dispatch_ms", "job to an active session: eligible + lane free → running",
        Latency.summary(activeDispatch));
    r.add("activated_at_skew_ms", "max |session activated_at − first job running|",
        Latency.round(activatedAtSkewMax / 1000.0), "ms");
    r.add("sessions_not_active", "sessions not active after their first job (state seen)", notActive, "");
    r.add("sessions_not_closed", "sessions not closed after PATCH (state seen)", notClosed, "");
    r.add("other_jobs_started_during_hold", "other jobs started while a session held the backend", heldViolations, "");
    r.add("earlier_jobs_started_after_session", "jobs submitted before a session's first job that started after it",
        overtaken, "");
    r.add("negative_latencies", "latencies < 0 (clamped to 0)", negative, "");
    if (!closeErrors.isEmpty()) {
      r.note(closeErrors.size() + " close call(s) failed; first: " + closeErrors.get(0));
    }
    if (!notClosed.isEmpty()) {
      r.note("a session still open " + step.toSeconds() + " s after PATCH accepting_jobs=false with no job left"
          + " (R14 says it closes at once) was cancelled with DELETE …/close so the next could start");
    }
    if (unmeasured > 0) {
      r.note(unmeasured + " session job(s) had no complete metrics (refused, never ran, or metrics unreadable)");
    }
    if (firstHeldViolation != null) {
      r.note("R17: " + firstHeldViolation);
    }
    if (overtaken > 0) {
      r.note("a session's first job should wait in the normal queue like any job (R6): " + overtaken
          + " job(s) submitted before one started after it");
    }
    r.note("a job sent to an active session is stamped created when POST /jobs arrives, before the session's"
        + " JobAdded (which also creates the job) is written; it is in the queue only after that write, so its"
        + " created → running and eligible → running include it, where the fillers' figure (queued long"
        + " before) does not");
    r.note("eligible = every job submitted before it has started and fewer jobs than lanes hold a lane; all"
        + " figures are differences of the server's timestamps (ms precision), a < 0 one is the lane hand-over"
        + " race (next running stamped before previous finished)");
    return r;
  }

  /**
   * The same figure for job-mode jobs next to the sessions: each filler after the first
   * {@code lanes} (those start in the burst when the backend is resumed, and the resume has no
   * server timestamp) from the moment the one submitted before it had started and a lane was
   * free; like the session's first job, they wait for a lane to free.
   */
  private static void fillerBaseline(Map<String, Run> runs, List<Run> all, int lanes, List<String> fillers,
      Histogram into) {
    for (int i = lanes; i < fillers.size(); i++) {
      Run previous = fillers.get(i - 1) == null ? null : runs.get(fillers.get(i - 1));
      Run x = fillers.get(i) == null ? null : runs.get(fillers.get(i));
      if (previous != null && x != null) {
        Instant head = previous.running().isAfter(x.created()) ? previous.running() : x.created();
        into.recordValue(Math.max(0, eligibleToRunning(all, lanes, head, x)));
      }
    }
  }

  /** µs from when {@code job} could start (at the head from {@code head}, and a lane free) to its running. */
  static long eligibleToRunning(List<Run> all, int lanes, Instant head, Run job) {
    Instant from = head.isAfter(job.created()) ? head : job.created();
    Instant free = Runs.firstFree(all, lanes, from, job.running().plusSeconds(60), job.id());
    // none: the job took a lane whose previous holder's finished is stamped after its running (the
    // hand-over race), counted as a negative latency
    return free == null ? -1 : Runs.micros(free, job.running());
  }

  private static Map<String, Object> counts(Histogram h) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (h.getTotalCount() == 0) {
      return m;
    }
    m.put("min", h.getMinValue());
    m.put("p50", h.getValueAtPercentile(50));
    m.put("max", h.getMaxValue());
    return m;
  }

  /** PATCH accepting_jobs=false (R14), then the session object once closed (or as last seen). */
  static JsonNode closeAndAwait(LanesApi api, String sid, Duration limit, List<String> errors)
      throws InterruptedException {
    BatchWorkload.quietly(() -> api.closeSession(sid), errors, "PATCH /sessions/" + sid);
    return ServerView.awaitSession(api, sid, Set.of("closed"), limit, Duration.ofMillis(10));
  }

  static void awaitFinal(LanesApi api, List<String> ids, Duration timeout) {
    for (String id : ids) {
      if (id == null) {
        continue;
      }
      try {
        api.waitForFinal(id, timeout);
      } catch (TimeoutException e) {
        return; // reported through final_statuses
      }
    }
  }
}
