package dev.lanes.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lanes.client.LanesApi;
import dev.lanes.client.LanesApiException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Load driver of scripts/bench: drives a running Lanes server over its HTTP API with
 * {@link LanesApi} and prints what it measured (a table, or JSON with {@code --json}).
 *
 * <ul>
 *   <li>{@code submit}: accepted jobs/s and POST latency from concurrent keep-alive clients;</li>
 *   <li>{@code lanes}: makespan, lane utilisation and dispatch gaps of 1000 lane-bound jobs;</li>
 *   <li>{@code sessions}: dedicated-session activation latency and batch lane fill, measured on the
 *       server's timestamps with a queue kept busy by job-mode jobs;</li>
 *   <li>{@code all}: lanes first, then submit (on its own zero-timing backend), then sessions;</li>
 *   <li>{@code scale} (not in {@code all}: minutes long): W5, a queue of {@code --queued} jobs.</li>
 * </ul>
 * Exit code 0 when every job was accepted and reached a final state, 1 otherwise, 2 on bad use.
 */
@Command(name = "lanes-bench", mixinStandardHelpOptions = true,
    description = "Drives a Lanes server over HTTP and reports submit throughput, lane dispatch, session"
        + " activation and batch fill figures.")
public final class LoadDriver implements Callable<Integer> {

  enum Workload { submit, lanes, sessions, all, scale }

  @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", description = "server base URL (default: ${DEFAULT-VALUE})")
  String url;

  @Option(names = "--token", defaultValue = "demo-token", description = "API token (default: ${DEFAULT-VALUE})")
  String token;

  @Option(names = "--instance", description = "instance id sent as Service-CRN (only needed for tokens with several)")
  String instance;

  @Option(names = "--workload", defaultValue = "all", description = "submit | lanes | sessions | all (default: ${DEFAULT-VALUE})")
  Workload workload;

  @Option(names = "--jobs", description = "jobs per workload (default: submit 20000, lanes 1000)")
  Integer jobs;

  @Option(names = "--clients", defaultValue = "4", description = "concurrent keep-alive clients (default: ${DEFAULT-VALUE})")
  int clients;

  @Option(names = "--window", defaultValue = "64",
      description = "submit: requests in flight per client, HTTP/1.1 pipelining; 1 = wait for each answer (default: ${DEFAULT-VALUE})")
  int window;

  @Option(names = "--json", description = "print JSON instead of a table")
  boolean json;

  @Option(names = "--lanes-backend", defaultValue = "bench", description = "backend of the lanes workload (default: ${DEFAULT-VALUE})")
  String lanesBackend;

  @Option(names = "--submit-backend", defaultValue = "bench_submit",
      description = "backend of the submit workload; zero timing, so its jobs never queue (default: ${DEFAULT-VALUE})")
  String submitBackend;

  @Option(names = "--warmup-backend", defaultValue = "bench_warmup",
      description = "submit workload: backend of the warm-up jobs, kept paused; they are never run (default: ${DEFAULT-VALUE})")
  String warmupBackend;

  @Option(names = "--warmup", defaultValue = "5000",
      description = "unmeasured submits before the submit workload: the node's JIT warms up (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--node-warmup", defaultValue = "4000",
      description = "lanes, sessions: unmeasured jobs run to their end first on --node-warmup-backend,"
          + " so the dispatch path is compiled before it is measured (default: ${DEFAULT-VALUE})")
  int nodeWarmup;

  @Option(names = "--node-warmup-backend", defaultValue = "bench_node_warmup",
      description = "backend of the node warm-up's jobs (default: ${DEFAULT-VALUE})")
  String nodeWarmupBackend;

  @Option(names = "--lanes-warmup", defaultValue = "250",
      description = "lanes: unmeasured jobs run first, the same as the measured ones (default: ${DEFAULT-VALUE})")
  int lanesWarmup;

  @Option(names = "--prefill", description = "lanes: pause the backend while submitting (admin token), then resume,"
      + " so dispatch is measured without concurrent submits")
  boolean prefill;

  @Option(names = "--sessions-backend", defaultValue = "bench",
      description = "backend of the sessions workload; lane-bound jobs, so a queue forms (default: ${DEFAULT-VALUE})")
  String sessionsBackend;

  @Option(names = "--sessions", defaultValue = "20", description = "sessions: dedicated sessions opened one after another (default: ${DEFAULT-VALUE})")
  int sessions;

  @Option(names = "--session-jobs", defaultValue = "3",
      description = "sessions: jobs submitted to each session once it is active, after its first (default: ${DEFAULT-VALUE})")
  int sessionJobs;

  @Option(names = "--batches", defaultValue = "3", description = "sessions: batches, one after another (default: ${DEFAULT-VALUE})")
  int batches;

  @Option(names = "--batch-jobs", defaultValue = "20", description = "sessions: jobs per batch (default: ${DEFAULT-VALUE})")
  int batchJobs;

  @Option(names = "--queued", defaultValue = "1000000", description = "scale: jobs to queue (default: ${DEFAULT-VALUE})")
  int queued;

  @Option(names = "--probe", defaultValue = "2000",
      description = "scale: submits per latency probe, at ~1k and at --queued (default: ${DEFAULT-VALUE})")
  int probe;

  @Option(names = "--scale-backend", defaultValue = "bench_scale",
      description = "backend of the scale workload; zero timing, paused while it fills (default: ${DEFAULT-VALUE})")
  String scaleBackend;

  @Option(names = "--server-pid", description = "the node's process id (scripts/bench sets it), to read its heap with jcmd")
  Long serverPid;

  @Option(names = "--timeout", defaultValue = "120", description = "seconds allowed per phase (submit, wait, read) (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;

  public static void main(String[] args) {
    System.exit(new CommandLine(new LoadDriver()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (clients < 1 || clients > 256 || window < 1 || window > 1024 || lanesWarmup < 0 || nodeWarmup < 0 || (jobs != null && jobs < 1) || warmup < 0 || timeoutSeconds < 1
        || sessions < 0 || sessionJobs < 0 || batches < 0 || batchJobs < 2 || queued < 1 || probe < 1) {
      System.err.println("lanes-bench: --clients must be 1..256, --window 1..1024, --lanes-warmup ≥ 0, --node-warmup ≥ 0, --jobs ≥ 1, --warmup ≥ 0, --timeout ≥ 1,"
          + " --sessions, --session-jobs, --batches ≥ 0, --batch-jobs ≥ 2, --queued, --probe ≥ 1");
      return 2;
    }
    List<LanesApi> apis = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      apis.add(new LanesApi(url, token, instance));
    }
    Duration timeout = Duration.ofSeconds(timeoutSeconds);
    List<Report> reports = new ArrayList<>();
    boolean ok = true;
    try {
      if (nodeWarmup > 0 && (workload == Workload.lanes || workload == Workload.sessions || workload == Workload.all)) {
        double took = NodeWarmup.run(apis, new SubmitWorkload.Target(java.net.URI.create(url), token, instance),
            window, nodeWarmupBackend, nodeWarmup, timeout);
        if (!json) {
          System.out.printf("node warm-up: %d jobs on %s run to their end in %.1f s (not measured)%n",
              nodeWarmup, nodeWarmupBackend, took);
        }
      }
      if (workload == Workload.lanes || workload == Workload.all) {
        Report r = LanesWorkload.run(apis, lanesBackend, jobs != null ? jobs : 1000, lanesWarmup, prefill, timeout);
        reports.add(r);
        ok &= complete(r);
        print(r);
      }
      if (workload == Workload.submit || workload == Workload.all) {
        Report r = SubmitWorkload.run(apis, new SubmitWorkload.Target(java.net.URI.create(url), token, instance), window,
            submitBackend, warmupBackend, jobs != null ? jobs : 20_000, warmup, timeout);
        reports.add(r);
        ok &= complete(r);
        print(r);
      }
      if (workload == Workload.scale) {
        Report r = ScaleWorkload.run(apis, new SubmitWorkload.Target(java.net.URI.create(url), token, instance), window,
            scaleBackend, queued, probe, warmup, serverPid, timeout);
        reports.add(r);
        ok &= complete(r);
        print(r);
      }
      if (workload == Workload.sessions || workload == Workload.all) {
        if (sessions > 0) {
          Report r = SessionWorkload.run(apis, sessionsBackend, sessions, sessionJobs, timeout);
          reports.add(r);
          ok &= complete(r);
          print(r);
        }
        if (batches > 0) {
          Report r = BatchWorkload.run(apis, sessionsBackend, batches, batchJobs, timeout);
          reports.add(r);
          ok &= complete(r);
          print(r);
        }
      }
    } catch (LanesApiException e) {
      System.err.println("lanes-bench: the server answered " + e.status() + ": " + e.getMessage());
      return 1;
    } catch (java.io.UncheckedIOException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      System.err.println("lanes-bench: lost the server: " + e.getMessage() + " (" + root + ")");
      return 1;
    }
    if (json) {
      Map<String, Object> all = new LinkedHashMap<>();
      all.put("url", url);
      for (Report r : reports) {
        all.put(r.name(), r.json());
      }
      System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(all));
    }
    return ok ? 0 : 1;
  }

  private void print(Report r) {
    if (!json) {
      System.out.println(r.table());
      System.out.flush();
    }
  }

  /** Every job accepted and every accepted one final (Completed, Failed or Cancelled). */
  private static boolean complete(Report r) {
    Map<String, Object> m = r.json();
    if (m.get("rejected") instanceof Map<?, ?> rejected && !rejected.isEmpty()) {
      return false;
    }
    if (m.get("final_statuses") instanceof Map<?, ?> statuses) {
      for (Object k : statuses.keySet()) {
        if (!LanesApi.FINAL_STATUSES.contains(k.toString())) {
          return false;
        }
      }
    }
    return true;
  }
}
