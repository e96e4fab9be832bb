package dev.lanes.http;

import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.Route;
import dev.lanes.actors.LanesSettings;
import dev.lanes.actors.backend.QueueArbiter;
import dev.lanes.actors.gateway.SchedulerGateway;
import dev.lanes.actors.usage.UsageLedger;
import dev.lanes.core.model.BackendSpec;
import dev.lanes.core.queue.LaneOccupancy;
import dev.lanes.core.session.SessionStatus;
import dev.lanes.core.session.SessionView;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The live dashboard (issue 7, item 3): the page at {@code /} with its assets under
 * {@code /dashboard/}, plain files from the classpath with no build step and nothing fetched from
 * elsewhere; and the one JSON snapshot it polls, {@code GET /api/v1/admin/dashboard} (admin
 * tokens only: it names every instance, its jobs and its usage). The page itself needs no token;
 * it asks for one and sends it with each poll.
 */
final class DashboardRoutes extends ApiDirectives {
  /** Queued jobs shown per backend; the whole length is in {@code length_queue}. */
  static final int QUEUE_LIMIT = 50;
  /** Sessions and batches shown (not closed, newest first). */
  static final int SESSION_LIMIT = 200;
  /** How often the page polls, in seconds (≤ 1 s, issue 7). */
  static final double POLL_SECONDS = 1.0;

  /** The page and its scripts come from this origin only; nothing inline, nothing elsewhere. */
  private static final List<HttpHeader> PAGE_HEADERS = List.of(
      RawHeader.create("Content-Security-Policy",
          "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"),
      RawHeader.create("X-Content-Type-Options", "nosniff"),
      RawHeader.create("Cache-Control", "no-cache"));

  DashboardRoutes(SchedulerGateway gateway, Clock clock) {
    super(gateway, clock);
  }

  /** {@code GET /}, {@code GET /dashboard/} and the files under {@code /dashboard/}: no token. */
  Route assets() {
    // the path first, then the method: other paths must not collect a method rejection here
    return concat(
        pathSingleSlash(() -> get(() -> respondWithHeaders(PAGE_HEADERS, () -> getFromResource("dashboard/index.html")))),
        pathPrefix("dashboard", () -> get(() -> respondWithHeaders(PAGE_HEADERS, () -> concat(
            pathEndOrSingleSlash(() -> getFromResource("dashboard/index.html")),
            getFromResourceDirectory("dashboard"))))));
  }

  /** {@code GET /api/v1/admin/dashboard}: the caller is an administrator (checked by the caller). */
  Route snapshot() {
    return get(() -> answer(snapshotJson().thenApply(body -> Json.ok(body)
        .addHeader(RawHeader.create("Cache-Control", "no-store")))));
  }

  /**
   * Every configured backend (status, who holds each lane, the head of its queue with why),
   * sessions and batches not closed with their deadlines, and usage per configured instance, with
   * the server's {@code now} so the page can count down in the server's time. A backend or ledger
   * that does not answer in time is shown with an {@code error} instead of failing the whole.
   */
  CompletionStage<Map<String, Object>> snapshotJson() {
    List<CompletableFuture<Map<String, Object>>> backends = new ArrayList<>();
    for (BackendSpec spec : settings.backends().values()) {
      backends.add(gateway.backendOverview(spec.name(), QUEUE_LIMIT).toCompletableFuture()
          .thenApply(o -> backend(spec, o))
          .exceptionally(e -> Json.obj("name", spec.name(), "qubits", spec.qubits(), "lanes", spec.lanes(),
              "error", "no answer from the backend's queue: " + Errors.unwrap(e).getClass().getSimpleName())));
    }
    List<CompletableFuture<Map<String, Object>>> usage = new ArrayList<>();
    for (LanesSettings.InstanceSettings inst : settings.instances().values()) {
      usage.add(gateway.usage(inst.id()).toCompletableFuture()
          .thenApply(u -> usage(inst, u))
          .exceptionally(e -> usage(inst, null)));
    }
    List<CompletableFuture<?>> all = new ArrayList<>(backends);
    all.addAll(usage);
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v -> {
      Instant now = clock.instant();
      List<Map<String, Object>> sessions = gateway.sessions(s -> s.status() != SessionStatus.CLOSED, 0, SESSION_LIMIT)
          .sessions().stream().map(s -> session(s, now)).toList();
      return Json.obj(
          "now", Json.time(now),
          "poll_seconds", POLL_SECONDS,
          "backends", backends.stream().map(CompletableFuture::join).toList(),
          "sessions", sessions,
          "usage", usage.stream().map(CompletableFuture::join).toList());
    });
  }

  private Map<String, Object> backend(BackendSpec spec, QueueArbiter.Overview o) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("name", spec.name());
    b.put("qubits", spec.qubits());
    b.putAll(BackendRoutes.status(spec, o.status())); // GET /backends/{name}/status, as it is
    List<Map<String, Object>> lanes = new ArrayList<>(o.lanes().size());
    for (LaneOccupancy.Lane l : o.lanes()) {
      lanes.add(Json.obj(
          "lane", l.lane(),
          "mode", l.kind() == LaneOccupancy.Kind.FREE ? null : l.kind().wire(),
          "job_id", l.jobId(),
          "session_id", l.sessionId(),
          "instance", l.instance(),
          "maintenance", l.maintenanceId() == null ? null : Json.obj("id", l.maintenanceId(), "kind", l.maintenanceKind()),
          "since", Json.time(l.since())));
    }
    b.put("lane_holders", lanes);
    QueueArbiter.Status s = o.status();
    b.put("maintenance_running", s.maintenance() == null ? null : Json.obj(
        "id", s.maintenance().id(), "kind", s.maintenance().kind(),
        "ends_at", Json.time(s.maintenanceUntil())));
    Map<String, Object> queue = BackendRoutes.explanation(o.queue(), clock.instant());
    b.put("queue", queue.get("queue"));
    b.put("queue_shown", o.queue().queue().size());
    b.put("maintenance_pending", queue.get("maintenance_pending"));
    return b;
  }

  private static Map<String, Object> session(SessionView s, Instant now) {
    Map<String, Object> m = SessionViews.session(s, now);
    m.remove("timestamps");
    m.put("unused_deadline", Json.time(s.unusedDeadline()));
    m.put("max_ttl_deadline", Json.time(s.maxTtlDeadline()));
    m.put("interactive_deadline", Json.time(s.interactiveDeadline()));
    return m;
  }

  /** As {@code GET /instances/usage} counts it: the rolling window (R5c, R8). */
  private static Map<String, Object> usage(LanesSettings.InstanceSettings inst, UsageLedger.Usage u) {
    Double consumed = u == null ? null : u.windowSeconds();
    Double limit = inst.usageLimitSeconds();
    return Json.obj(
        "instance", inst.id(),
        "plan", inst.plan(),
        "usage_consumed_seconds", consumed,
        "usage_allocation_seconds", inst.allocationSeconds(),
        "usage_limit_seconds", limit,
        "limited", inst.limited(),
        "usage_limit_reached", consumed != null && limit != null && consumed >= limit,
        "allocation_fraction", consumed == null || inst.allocationSeconds() <= 0 ? null : consumed / inst.allocationSeconds(),
        "error", u == null ? "no answer from the instance's ledger" : null);
  }
}
