package dev.lanes.http;

import static akka.http.javadsl.server.PathMatchers.segment;

import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.server.Route;
import dev.lanes.actors.LanesSettings;
import dev.lanes.actors.backend.QueueArbiter;
import dev.lanes.actors.gateway.SchedulerGateway;
import dev.lanes.core.model.BackendSpec;
import dev.lanes.core.model.TimingModel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Backends, instance usage and the admin calls of api.md. */
final class BackendRoutes extends ApiDirectives {
  /** The longest maintenance an administrator may schedule at once: a day. */
  private static final double MAX_MAINTENANCE_SECONDS = 86_400;

  private final DashboardRoutes dashboard;

  BackendRoutes(SchedulerGateway gateway, Clock clock) {
    super(gateway, clock);
    this.dashboard = new DashboardRoutes(gateway, clock);
  }

  Route route(Principal p, HttpRequest req) {
    return concat(
        pathPrefix("backends", () -> concat(
            pathEnd(() -> get(this::listBackends)),
            pathPrefix(segment(), name -> {
              BackendSpec spec = backend(name);
              return concat(
                  path("status", () -> get(() -> answer(gateway.backendStatus(name).thenApply(s -> Json.ok(status(spec, s)))))),
                  path("configuration", () -> get(() -> complete(Json.ok(configuration(spec))))));
            }))),
        path(segment("instances").slash("usage"), () -> get(() -> usage(Auth.requireInstance(p)))),
        pathPrefix("admin", () -> {
          if (!p.admin()) {
            throw new ApiException(403, "admin calls need a token with admin = true");
          }
          return concat(
              path("dashboard", dashboard::snapshot),
              pathPrefix(segment("backends").slash(segment()), name -> {
                backend(name);
                return concat(
                    pathEnd(() -> patch(() -> setStatus(name, req))),
                    path("queue", () -> get(() -> answer(gateway.explainQueue(name)
                        .thenApply(e -> Json.ok(explanation(e, clock.instant())))))),
                    path("maintenance", () -> post(() -> scheduleMaintenance(name, req))));
              }));
        }));
  }

  private BackendSpec backend(String name) {
    return settings.backend(name).orElseThrow(() -> ApiException.notFound("backend not found: " + name));
  }

  private Route listBackends() {
    List<CompletableFuture<QueueArbiter.Status>> asks = new ArrayList<>();
    settings.backends().keySet().forEach(n -> asks.add(gateway.backendStatus(n).toCompletableFuture()));
    return answer(CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).thenApply(v -> {
      List<Map<String, Object>> devices = new ArrayList<>();
      for (CompletableFuture<QueueArbiter.Status> a : asks) {
        QueueArbiter.Status s = a.join();
        BackendSpec spec = backend(s.backend());
        devices.add(Json.obj("name", spec.name(),
            "status", Json.obj("name", s.paused() ? "paused" : "online", "reason", s.paused()
                ? "paused by an administrator" : s.maintenance() != null ? "maintenance: " + s.maintenance().kind() : null),
            "is_simulator", false, "qubits", spec.qubits(), "lanes", s.lanes(), "lanes_busy", s.lanesBusy(),
            "queue_length", s.queueLength()));
      }
      return Json.ok(Json.obj("devices", devices));
    }));
  }

  static Map<String, Object> status(BackendSpec spec, QueueArbiter.Status s) {
    String status = s.maintenance() != null ? "maintenance" : s.paused() ? "paused" : "active";
    String message = s.maintenance() != null
        ? s.maintenance().kind() + " until " + Json.time(s.maintenanceUntil()) + ": queued jobs wait"
        : s.paused() ? "paused by an administrator: queued jobs wait" : "";
    return Json.obj("state", !s.paused() && s.maintenance() == null, "status", status,
        "message", message,
        "length_queue", s.queueLength(), "backend_version", spec.version(),
        "holder", Json.obj("kind", s.holderKind(), "id", s.holderId()),
        "lanes", s.lanes(), "lanes_busy", s.lanesBusy(), "maintenance_pending", s.maintenancePending());
  }

  /** api.md admin queue: holder, then the queue in start order with why and when. */
  static Map<String, Object> explanation(QueueArbiter.Explanation e, Instant now) {
    List<Map<String, Object>> queue = new ArrayList<>(e.queue().size());
    int position = 0;
    for (QueueArbiter.Line l : e.queue()) {
      position++;
      Instant submitted = l.job().submittedAt();
      queue.add(Json.obj(
          "job_id", l.job().jobId(),
          "instance", l.job().instance(),
          "session_id", l.job().sessionId(),
          "priority_class", l.priorityClass(),
          "fair_share_ratio", l.fairShareRatio(),
          "waited_seconds", submitted == null ? null : Math.max(0, Duration.between(submitted, now).toNanos() / 1e9),
          "why", l.why(),
          "queue_position", position,
          "estimated_start", Json.time(l.estimatedStart())));
    }
    List<Map<String, Object>> maintenance = e.maintenancePending().stream()
        .map(w -> Json.obj("id", w.id(), "kind", w.kind(), "duration_seconds", seconds(w.duration()),
            "requested_at", Json.time(w.requestedAt())))
        .toList();
    return Json.obj("holder", Json.obj("kind", e.holderKind(), "id", e.holderId()), "queue", queue,
        "maintenance_pending", maintenance);
  }

  /** R24: an administrator schedules a calibration or an upgrade; it runs when it can have the backend. */
  private Route scheduleMaintenance(String name, HttpRequest req) {
    return withJsonBody(req, SMALL_BODY, body -> {
      String kind = body.path("kind").isTextual() ? body.get("kind").textValue() : "";
      if (!kind.equals("calibration") && !kind.equals("upgrade")) {
        throw ApiException.badRequest("kind: must be \"calibration\" or \"upgrade\"");
      }
      var d = body.get("duration_seconds");
      if (d == null || !d.isNumber() || !(d.asDouble() > 0) || d.asDouble() > MAX_MAINTENANCE_SECONDS) {
        throw ApiException.badRequest("duration_seconds: must be a number of seconds above 0 and at most "
            + (long) MAX_MAINTENANCE_SECONDS);
      }
      Duration duration = Duration.ofNanos((long) (d.asDouble() * 1e9));
      return gateway.scheduleMaintenance(name, kind, duration)
          .thenApply(id -> Json.response(202, Json.obj("id", id)));
    });
  }

  private Map<String, Object> configuration(BackendSpec spec) {
    TimingModel t = spec.timing();
    return Json.obj("backend_name", spec.name(), "n_qubits", spec.qubits(), "simulator", false,
        "lanes", spec.lanes(), "max_shots", 10_000_000, "max_experiments", settings.jobLimits().maxExecutions(),
        "backend_version", spec.version(),
        "timing", Json.obj(
            "prep_per_circuit_seconds", seconds(t.prepPerCircuit()),
            "post_per_circuit_seconds", seconds(t.postPerCircuit()),
            "job_overhead_seconds", seconds(t.jobOverhead()),
            "job_overhead_per_qubit_layer_seconds", seconds(t.jobOverheadPerQubitLayer()),
            "shot_time_seconds", seconds(t.shotTime()),
            "layer_time_seconds", seconds(t.layerTime())));
  }

  private Route usage(Principal p) {
    LanesSettings.InstanceSettings inst = settings.instances().get(p.instance());
    return answer(gateway.usage(p.instance()).thenApply(u -> {
      var now = clock.instant();
      Double limit = inst == null ? null : inst.usageLimitSeconds();
      double allocation = inst == null ? 0 : inst.allocationSeconds();
      double cap = limit != null ? limit : allocation;
      return Json.ok(Json.obj(
          "instance_id", p.instance(),
          "plan_id", inst == null ? null : inst.plan(),
          "usage_period", Json.obj("start_time", Json.time(now.minus(settings.fairShareWindow())),
              "end_time", Json.time(now)),
          "usage_consumed_seconds", u.windowSeconds(),
          "usage_allocation_seconds", allocation,
          "usage_limit_seconds", limit,
          "usage_limit_reached", limit != null && u.windowSeconds() >= limit,
          "usage_remaining_seconds", Math.max(cap - u.windowSeconds(), 0)));
    }));
  }

  private Route setStatus(String name, HttpRequest req) {
    return withJsonBody(req, SMALL_BODY, body -> {
      String status = body.path("status").asText("");
      if (!status.equals("paused") && !status.equals("online")) {
        throw ApiException.badRequest("status: must be \"paused\" or \"online\"");
      }
      return gateway.setPaused(name, status.equals("paused")).thenApply(d -> Json.noContent());
    });
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
