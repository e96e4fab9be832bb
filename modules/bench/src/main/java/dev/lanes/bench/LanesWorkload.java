package dev.lanes.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.client.LanesApi;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Lane dispatch: {@code jobs} jobs that each hold a lane for their classical pre-processing
 * (50 ms in config/bench.conf) and use ~0 quantum time, on one backend of 5 lanes. All are
 * submitted, the driver waits until none is pending, then reads every job's metrics:
 * makespan = last finished − first running; utilisation = Σ(finished − running) / (lanes ×
 * makespan); dispatch gap = on each lane, next job's running − previous job's finished.
 */
final class LanesWorkload {
  private LanesWorkload() {}

  /** One job's run as its metrics tell it (server clock, millisecond precision). */
  record Run(String id, int lane, Instant created, Instant running, Instant finished, Instant qpuStarted,
      Instant qpuFinished) {}

  static Report run(List<LanesApi> clients, String backend, int jobs, int warmup, boolean prefill, Duration timeout)
      throws InterruptedException {
    LanesApi api = clients.get(0);
    JsonNode conf = api.backendConfiguration(backend);
    int lanes = conf.path("lanes").asInt(5);
    JsonNode t = conf.path("timing");
    // The descriptor below: 1 circuit of 2 qubits x depth 1, 1 shot.
    double prep = t.path("prep_per_circuit_seconds").asDouble();
    double perJob = prep + t.path("post_per_circuit_seconds").asDouble();
    double quantum = t.path("job_overhead_seconds").asDouble() + 2 * t.path("job_overhead_per_qubit_layer_seconds").asDouble()
        + t.path("shot_time_seconds").asDouble() + t.path("layer_time_seconds").asDouble();
    double ideal = Math.max(Math.ceil(jobs / (double) lanes) * (perJob + quantum), jobs * quantum + perJob);

    Report r = new Report("lanes", "lanes: dispatch on backend " + backend + " (" + lanes + " lanes, "
        + fmt(perJob * 1000) + " ms classical + " + fmt(quantum * 1000) + " ms quantum per job)");
    JsonNode device = ServerView.device(api, backend);
    if (device.path("queue_length").asInt(0) != 0 || device.path("lanes_busy").asInt(0) != 0) {
      r.note("backend was not idle at the start: queue_length " + device.path("queue_length").asInt()
          + ", lanes_busy " + device.path("lanes_busy").asInt());
    }

    if (warmup > 0) {
      // Unmeasured: the same jobs run once through the whole path (submit, start, phases, end)
      // so that the measured ones meet compiled code, not the JIT at work.
      Submitter.submit(clients, warmup, SubmitWorkload.body(backend), timeout);
      ServerView.awaitIdle(api, backend, timeout, Duration.ofMillis(100));
      r.add("warmup_jobs", "warm-up jobs run first (not measured)", warmup, "");
    }
    if (prefill) {
      // Queue everything first, so the dispatch is measured without submits competing with it.
      api.setBackendStatus(backend, "paused");
    }
    Submitter.Result s;
    try {
      s = Submitter.submit(clients, jobs, SubmitWorkload.body(backend), timeout);
    } finally {
      if (prefill) {
        api.setBackendStatus(backend, "online");
      }
    }
    List<String> ids = Arrays.stream(s.ids()).filter(Objects::nonNull).toList();
    long waited = ServerView.awaitIdle(api, backend, timeout, Duration.ofMillis(100));
    long afterSubmit = waited < 0 ? -1 : waited;

    List<JsonNode> metrics = Submitter.forEach(clients, ids, LanesApi::metrics, timeout);
    List<Run> runs = new ArrayList<>();
    int unreadable = 0;
    for (int i = 0; i < ids.size(); i++) {
      JsonNode m = metrics.get(i);
      Instant running = m == null ? null : time(m.path("timestamps").path("running"));
      Instant finished = m == null ? null : time(m.path("timestamps").path("finished"));
      if (running == null || finished == null || !m.path("lane").canConvertToInt()) {
        unreadable++;
        continue;
      }
      runs.add(new Run(ids.get(i), m.path("lane").asInt(), time(m.path("timestamps").path("created")), running, finished,
          time(m.path("qpu").path("started")), time(m.path("qpu").path("finished"))));
    }
    Map<String, Integer> statuses = ServerView.statuses(api, backend, ids);

    r.add("backend", "backend", backend, "");
    r.add("lanes", "lanes", lanes, "");
    r.add("jobs", "jobs submitted", jobs, "");
    r.add("accepted", "accepted (200)", s.accepted(), "");
    if (!s.errors().isEmpty()) {
      r.add("rejected", "not accepted", s.errors(), "");
      r.note("first submit error: " + s.firstError());
    }
    r.add("prefilled", "submitted while paused (--prefill)", prefill, "");
    r.add("submit_seconds", "submit phase (" + clients.size() + " clients)", Latency.round(s.wallNanos() / 1e9), "s");
    r.add("wait_after_submit_seconds", "pending → 0 after submit phase",
        afterSubmit < 0 ? null : Latency.round(afterSubmit / 1e9), afterSubmit < 0 ? "(timed out)" : "s");
    r.add("final_statuses", "final statuses", statuses, "");
    r.add("runs_measured", "jobs with running+finished+lane", runs.size(), "");
    if (unreadable > 0) {
      r.note(unreadable + " job(s) had no complete metrics (never ran, or metrics unreadable)");
    }
    if (runs.isEmpty()) {
      return r;
    }

    Instant first = runs.stream().map(Run::running).min(Instant::compareTo).orElseThrow();
    Instant last = runs.stream().map(Run::finished).max(Instant::compareTo).orElseThrow();
    double makespan = Duration.between(first, last).toNanos() / 1e9;
    double busy = runs.stream().mapToDouble(x -> Duration.between(x.running(), x.finished()).toNanos() / 1e9).sum();
    double utilisation = makespan > 0 ? busy / (lanes * makespan) : Double.NaN;

    Histogram hold = Latency.histogram();
    runs.forEach(x -> hold.recordValue(Math.max(0, micros(x.running(), x.finished()))));
    // What the lanes were asked to do (the timing model), against what they took.
    double nominal = runs.size() * (perJob + quantum);
    double usefulUtilisation = makespan > 0 ? nominal / (lanes * makespan) : Double.NaN;
    Histogram cycle = Latency.histogram();

    // Per lane, in start order: the idle time between one job's finish and the next one's start.
    Map<Integer, List<Run>> byLane = new TreeMap<>();
    runs.forEach(x -> byLane.computeIfAbsent(x.lane(), k -> new ArrayList<>()).add(x));
    Instant[] created = runs.stream().map(Run::created).filter(Objects::nonNull).sorted().toArray(Instant[]::new);
    Instant[] started = runs.stream().map(Run::running).sorted().toArray(Instant[]::new);
    Histogram gaps = Latency.histogram();
    Histogram gapsBacklogged = Latency.histogram();
    int negative = 0;
    int starved = 0;
    long overlaps = 0;
    Map<String, Integer> perLane = new TreeMap<>();
    for (var e : byLane.entrySet()) {
      List<Run> l = e.getValue();
      l.sort((a, b) -> a.running().compareTo(b.running()));
      perLane.put("lane " + e.getKey(), l.size());
      for (int i = 1; i < l.size(); i++) {
        cycle.recordValue(Math.max(0, micros(l.get(i - 1).running(), l.get(i).running())));
        long gap = micros(l.get(i - 1).finished(), l.get(i).running());
        if (gap < 0) {
          negative++;
          if (l.get(i).running().isBefore(l.get(i - 1).finished().minusMillis(5))) {
            overlaps++;
          }
        }
        gaps.recordValue(Math.max(0, gap));
        // Was any job of this workload waiting when the lane freed? If not, the gap is the
        // workload's (queue empty), not the dispatcher's.
        Instant free = l.get(i - 1).finished();
        if (countAtOrBefore(created, free) - countAtOrBefore(started, free) > 0) {
          gapsBacklogged.recordValue(Math.max(0, gap));
        } else {
          starved++;
        }
      }
    }

    r.add("first_running", "first running", first.toString(), "");
    r.add("last_finished", "last finished", last.toString(), "");
    r.add("makespan_seconds", "makespan", Latency.round(makespan), "s");
    r.add("ideal_makespan_seconds", "ideal makespan", Latency.round(ideal), "s");
    r.add("makespan_over_ideal", "makespan / ideal", Latency.round(makespan / ideal), "");
    r.add("throughput_jobs_per_second", "jobs / makespan", Latency.round(runs.size() / makespan), "jobs/s");
    r.add("utilisation", "lane utilisation Σ(fin−run)/(lanes×makespan)", Latency.round(utilisation), "");
    r.add("useful_utilisation", "useful utilisation (timing-model work)/(lanes×makespan)",
        Latency.round(usefulUtilisation), "");
    r.add("lane_hold_ms", "lane hold per job (finished − running)", Latency.summary(hold));
    r.add("lane_cycle_ms", "lane cycle (start → next start on the lane)", Latency.summary(cycle));
    // Where the hold goes: running → qpu.started is the Start write, the Go reply and the
    // pre-processing; qpu.finished → finished is post-processing and the report to the job.
    Histogram toQpu = Latency.histogram();
    Histogram onQpu = Latency.histogram();
    Histogram afterQpu = Latency.histogram();
    for (Run x : runs) {
      if (x.qpuStarted() != null && x.qpuFinished() != null) {
        toQpu.recordValue(Math.max(0, micros(x.running(), x.qpuStarted()) - (long) (prep * 1e6)));
        onQpu.recordValue(Math.max(0, micros(x.qpuStarted(), x.qpuFinished())));
        afterQpu.recordValue(Math.max(0, micros(x.qpuFinished(), x.finished())));
      }
    }
    r.add("running_to_qpu_minus_prep_ms", "running → qpu.started, minus " + fmt(prep * 1000) + " ms prep",
        Latency.summary(toQpu));
    r.add("qpu_ms", "qpu.started → qpu.finished", Latency.summary(onQpu));
    r.add("qpu_to_finished_ms", "qpu.finished → finished", Latency.summary(afterQpu));
    r.add("dispatch_gap_ms", "dispatch gap per lane (all)", Latency.summary(gaps));
    r.add("dispatch_gap_backlogged_ms", "dispatch gap while jobs were queued", Latency.summary(gapsBacklogged));
    r.add("gaps_with_empty_queue", "gaps with no job queued", starved, "");
    r.add("negative_gaps", "gaps < 0 (clamped to 0)", negative, "");
    r.add("jobs_per_lane", "jobs per lane", perLane, "");
    if (negative > 0) {
      r.note(negative + " gap(s) < 0" + (overlaps > 0 ? " (" + overlaps + " by more than 5 ms)" : "")
          + ": the next job's running precedes the previous job's finished. The arbiter hands the lane on and"
          + " sends Finish to the previous job at the same moment; finished is stamped when that job handles"
          + " it, so the order of the two stamps is a race, not two jobs on one lane");
    }
    r.note("timestamps are the server's, millisecond precision; running = when the lane took the job,"
        + " finished = when the lane was done with it");
    return r;
  }

  private static int countAtOrBefore(Instant[] sorted, Instant t) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (!sorted[mid].isAfter(t)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static long micros(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1000;
  }

  private static Instant time(JsonNode n) {
    return n == null || !n.isTextual() ? null : Instant.parse(n.textValue());
  }

  private static String fmt(double ms) {
    return ms == Math.rint(ms) ? Long.toString((long) ms) : String.format(java.util.Locale.ROOT, "%.3f", ms);
  }
}
