package dev.lanes.bench;

import dev.lanes.client.LanesApi;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Accepted jobs per second over HTTP: {@code jobs} POST /jobs from {@code clients} concurrent
 * keep-alive clients, each keeping up to {@code window} requests in flight on its connection
 * (HTTP/1.1 pipelining; 1 = wait for each answer), each job a one-circuit descriptor PUB with 1 shot,
 * on a backend paused meanwhile (admin token), so the figure is the cost of accepting jobs. Throughput is accepted jobs
 * over the wall time of the submit phase; latency is per POST. The jobs go to a backend with zero
 * timing ({@code bench_submit} in config/bench.conf) so they finish as soon as they start; after
 * the measurement the driver waits for them to drain and reports how long that took.
 */
final class SubmitWorkload {
  private SubmitWorkload() {}

  static String body(String backend) {
    return "{\"program_id\":\"sampler\",\"backend\":\"" + backend + "\",\"params\":{\"pubs\":[{\"circuit\":"
        + "{\"num_qubits\":2,\"depth\":1},\"shots\":1}]}}";
  }

  /** Where and as whom the pipelined connections post. */
  record Target(java.net.URI base, String token, String instance) {}

  static Report run(List<LanesApi> clients, Target target, int window, String backend, String warmupBackend,
      int jobs, int warmup, Duration timeout) throws InterruptedException {
    LanesApi api = clients.get(0);
    api.backendConfiguration(backend); // fail early, with the server's message, on an unknown backend
    Report r = new Report("submit", "submit: POST /jobs throughput (" + clients.size() + " keep-alive clients, "
        + window + " in flight each, backend " + backend + ")");
    String body = body(backend);
    // Accepting jobs is measured on its own: the backend is paused while they are submitted (so
    // starts and ends of earlier jobs do not compete for the two cores), then resumed to drain.
    String notPaused = ServerView.tryPause(api, backend);
    boolean warmupApart = warmup > 0 && !warmupBackend.equals(backend);
    if (warmup > 0) {
      // Warm-up jobs go to their own backend, paused and never resumed: a long warm-up (the JIT
      // needs ~200,000 submits to settle) must not make the drain below run all of them too.
      // They stay queued until the bench's node is stopped and its data dir deleted.
      if (warmupApart) {
        String warmupNotPaused = ServerView.tryPause(api, warmupBackend);
        if (warmupNotPaused != null) {
          throw new IllegalStateException("the warm-up backend " + warmupBackend + " could not be paused: " + warmupNotPaused);
        }
      }
      Submitter.submitPipelined(target.base(), target.token(), target.instance(), clients.size(), window, warmup,
          body(warmupBackend), timeout);
    }
    Submitter.Result s = Submitter.submitPipelined(target.base(), target.token(), target.instance(), clients.size(),
        window, jobs, body, timeout);
    if (notPaused == null) {
      api.setBackendStatus(backend, "online");
    } else {
      r.note("the backend could not be paused (" + notPaused + "): jobs ran while others were submitted");
    }
    double wall = s.wallNanos() / 1e9;
    r.add("backend", "backend", backend, "");
    r.add("clients", "clients", clients.size(), "");
    r.add("window", "requests in flight per client (HTTP/1.1 pipelining)", window, "");
    r.add("jobs", "jobs submitted", jobs, "");
    if (warmup > 0) {
      r.add("warmup_jobs", "warm-up jobs (not measured), on backend " + warmupBackend, warmup, "");
    }
    r.add("accepted", "accepted (200)", s.accepted(), "");
    r.add("rejected", "not accepted", s.errors(), "");
    r.add("wall_seconds", "submit phase wall time", Latency.round(wall), "s");
    r.add("throughput_jobs_per_second", "throughput (accepted / wall)", Latency.round(s.accepted() / wall), "jobs/s");
    r.add("latency_ms", "submit latency", Latency.summary(s.latencyMicros()));
    if (s.firstError() != null) {
      r.note("first error: " + s.firstError());
    }

    // Not part of the figure above: once resumed, the accepted jobs run (instantly) on the zero-timing backend.
    List<String> ids = Arrays.stream(s.ids()).filter(Objects::nonNull).toList();
    long drained = ServerView.awaitIdle(api, backend, timeout, Duration.ofMillis(100));
    r.add("drain_seconds_after_submit", "drain after submit phase (pending → 0)",
        drained < 0 ? null : Latency.round(drained / 1e9), drained < 0 ? "(timed out)" : "s");
    r.add("drain_jobs_per_second", "jobs run per second while draining (zero-timing jobs, 5 lanes)",
        drained <= 0 ? null : Latency.round(((warmupApart ? 0 : warmup) + s.accepted()) / (drained / 1e9)), "jobs/s");
    r.add("final_statuses", "final statuses", ServerView.statuses(api, backend, ids), "");
    return r;
  }
}
