package dev.lanes.http;

import static akka.http.javadsl.server.PathMatchers.segment;

import akka.actor.ClassicActorSystemProvider;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.ExceptionHandler;
import akka.http.javadsl.server.RejectionHandler;
import akka.http.javadsl.server.Route;
import akka.japi.function.Function;
import akka.stream.Materializer;
import dev.lanes.actors.gateway.SchedulerGateway;
import dev.lanes.core.audit.AuditLog;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The whole HTTP API v1 (design/api.md), with the error body on every error. */
public final class LanesRoutes extends AllDirectives {
  /** API versions a client may name in {@code IBM-API-Version}; the header is accepted and ignored. */
  static final List<String> VERSIONS =
      List.of("2024-01-01", "2025-01-01", "2025-05-01", "2026-02-01", "2026-02-15", "2026-03-15", "2026-04-15");

  private static final String SUBMIT_PATH = "/api/v1/jobs";
  private static final String NOT_READY = "not ready: " + SchedulerGateway.RECOVERING;

  private final SchedulerGateway gateway;
  private final Auth auth;
  private final JobRoutes jobs;
  private final BackendRoutes backends;
  private final SessionRoutes sessions;
  private final LanesMetrics metrics;
  private final DashboardRoutes dashboard;
  private final AuditTrail audit;
  private final AuditRoutes auditRoutes;

  public LanesRoutes(SchedulerGateway gateway, Clock clock) {
    this(gateway, clock, AuditLog.OFF);
  }

  /** With the audit log (issue 8) of state-changing calls in {@code auditLog}. */
  public LanesRoutes(SchedulerGateway gateway, Clock clock, AuditLog auditLog) {
    this.gateway = gateway;
    this.metrics = new LanesMetrics(gateway);
    this.auth = new Auth(gateway.settings());
    this.jobs = new JobRoutes(gateway, clock);
    this.backends = new BackendRoutes(gateway, clock);
    this.sessions = new SessionRoutes(gateway, clock);
    this.dashboard = new DashboardRoutes(gateway, clock);
    this.audit = new AuditTrail(auditLog, auth, clock, gateway.settings().askTimeout(), gateway::storageProblem);
    this.auditRoutes = new AuditRoutes(gateway, clock, auditLog);
  }

  public Route route() {
    return handleExceptions(exceptions(), () -> handleRejections(rejections(), () -> concat(
        dashboard.assets(), // the live dashboard's page and files (issue 7): no token, no build step
        pathPrefix("health", () -> concat(
            path("alive", () -> get(() -> complete(Json.ok(Json.obj("status", "alive"))))),
            path("ready", () -> get(() -> complete(gateway.notReady()
                .map(why -> Json.error(503, "not ready: " + why))
                .orElseGet(() -> Json.ok(Json.obj("status", "ready")))))))),
        // Prometheus' text format (issue 7); admin tokens only: it names instances and their usage.
        path("metrics", () -> get(() -> extractRequest(req -> {
          if (!auth.authenticate(req).admin()) {
            throw new ApiException(403, "GET /metrics needs a token with admin = true");
          }
          return completeWithFuture(metrics.scrape().thenApply(text ->
              HttpResponse.create().withEntity(akka.http.javadsl.model.ContentTypes.TEXT_PLAIN_UTF8, text)));
        }))),
        pathPrefix(segment("api").slash("v1"), () -> concat(
            path("versions", () -> get(() -> complete(Json.ok(Json.obj("versions", VERSIONS))))),
            extractRequest(req -> {
              Principal p = caller(req);
              return concat(jobs.route(p, req), sessions.route(p, req), backends.route(p, req),
                  auditRoutes.route(p, req));
            }))))));
  }

  /**
   * What the server binds: {@link #route()}, except that {@code POST /api/v1/jobs}, the one call
   * made thousands of times a second, goes straight to its handler. The routing DSL builds the
   * directive tree of every route group per request; for a submit that cost about as much CPU as
   * the rest of the request (issue 5, W1). The answers are the same: same code, same error bodies.
   * Both ways, a state-changing call is recorded in the audit log before it is answered (issue 8).
   */
  public Function<HttpRequest, CompletionStage<HttpResponse>> handler(ClassicActorSystemProvider system) {
    Function<HttpRequest, CompletionStage<HttpResponse>> routes = route().handler(system);
    Materializer mat = Materializer.matFromSystem(system);
    return req -> audit.around(req, () -> isSubmit(req) ? submit(req, mat) : routes.apply(req));
  }

  private static boolean isSubmit(HttpRequest req) {
    return req.method().equals(HttpMethods.POST) && SUBMIT_PATH.equals(req.getUri().path());
  }

  private CompletionStage<HttpResponse> submit(HttpRequest req, Materializer mat) {
    CompletionStage<HttpResponse> answer;
    try {
      answer = jobs.submit(Auth.requireInstance(caller(req)), req, mat);
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    return answer.exceptionally(Errors::toResponse);
  }

  /**
   * Who calls (401/403/400 otherwise); 503 while the node is still recovering, and for a write
   * while storage does not answer (issue 8: nothing is written, the client retries; reads go on).
   */
  private Principal caller(HttpRequest req) {
    Principal p = auth.authenticate(req);
    if (!gateway.ready()) {
      throw new ApiException(503, NOT_READY);
    }
    if (!req.method().equals(HttpMethods.GET) && !req.method().equals(HttpMethods.HEAD)) {
      gateway.storageProblem().ifPresent(problem -> {
        throw new ApiException(503, problem + "; nothing was written, retry");
      });
    }
    return p;
  }

  private static ExceptionHandler exceptions() {
    return ExceptionHandler.newBuilder().match(Throwable.class, e -> new AllDirectives() {}.complete(Errors.toResponse(e))).build();
  }

  /** Akka's own answers (404, 405, …) keep their status but get api.md's error body. */
  private static RejectionHandler rejections() {
    return RejectionHandler.defaultHandler().mapRejectionResponse(LanesRoutes::asErrorBody);
  }

  private static HttpResponse asErrorBody(HttpResponse r) {
    if (r.entity().getContentType().mediaType().equals(akka.http.javadsl.model.MediaTypes.APPLICATION_JSON)) {
      return r;
    }
    String text = r.entity() instanceof HttpEntity.Strict s ? s.getData().utf8String() : r.status().reason();
    int status = r.status().intValue();
    if (status == 404) {
      text = "no such path: " + text;
    }
    return Json.error(status, text.isBlank() ? r.status().reason() : text);
  }
}
