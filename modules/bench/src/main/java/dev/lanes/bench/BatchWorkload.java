package dev.lanes.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.bench.LanesWorkload.Run;
import dev.lanes.client.LanesApi;
import dev.lanes.client.LanesApiException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Batch fill (R5b, R19): how soon a lane that frees goes to the next queued job of an active
 * batch. Each round, with the backend paused (so the queue order is exactly the submit order):
 * {@code 4 × lanes} job-mode fillers, the batch's first job, {@code 4 × lanes} more fillers, then
 * the batch's other {@code batchJobs − 1} jobs; then the backend is resumed. The first batch job
 * waits behind the first fillers (R6); when it starts the batch is active and its other jobs go
 * ahead of the second fillers, so from then on every lane that frees should take a batch job.
 *
 * <p>Fill gap, on the server's timestamps only: for each job that finished on lane L after the
 * batch became active while one of its jobs was still queued, the next {@code running} on lane
 * L minus that {@code finished}. A lane that went to a filler instead, or stayed idle, then is
 * counted, not measured: either is a scheduling fault, not a latency.
 */
final class BatchWorkload {
  private BatchWorkload() {}

  /** Fillers before and after the batch's first job, in lanes: a backlog on every lane. */
  static final int FILLERS_PER_LANE = 4;

  static Report run(List<LanesApi> clients, String backend, int batches, int batchJobs, Duration timeout)
      throws InterruptedException {
    LanesApi api = clients.get(0);
    int lanes = api.backendConfiguration(backend).path("lanes").asInt(5);
    int fillers = FILLERS_PER_LANE * lanes;
    String body = SubmitWorkload.body(backend);
    Report r = new Report("batch", "batch: lane fill by an active batch on backend " + backend + " (" + lanes
        + " lanes, " + fillers + " job-mode fillers before and after the batch's first job)");
    Duration step = timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10);

    Submits s = new Submits();
    List<String> problems = new ArrayList<>();
    Map<String, Integer> notActive = new TreeMap<>();
    Map<String, Integer> notClosed = new TreeMap<>();
    List<Round> rounds = new ArrayList<>();
    boolean paused = true;
    long t0 = System.nanoTime();
    for (int b = 0; b < batches; b++) {
      ServerView.awaitIdle(api, backend, timeout, Duration.ofMillis(50)); // each round on an idle backend
      if (paused) {
        String why = ServerView.tryPause(api, backend);
        if (why != null) {
          // Not an admin token: the submits race the dispatch, so the first batch job may find
          // a shorter queue; the fill figures stay valid.
          paused = false;
          r.note("could not pause the backend (" + why + "); submitted while it ran");
        }
      }
      JsonNode opened = api.openSession("batch", backend, null);
      String bid = opened.path("id").asText();
      List<String> before = new ArrayList<>();
      List<String> after = new ArrayList<>();
      List<String> batch = new ArrayList<>();
      try {
        for (int k = 0; k < fillers; k++) {
          before.add(s.submit(api, null, body));
        }
        batch.add(s.submit(api, bid, body));
        for (int k = 0; k < fillers; k++) {
          after.add(s.submit(api, null, body));
        }
        for (int k = 1; k < batchJobs; k++) {
          batch.add(s.submit(api, bid, body));
        }
      } finally {
        if (paused) {
          api.setBackendStatus(backend, "online");
        }
      }
      // Close the batch the way a client does once it has submitted everything (R14, R22), but
      // only after it is active: a close before the first start is another case than measured here.
      JsonNode seen = ServerView.awaitSession(api, bid, Set.of("active", "inactive", "closed"), step,
          Duration.ofMillis(10));
      if (!"active".equals(seen.path("state").asText())) {
        notActive.merge(seen.path("state").asText(), 1, Integer::sum);
      }
      SessionWorkload.awaitFinal(api, batch, timeout);
      JsonNode closed = SessionWorkload.closeAndAwait(api, bid, step, problems);
      if (!"closed".equals(closed.path("state").asText())) {
        notClosed.merge(closed.path("state").asText(), 1, Integer::sum);
        quietly(() -> api.cancelSession(bid), problems, "DELETE /sessions/" + bid + "/close");
      }
      rounds.add(new Round(bid, before, batch, after));
    }
    long drained = ServerView.awaitIdle(api, backend, timeout, Duration.ofMillis(100));
    double wall = (System.nanoTime() - t0) / 1e9;

    Map<String, Run> runs = Runs.read(clients, s.ids, timeout);
    Histogram fill = Latency.histogram();
    Histogram activation = Latency.histogram();
    int toOthers = 0;
    int idle = 0;
    int negative = 0;
    int overtaken = 0;
    int jumped = 0;
    int unmeasured = 0;
    String firstToOther = null;
    for (Round round : rounds) {
      List<Run> roundRuns = new ArrayList<>();
      for (String id : round.all()) {
        Run x = runs.get(id);
        if (x != null) {
          roundRuns.add(x);
        }
      }
      Run first = runs.get(round.batch().get(0));
      Set<String> batchIds = new HashSet<>(round.batch());
      List<Run> batchRuns = roundRuns.stream().filter(x -> batchIds.contains(x.id())).toList();
      if (first == null || batchRuns.size() < round.batch().size()) {
        unmeasured++;
        continue;
      }
      // Its activation, as for a session: from the head of the queue with a lane free to running.
      Instant head = round.before().stream().map(runs::get).filter(Objects::nonNull).map(Run::running)
          .max(Instant::compareTo).filter(t -> t.isAfter(first.created())).orElse(first.created());
      long a = SessionWorkload.eligibleToRunning(roundRuns, lanes, head, first);
      if (a < 0) {
        negative++;
      }
      activation.recordValue(Math.max(0, a));
      // R6: the batch's first job waited behind the fillers submitted before it.
      overtaken += (int) round.before().stream().map(runs::get).filter(Objects::nonNull)
          .filter(x -> x.running().isAfter(first.running())).count();
      Instant active = batchRuns.stream().map(Run::running).min(Instant::compareTo).orElseThrow();
      Instant lastStart = batchRuns.stream().map(Run::running).max(Instant::compareTo).orElseThrow();
      // R5b: the fillers submitted after the first batch job but before the rest must not start
      // while batch jobs are queued.
      jumped += (int) round.after().stream().map(runs::get).filter(Objects::nonNull)
          .filter(x -> x.running().isAfter(active) && x.running().isBefore(lastStart)).count();

      Map<Integer, List<Run>> byLane = new TreeMap<>();
      roundRuns.forEach(x -> byLane.computeIfAbsent(x.lane(), k -> new ArrayList<>()).add(x));
      for (List<Run> lane : byLane.values()) {
        lane.sort((x, y) -> x.running().compareTo(y.running()));
        for (int i = 0; i < lane.size(); i++) {
          Run freed = lane.get(i);
          Run next = i + 1 < lane.size() ? lane.get(i + 1) : null;
          Instant f = freed.finished();
          boolean nextIsBatch = next != null && batchIds.contains(next.id());
          // A batch job was still queued when the lane freed: one started after f, or the one
          // that took this lane (its running may be stamped just before f: the hand-over race).
          boolean batchQueued = nextIsBatch || batchRuns.stream().anyMatch(x -> x.running().isAfter(f));
          if (f.isBefore(active) || !batchQueued) {
            continue;
          }
          if (nextIsBatch) {
            long gap = Runs.micros(f, next.running());
            if (gap < 0) {
              negative++;
            }
            fill.recordValue(Math.max(0, gap));
          } else if (next != null && next.running().isAfter(active)) {
            toOthers++;
            if (firstToOther == null) {
              firstToOther = "lane " + freed.lane() + " freed at " + f + " went to job " + next.id() + " (not in batch "
                  + round.batchId() + ") at " + next.running() + " while a batch job was queued";
            }
          } else if (next == null) {
            idle++;
          }
        }
      }
    }

    r.add("backend", "backend", backend, "");
    r.add("lanes", "lanes", lanes, "");
    r.add("batches", "batches", batches, "");
    r.add("jobs_per_batch", "jobs per batch", batchJobs, "");
    r.add("fillers_per_batch", "job-mode fillers per batch (before + after its first job)", 2 * fillers, "");
    r.add("jobs", "jobs submitted", s.accepted() + s.errors.values().stream().mapToInt(Integer::intValue).sum(), "");
    r.add("accepted", "accepted (200)", s.accepted(), "");
    if (!s.errors.isEmpty()) {
      r.add("rejected", "not accepted", s.errors, "");
      r.note("first submit error: " + s.firstError);
    }
    r.add("prefilled", "submitted while paused", paused, "");
    r.add("wall_seconds", "workload wall time", Latency.round(wall), "s");
    r.add("wait_after_last_batch_seconds", "pending → 0 after the last batch",
        drained < 0 ? null : Latency.round(drained / 1e9), drained < 0 ? "(timed out)" : "s");
    r.add("final_statuses", "final statuses", ServerView.statuses(api, backend, s.ids), "");
    r.add("activation_ms", "activation: head of queue + lane free → first batch job running",
        Latency.summary(activation));
    r.add("fill_gap_ms", "fill: lane freed → next batch job running on it", Latency.summary(fill));
    r.add("fill_count", "lane-free events measured", fill.getTotalCount(), "");
    r.add("lanes_to_other_jobs", "lanes given to a non-batch job while batch jobs were queued", toOthers, "");
    r.add("lanes_left_idle", "lanes left idle while batch jobs were queued", idle, "");
    r.add("later_fillers_started_before_batch_end",
        "fillers submitted after the first batch job that started before its last job", jumped, "");
    r.add("earlier_fillers_started_after_first", "fillers submitted before the first batch job that started after it",
        overtaken, "");
    r.add("batches_not_active", "batches not active after their first job (state seen)", notActive, "");
    r.add("batches_not_closed", "batches not closed after PATCH (state seen)", notClosed, "");
    r.add("negative_gaps", "gaps or activations < 0 (clamped to 0)", negative, "");
    if (firstToOther != null) {
      r.note("R5b: " + firstToOther);
    }
    if (!problems.isEmpty()) {
      r.note(problems.size() + " close call(s) failed; first: " + problems.get(0));
    }
    if (unmeasured > 0) {
      r.note(unmeasured + " batch(es) had a job without complete metrics: not measured");
    }
    r.note("timestamps are the server's (ms precision); a gap < 0 is the lane hand-over race: the next job's"
        + " running is stamped before the previous job's finished");
    return r;
  }

  private record Round(String batchId, List<String> before, List<String> batch, List<String> after) {
    List<String> all() {
      List<String> ids = new ArrayList<>();
      for (List<String> l : List.of(before, batch, after)) {
        l.stream().filter(Objects::nonNull).forEach(ids::add);
      }
      return ids;
    }
  }

  /** Runs a call whose failure is a finding to report, not a reason to stop. */
  static void quietly(Runnable call, List<String> problems, String what) {
    try {
      call.run();
    } catch (LanesApiException e) {
      problems.add(what + ": HTTP " + e.status() + ": " + e.getMessage());
    }
  }
}
