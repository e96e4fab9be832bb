package dev.lanes.http;

import dev.lanes.actors.backend.QueueArbiter;
import dev.lanes.actors.gateway.SchedulerGateway;
import dev.lanes.actors.usage.UsageLedger;
import dev.lanes.core.job.JobState;
import dev.lanes.core.job.JobStatus;
import dev.lanes.core.session.SessionStatus;
import dev.lanes.core.session.SessionView;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * {@code GET /metrics} (issue 7, item 4), in Prometheus' text format through Micrometer: per
 * backend its queue length and busy lanes; sessions by state; usage charged per instance; the
 * wait (created → running) and run (running → finished) times of jobs, and the job entities'
 * journal writes, as histograms.
 *
 * <p>Backends, sessions and usage are read at each scrape (an ask per backend and instance);
 * the job times are recorded as this node's read model sees each job start and end. In a cluster
 * every node sees every job (its read side follows the journal), so each node reports them all:
 * read one node's, or aggregate with care.
 */
final class LanesMetrics {
  private final SchedulerGateway gateway;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, AtomicLong> queueLength = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> lanesBusy = new ConcurrentHashMap<>();
  private final Map<SessionStatus, AtomicLong> sessions = new ConcurrentHashMap<>();
  private final Map<String, DoubleAdder> charged = new ConcurrentHashMap<>();
  private final Timer wait;
  private final Timer run;

  LanesMetrics(SchedulerGateway gateway) {
    this.gateway = gateway;
    for (var spec : gateway.settings().backends().values()) {
      String b = spec.name();
      Gauge.builder("lanes_backend_queue_length", queueLength.computeIfAbsent(b, k -> new AtomicLong()), AtomicLong::get)
          .description("jobs queued on the backend").tag("backend", b).register(registry);
      Gauge.builder("lanes_backend_lanes_busy", lanesBusy.computeIfAbsent(b, k -> new AtomicLong()), AtomicLong::get)
          .description("lanes holding a job").tag("backend", b).register(registry);
      Gauge.builder("lanes_backend_lanes", spec, s -> s.lanes())
          .description("lanes of the backend").tag("backend", b).register(registry);
    }
    for (SessionStatus s : SessionStatus.values()) {
      Gauge.builder("lanes_sessions", sessions.computeIfAbsent(s, k -> new AtomicLong()), AtomicLong::get)
          .description("sessions and batches by state").tag("state", s.name().toLowerCase()).register(registry);
    }
    for (String instance : gateway.settings().instances().keySet()) {
      Gauge.builder("lanes_usage_charged_seconds", charged.computeIfAbsent(instance, k -> new DoubleAdder()),
              DoubleAdder::sum)
          .description("usage charged to the instance, all time (its ledger)").tag("instance", instance)
          .register(registry);
    }
    wait = Timer.builder("lanes_job_wait").description("a job's wait, from created to running")
        .publishPercentileHistogram().register(registry);
    run = Timer.builder("lanes_job_run").description("a job's run, from running to finished")
        .publishPercentileHistogram().register(registry);
    gateway.onJobChange(this::jobChanged);
    // meters recorded where things happen (lanes_journal_write in the job entity) come through here
    io.micrometer.core.instrument.Metrics.addRegistry(registry);
  }

  private void jobChanged(JobState before, JobState after) {
    boolean started = after.status() == JobStatus.Running && (before == null || before.status() != JobStatus.Running);
    if (started && after.created() != null && after.runningAt() != null) {
      wait.record(Duration.between(after.created(), after.runningAt()));
    }
    boolean ended = after.isFinal() && (before == null || !before.isFinal());
    if (ended && after.runningAt() != null && after.finishedAt() != null) {
      run.record(Duration.between(after.runningAt(), after.finishedAt()));
    }
  }

  /** The metrics, once backends and ledgers have answered (a backend that does not keeps its last). */
  CompletionStage<String> scrape() {
    List<CompletableFuture<?>> asks = new ArrayList<>();
    for (String b : queueLength.keySet()) {
      asks.add(gateway.backendStatus(b).thenAccept((QueueArbiter.Status s) -> {
        queueLength.get(b).set(s.queueLength());
        lanesBusy.get(b).set(s.lanesBusy());
      }).toCompletableFuture().exceptionally(e -> null));
    }
    for (String instance : charged.keySet()) {
      asks.add(gateway.usage(instance).thenAccept((UsageLedger.Usage u) -> {
        DoubleAdder total = charged.get(instance);
        total.reset();
        total.add(u.totalSeconds());
      }).toCompletableFuture().exceptionally(e -> null));
    }
    Map<SessionStatus, Long> counts = new java.util.EnumMap<>(SessionStatus.class);
    for (SessionView v : gateway.sessions(x -> true, 0, Integer.MAX_VALUE).sessions()) {
      counts.merge(v.status(), 1L, Long::sum);
    }
    sessions.forEach((state, gauge) -> gauge.set(counts.getOrDefault(state, 0L)));
    return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).thenApply(v -> registry.scrape());
  }
}
