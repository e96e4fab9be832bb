package dev.lanes.bench;

import dev.lanes.client.LanesApi;
import dev.lanes.client.LanesApiException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/** Runs calls from several keep-alive clients at once: one thread and one connection per client. */
final class Submitter {
  /** What a batch of submits did; {@code ids[i]} is null where submit i failed. */
  record Result(String[] ids, Histogram latencyMicros, long wallNanos, int accepted, Map<String, Integer> errors,
      String firstError) {}

  private Submitter() {}

  /** Submits {@code jobs} copies of {@code body}, spread over the clients; each POST is timed. */
  static Result submit(List<LanesApi> clients, int jobs, String body, Duration limit) throws InterruptedException {
    String[] ids = new String[jobs];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    Map<String, Integer> errors = new ConcurrentHashMap<>();
    AtomicReference<String> firstError = new AtomicReference<>();
    List<Histogram> perClient = new ArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(clients.size(), daemon("bench-submit"));
    List<Future<?>> running = new ArrayList<>();
    long deadline = System.nanoTime() + limit.toNanos();
    for (LanesApi api : clients) {
      Histogram h = Latency.histogram();
      perClient.add(h);
      running.add(pool.submit(() -> {
        go.await();
        int i;
        while ((i = next.getAndIncrement()) < jobs && System.nanoTime() < deadline) {
          long t0 = System.nanoTime();
          try {
            ids[i] = api.submit(body);
            h.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
            accepted.incrementAndGet();
          } catch (LanesApiException e) {
            failed.incrementAndGet();
            errors.merge("HTTP " + e.status(), 1, Integer::sum);
            firstError.compareAndSet(null, "HTTP " + e.status() + ": " + e.getMessage());
          } catch (UncheckedIOException e) {
            failed.incrementAndGet();
            errors.merge("transport", 1, Integer::sum);
            firstError.compareAndSet(null, "transport: " + e.getMessage());
          }
        }
        return null;
      }));
    }
    long wall = runAll(pool, go, limit, errors);
    for (Future<?> f : running) {
      if (f.isDone()) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          errors.merge("driver error", 1, Integer::sum);
          firstError.compareAndSet(null, "driver error: " + e.getCause());
        }
      }
    }
    int skipped = jobs - accepted.get() - failed.get();
    if (skipped > 0) {
      errors.merge("not sent (time limit)", skipped, Integer::sum);
    }
    return new Result(ids, merged(perClient), wall, accepted.get(), new TreeMap<>(errors), firstError.get());
  }

  /**
   * Submits {@code jobs} copies of {@code body} over {@code clients} keep-alive connections, each
   * keeping up to {@code window} POSTs in flight ({@link PipelinedPoster}); each POST is timed from
   * its write to its answer. A connection that fails counts its unanswered requests as transport
   * errors.
   */
  static Result submitPipelined(java.net.URI base, String token, String instance, int clients, int window, int jobs,
      String body, Duration limit) throws InterruptedException {
    String[] ids = new String[jobs];
    byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    AtomicInteger next = new AtomicInteger();
    AtomicInteger accepted = new AtomicInteger();
    Map<String, Integer> errors = new ConcurrentHashMap<>();
    AtomicReference<String> firstError = new AtomicReference<>();
    List<Histogram> perClient = new ArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2 * clients, daemon("bench-pipeline"));
    long deadline = System.nanoTime() + limit.toNanos();
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    List<PipelinedPoster> connections = new ArrayList<>();
    try {
      for (int c = 0; c < clients; c++) {
        connections.add(new PipelinedPoster(base, "/api/v1/jobs", token, instance, window));
      }
    } catch (java.io.IOException e) {
      connections.forEach(Submitter::closeQuietly);
      throw new UncheckedIOException(e);
    }
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    for (PipelinedPoster conn : connections) {
      Histogram h = Latency.histogram();
      perClient.add(h);
      pool.submit(() -> { // writer
        go.await();
        try {
          int i;
          while (System.nanoTime() < deadline && (i = next.getAndIncrement()) < jobs) {
            conn.send(i, bytes, window == 1);
            sent.incrementAndGet();
          }
          conn.end();
        } catch (java.io.IOException e) {
          firstError.compareAndSet(null, "transport: " + e.getMessage());
          closeQuietly(conn);
          conn.abort();
        }
        return null;
      });
      pool.submit(() -> { // reader
        try {
          PipelinedPoster.Answer a;
          while ((a = conn.receive()) != null) {
            h.recordValue(a.micros());
            if (a.status() == 200) {
              ids[a.tag()] = json.readTree(a.body()).path("id").asText(null);
              accepted.incrementAndGet();
            } else {
              refused.incrementAndGet();
              errors.merge("HTTP " + a.status(), 1, Integer::sum);
              firstError.compareAndSet(null, "HTTP " + a.status() + ": " + a.body());
            }
          }
        } catch (java.io.IOException e) {
          firstError.compareAndSet(null, "transport: " + e.getMessage());
          closeQuietly(conn);
        }
        return null;
      });
    }
    long wall = runAll(pool, go, limit, errors);
    connections.forEach(Submitter::closeQuietly);
    int lost = sent.get() - accepted.get() - refused.get();
    if (lost > 0) {
      errors.merge("transport (no answer)", lost, Integer::sum);
    }
    int skipped = jobs - sent.get();
    if (skipped > 0) {
      errors.merge("not sent (time limit)", skipped, Integer::sum);
    }
    return new Result(ids, merged(perClient), wall, accepted.get(), new TreeMap<>(errors), firstError.get());
  }

  /** Lets the workers go and waits for them (bounded); the wall time of the whole run, in ns. */
  private static long runAll(ExecutorService pool, CountDownLatch go, Duration limit, Map<String, Integer> errors)
      throws InterruptedException {
    long t0 = System.nanoTime();
    go.countDown();
    pool.shutdown();
    boolean done = pool.awaitTermination(limit.toMillis() + 60_000, TimeUnit.MILLISECONDS);
    long wall = System.nanoTime() - t0;
    if (!done) {
      pool.shutdownNow();
      errors.merge("not finished in time", 1, Integer::sum);
    }
    return wall;
  }

  private static Histogram merged(List<Histogram> perClient) {
    Histogram all = Latency.histogram();
    perClient.forEach(all::add);
    return all;
  }

  private static void closeQuietly(PipelinedPoster c) {
    try {
      c.close();
    } catch (java.io.IOException ignored) {
      // closing a broken connection: nothing left to do
    }
  }

  /** Calls {@code call} for every id, spread over the clients; a failed call yields null. */
  static <T> List<T> forEach(List<LanesApi> clients, List<String> ids, java.util.function.BiFunction<LanesApi, String, T> call,
      Duration limit) throws InterruptedException {
    List<T> out = new ArrayList<>(java.util.Collections.nCopies(ids.size(), null));
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(clients.size(), daemon("bench-fetch"));
    long deadline = System.nanoTime() + limit.toNanos();
    for (LanesApi api : clients) {
      pool.submit(() -> {
        int i;
        while ((i = next.getAndIncrement()) < ids.size() && System.nanoTime() < deadline) {
          try {
            T v = call.apply(api, ids.get(i));
            synchronized (out) {
              out.set(i, v);
            }
          } catch (RuntimeException e) {
            // left null: counted by the caller
          }
        }
      });
    }
    pool.shutdown();
    if (!pool.awaitTermination(limit.toMillis() + 30_000, TimeUnit.MILLISECONDS)) {
      pool.shutdownNow();
    }
    synchronized (out) {
      return new ArrayList<>(out);
    }
  }

  static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
