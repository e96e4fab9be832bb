package dev.lanes.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.client.LanesApi;
import dev.lanes.client.LanesApiException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The soak of issue 6 ({@code scripts/soak}): a cluster under a steady mix of jobs, dedicated
 * sessions and batches while one node is killed (-9) and started again every {@code --kill-every}
 * seconds. Every request is retried as a client would (another node, the same Idempotency-Key).
 * Reports jobs accepted and lost (never final after the drain), and fail-over times: from a kill
 * to the start of a probe job sent right after it to an idle backend. The journal's own audit
 * (started or charged twice) is {@code scripts/cluster audit}, which scripts/soak runs after this.
 */
@Command(name = "lanes-soak", mixinStandardHelpOptions = true,
    description = "Soak of a Lanes cluster: load, kill -9 and restart of one node at a time, then what was lost.")
public final class Soak implements Callable<Integer> {
  @Option(names = "--urls", required = true, split = ",", description = "every node's base URL, in node order")
  List<String> urls;

  @Option(names = "--token", defaultValue = "demo-token")
  String token;

  @Option(names = "--minutes", defaultValue = "5", description = "how long the load and the kills go on")
  double minutes;

  @Option(names = "--kill-every", defaultValue = "30", description = "seconds between kills")
  int killEvery;

  @Option(names = "--cluster-script", defaultValue = "scripts/cluster")
  String clusterScript;

  @Option(names = "--job-rate", defaultValue = "4", description = "job-mode jobs per second")
  double jobRate;

  @Option(names = "--drain", defaultValue = "300", description = "seconds to wait for every accepted job to end")
  int drainSeconds;

  static final String JOBS = "soak_jobs";
  static final String SESSIONS = "soak_sessions";
  static final String PROBE = "soak_probe";
  static final Duration GIVE_UP = Duration.ofSeconds(90);

  private List<LanesApi> apis;
  private final Set<String> accepted = ConcurrentHashMap.newKeySet();
  private final AtomicInteger gaveUp = new AtomicInteger();
  /** Requests the server refused by a rule (4xx), e.g. a job for a batch that ended by its TTL. */
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger sessions = new AtomicInteger();
  private final AtomicInteger batches = new AtomicInteger();
  /** Kill of the node running the backends → a probe job's start. */
  private final List<Long> failoverMillis = Collections.synchronizedList(new ArrayList<>());
  /** Kill of another node → a probe job's start (its entity's shard may have been there). */
  private final List<Long> otherKillMillis = Collections.synchronizedList(new ArrayList<>());
  private volatile boolean running = true;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Soak()).execute(args));
  }

  static String job(String backend, int circuits) {
    return "{\"program_id\":\"sampler\",\"backend\":\"" + backend + "\",\"params\":{\"pubs\":[{\"circuit\":"
        + "{\"num_qubits\":2,\"depth\":1,\"circuits\":" + circuits + "},\"shots\":1}]}}";
  }

  @Override
  public Integer call() throws Exception {
    apis = urls.stream().map(u -> new LanesApi(u, token, null, Duration.ofSeconds(15))).toList();
    ExecutorService load = Executors.newCachedThreadPool();
    Instant end = Instant.now().plusMillis((long) (minutes * 60_000));
    load.submit(() -> every(Duration.ofMillis((long) (1000 / jobRate)), end, () -> submit(job(JOBS, 1 + accepted.size() % 3))));
    load.submit(() -> every(Duration.ofSeconds(20), end, () -> session("dedicated", SESSIONS, 5, sessions)));
    load.submit(() -> every(Duration.ofSeconds(15), end, () -> session("batch", JOBS, 8, batches)));
    // A kill every --kill-every seconds, on the clock, alternately of the oldest node (the one
    // that runs the backends: singletons live on the oldest) and of another that is not the
    // youngest (its jobs' and sessions' entities move; the backends stay). A node started again
    // is the youngest.
    List<Integer> byAge = new ArrayList<>();
    for (int i = 0; i < urls.size(); i++) {
      byAge.add(i);
    }
    int kills = 0;
    Instant nextKill = Instant.now().plusSeconds(killEvery);
    while (!nextKill.isAfter(end)) {
      long wait = Duration.between(Instant.now(), nextKill).toMillis();
      if (wait > 0) {
        Thread.sleep(wait);
      }
      boolean host = kills % 2 == 0 || byAge.size() < 3;
      int node = byAge.remove(host ? 0 : 1);
      kill(node, host);
      byAge.add(node);
      kills++;
      nextKill = nextKill.plusSeconds(killEvery);
    }
    running = false;
    load.shutdown();
    load.awaitTermination(5, TimeUnit.MINUTES);
    System.out.printf("soak: load stopped: %d jobs accepted (%d sessions, %d batches), %d requests given up;"
        + " draining...%n", accepted.size(), sessions.get(), batches.get(), gaveUp.get());
    int lost = drain();
    List<Long> f = new ArrayList<>(failoverMillis);
    Collections.sort(f);
    List<Long> o = new ArrayList<>(otherKillMillis);
    Collections.sort(o);
    System.out.printf("soak: kills %d, jobs accepted %d, jobs lost %d, requests given up %d,"
        + " refused by a rule %d%n", kills, accepted.size(), lost, gaveUp.get(), refused.get());
    System.out.printf("soak: fail-over, kill of the node running the backends to a probe job's start, ms:"
        + " p50 %s, max %s, all %s%n", median(f), max(f), f);
    System.out.printf("soak: kill of another node to a probe job's start, ms: p50 %s, max %s, all %s%n",
        median(o), max(o), o);
    return lost == 0 && gaveUp.get() == 0 ? 0 : 1;
  }

  private static String median(List<Long> sorted) {
    return sorted.isEmpty() ? "-" : String.valueOf(sorted.get((sorted.size() - 1) / 2));
  }

  private static String max(List<Long> sorted) {
    return sorted.isEmpty() ? "-" : String.valueOf(sorted.get(sorted.size() - 1));
  }

  private void every(Duration period, Instant end, Runnable action) {
    ExecutorService each = Executors.newCachedThreadPool();
    long next = System.nanoTime();
    while (running && Instant.now().isBefore(end)) {
      each.submit(action);
      next += period.toNanos();
      long wait = next - System.nanoTime();
      if (wait > 0) {
        try {
          TimeUnit.NANOSECONDS.sleep(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    each.shutdown();
    try {
      each.awaitTermination(5, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@code call} on one node after another until one answers (5xx or no answer: next). */
  private <T> T retrying(Function<LanesApi, T> call) {
    Instant deadline = Instant.now().plus(GIVE_UP);
    int start = (int) (Math.random() * apis.size());
    RuntimeException last = null;
    for (int i = start; Instant.now().isBefore(deadline); i++) {
      try {
        return call.apply(apis.get(i % apis.size()));
      } catch (LanesApiException e) {
        if (e.status() < 500) {
          throw e;
        }
        last = e;
      } catch (UncheckedIOException e) {
        last = e;
      }
      sleep(200);
    }
    throw new IllegalStateException("given up after " + GIVE_UP + ": " + last, last);
  }

  private void submit(String body) {
    String key = UUID.randomUUID().toString();
    try {
      accepted.add(retrying(api -> api.submit(body, key)));
    } catch (RuntimeException e) {
      gaveUp.incrementAndGet();
      System.out.println("soak: a submit was given up: " + e.getMessage());
    }
  }

  /** Opens a session or batch, sends it {@code jobs} jobs, closes it (R14). */
  private void session(String mode, String backend, int jobs, AtomicInteger count) {
    try {
      String key = UUID.randomUUID().toString();
      String id = retrying(api -> api.openSession(mode, backend, null, key)).path("id").asText();
      count.incrementAndGet();
      for (int i = 0; i < jobs; i++) {
        String jobKey = UUID.randomUUID().toString();
        String body = job(backend, 1 + i % 2);
        accepted.add(retrying(api -> api.submitToSession(id, body, jobKey)));
      }
      retrying(api -> {
        api.closeSession(id);
        return id;
      });
    } catch (LanesApiException e) {
      refused.incrementAndGet();
      System.out.println("soak: a " + mode + " was refused (" + e.status() + "): " + e.getMessage());
    } catch (RuntimeException e) {
      gaveUp.incrementAndGet();
      System.out.println("soak: a " + mode + " was given up: " + e.getMessage());
    }
  }

  /** kill -9 node {@code i}, time the fail-over with a probe job, start the node again. */
  private void kill(int i, boolean host) throws Exception {
    Instant killedAt = Instant.now();
    script("kill", i + 1);
    System.out.printf("soak: %s killed node %d%s%n", killedAt, i + 1, host ? " (runs the backends)" : "");
    Thread probe = new Thread(() -> {
      try {
        String key = UUID.randomUUID().toString();
        String id = retrying(api -> api.submit(job(PROBE, 1), key));
        JsonNode done = retrying(api -> {
          try {
            return api.waitForFinal(id, GIVE_UP);
          } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e);
          }
        });
        // Another node's read model may not have the end yet: ask until one shows the start.
        Instant started = null;
        for (int tries = 0; started == null && tries < 100; tries++) {
          String running = retrying(api -> api.metrics(id)).path("timestamps").path("running").asText("");
          if (running.isEmpty() || running.equals("null")) {
            sleep(100);
          } else {
            started = Instant.parse(running);
          }
        }
        if (started == null) {
          throw new IllegalStateException("probe job " + id + " (" + done.path("status").asText() + ") shows no start");
        }
        long ms = Duration.between(killedAt, started).toMillis();
        (host ? failoverMillis : otherKillMillis).add(ms);
        System.out.printf("soak: node %d killed: a probe job started %d ms later%n", i + 1, ms);
      } catch (RuntimeException e) {
        System.out.println("soak: the probe after killing node " + (i + 1) + " failed: " + e.getMessage());
        gaveUp.incrementAndGet();
      }
    }, "soak-probe");
    probe.start();
    script("start", i + 1);
    probe.join();
  }

  private void script(String verb, int node) throws Exception {
    Process p = new ProcessBuilder(clusterScript, verb, String.valueOf(node)).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(clusterScript + " " + verb + " " + node + " failed");
    }
  }

  /** Waits for every accepted job to end; answers how many never did (or are unknown). */
  private int drain() {
    Instant deadline = Instant.now().plusSeconds(drainSeconds);
    int lost = 0;
    for (String id : accepted) {
      boolean done = false;
      while (!done && Instant.now().isBefore(deadline)) {
        try {
          done = LanesApi.isFinal(retrying(api -> api.job(id)));
        } catch (RuntimeException e) {
          break; // unknown: counted lost
        }
        if (!done) {
          sleep(500);
        }
      }
      if (!done) {
        lost++;
        System.out.println("soak: job " + id + " did not end");
      }
    }
    return lost;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
