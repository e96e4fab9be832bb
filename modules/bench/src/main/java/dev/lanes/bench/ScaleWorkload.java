package dev.lanes.bench;

import dev.lanes.bench.LanesWorkload.Run;
import dev.lanes.client.LanesApi;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * W5: a very long queue on one node. On a paused zero-timing backend it queues max(1000, warm-up) jobs, probes
 * submit latency, fills the queue to {@code queued} jobs, probes again, reads the node's heap
 * after a full GC, then resumes the backend and reads how soon the oldest job runs and the gaps
 * between the first jobs on each lane (picking the next job with a million waiting).
 *
 * <p>A probe is {@code probe} submits from the plain keep-alive clients, each waiting for its
 * answer, so its latency is a submit's own and not time spent behind the filler's pipeline.
 */
final class ScaleWorkload {
  private ScaleWorkload() {}

  static Report run(List<LanesApi> clients, SubmitWorkload.Target target, int window, String backend, int queued,
      int probe, int warmup, Long serverPid, Duration timeout) throws InterruptedException {
    LanesApi api = clients.get(0);
    Report r = new Report("scale", "scale: " + queued + " jobs queued on one node (backend " + backend + ")");
    String paused = ServerView.tryPause(api, backend);
    if (paused != null) {
      r.add("rejected", "could not pause the backend", Map.of(paused, 1), "");
      return r;
    }
    String body = SubmitWorkload.body(backend);
    Map<String, Integer> errors = new TreeMap<>();
    // The first jobs queued warm the node up (JIT): both probes then measure a warm node.
    int first = Math.min(Math.max(1000, warmup), queued);
    Submitter.Result head = fill(target, window, clients.size(), first, body, timeout, errors);
    Submitter.submit(clients, probe, body, timeout); // the sequential clients' path warms up too
    int smallQueue = ServerView.pending(api, backend);
    Submitter.Result probeSmall = Submitter.submit(clients, probe, body, timeout);
    merge(errors, probeSmall.errors());
    long t0 = System.nanoTime();
    Submitter.Result rest = fill(target, window, clients.size(), Math.max(0, queued - first), body, timeout, errors);
    double fillSeconds = (System.nanoTime() - t0) / 1e9;
    int inQueue = ServerView.pending(api, backend);
    Submitter.Result probeLarge = Submitter.submit(clients, probe, body, timeout);
    merge(errors, probeLarge.errors());

    r.add("backend", "backend", backend, "");
    r.add("queued", "jobs queued when probed and resumed", inQueue, "");
    r.add("fill_jobs_per_second", "filling the queue (pipelined, " + window + " in flight per client)",
        Latency.round(rest.accepted() / fillSeconds), "jobs/s");
    Latency.Summary small = Latency.summary(probeSmall.latencyMicros());
    Latency.Summary large = Latency.summary(probeLarge.latencyMicros());
    r.add("queued_at_small_probe", "jobs queued at the first probe", smallQueue, "");
    r.add("submit_latency_small_queue_ms", "submit latency, " + smallQueue + " queued", small);
    r.add("submit_latency_full_queue_ms", "submit latency, " + inQueue + " queued", large);
    r.add("submit_p99_ratio", "submit p99, full queue / small queue", Latency.round(large.p99() / small.p99()), "×");
    Long heap = serverPid == null ? null : heapAfterGc(serverPid);
    r.add("heap_after_gc_mib", "node heap used after a full GC", heap == null ? null : heap / 1024, "MiB");
    if (serverPid == null) {
      r.note("no --server-pid: heap not read");
    }

    // Picking the next job with the whole queue waiting: resume, then read the oldest jobs' runs.
    Instant resumed = Instant.now();
    api.setBackendStatus(backend, "online");
    List<String> oldest = Arrays.stream(head.ids()).filter(Objects::nonNull).limit(500).toList();
    Map<String, Run> runs = awaitRuns(clients, oldest, timeout);
    api.setBackendStatus(backend, "paused"); // the rest stay queued: this workload measures, it does not drain
    Instant firstRunning = runs.values().stream().map(Run::running).min(Comparator.naturalOrder()).orElse(null);
    r.add("resume_to_first_running_ms", "resume → oldest job Running (driver clock → server clock)",
        firstRunning == null ? null : Latency.round(Runs.micros(resumed, firstRunning) / 1000.0), "ms");
    r.add("dispatch_gap_ms", "dispatch gap per lane, first " + runs.size() + " jobs", gaps(runs.values()));
    r.add("rejected", "not accepted", errors, "");
    return r;
  }

  private static Submitter.Result fill(SubmitWorkload.Target target, int window, int clients, int jobs, String body,
      Duration timeout, Map<String, Integer> errors) throws InterruptedException {
    Submitter.Result s = Submitter.submitPipelined(target.base(), target.token(), target.instance(), clients, window,
        jobs, body, timeout);
    merge(errors, s.errors());
    return s;
  }

  private static void merge(Map<String, Integer> into, Map<String, Integer> from) {
    from.forEach((k, v) -> into.merge(k, v, Integer::sum));
  }

  private static Map<String, Run> awaitRuns(List<LanesApi> clients, List<String> ids, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, Run> runs = Runs.read(clients, ids, timeout);
    while (runs.size() < ids.size() && System.nanoTime() < deadline) {
      Thread.sleep(200);
      runs = Runs.read(clients, ids, timeout);
    }
    return runs;
  }

  private static Latency.Summary gaps(java.util.Collection<Run> runs) {
    Map<Integer, List<Run>> byLane = new TreeMap<>();
    runs.forEach(x -> byLane.computeIfAbsent(x.lane(), k -> new ArrayList<>()).add(x));
    Histogram h = Latency.histogram();
    for (List<Run> l : byLane.values()) {
      l.sort(Comparator.comparing(Run::running));
      for (int i = 1; i < l.size(); i++) {
        h.recordValue(Math.max(0, Runs.micros(l.get(i - 1).finished(), l.get(i).running())));
      }
    }
    return Latency.summary(h);
  }

  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  /** KiB of heap in use after {@code jcmd GC.run}, from {@code jcmd GC.heap_info}; null if unreadable. */
  static Long heapAfterGc(long pid) {
    try {
      jcmd(pid, "GC.run");
      String info = jcmd(pid, "GC.heap_info");
      Matcher m = USED.matcher(info);
      return m.find() ? Long.parseLong(m.group(1)) : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String jcmd(long pid, String command) throws IOException {
    Process p = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
