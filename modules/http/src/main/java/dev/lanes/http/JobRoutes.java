package dev.lanes.http;

import static akka.http.javadsl.server.PathMatchers.segment;

import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.Query;
import akka.http.javadsl.server.Route;
import akka.stream.Materializer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.actors.LanesSettings;
import dev.lanes.actors.backend.QueueArbiter;
import dev.lanes.actors.gateway.SchedulerGateway;
import dev.lanes.actors.job.JobIndex;
import dev.lanes.actors.job.JobSubmissions;
import dev.lanes.core.job.JobEvent;
import dev.lanes.core.job.JobState;
import dev.lanes.core.job.JobStatus;
import dev.lanes.core.session.SessionView;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** {@code /api/v1/jobs}: create, get, list, cancel, delete, results, metrics (api.md "Jobs"). */
final class JobRoutes extends ApiDirectives {
  JobRoutes(SchedulerGateway gateway, Clock clock) {
    super(gateway, clock);
  }

  Route route(Principal p, HttpRequest req) {
    return pathPrefix("jobs", () -> concat(
        pathEnd(() -> concat(
            post(() -> submit(Auth.requireInstance(p), req)),
            get(() -> list(Auth.requireInstance(p), req.getUri().query())))),
        pathPrefix(segment(), id -> concat(
            pathEnd(() -> concat(
                get(() -> get(p, id, req.getUri().query())),
                delete(() -> answer(gateway.delete(own(p, id)).thenApply(r -> switch (r) {
                  case DELETED -> Json.noContent();
                  case NOT_FINAL -> Json.error(409, "job " + id + " is not in a final state: cancel it first");
                  case NOT_FOUND -> Json.error(404, "job not found: " + id);
                }))))),
            path("cancel", () -> post(() -> answer(gateway.cancel(own(p, id)).thenApply(r -> switch (r) {
              case CANCELLED -> Json.noContent();
              case NOT_CANCELLABLE -> Json.error(409, "job " + id + " cannot be cancelled: it is already final");
              case NOT_FOUND -> Json.error(404, "job not found: " + id);
            })))),
            path("results", () -> get(() -> {
              JobState s = own(p, id);
              return complete(s.status() == JobStatus.Completed && s.resultJson() != null
                  ? Json.ok(s.resultJson()) : Json.noContent());
            })),
            path("metrics", () -> get(() -> complete(Json.ok(JobViews.metrics(own(p, id))))))))));
  }

  /** The job, if it belongs to the caller's instance: other instances' jobs are 404 (api.md). */
  private JobState own(Principal p, String id) {
    return gateway.job(id).filter(s -> p.instance() != null && p.instance().equals(s.instance()))
        .orElseThrow(() -> ApiException.notFound("job not found: " + id));
  }

  private Route submit(Principal p, HttpRequest req) {
    return extractMaterializer(mat -> answer(submit(p, req, mat)));
  }

  /**
   * POST /jobs: validates, reads the body (413 past jobs.max-payload, also without a
   * Content-Length), and answers once the job is durable. Also called without the routing DSL by
   * {@link LanesRoutes#handler}: every failure, thrown or in the future, is a failed stage.
   */
  CompletionStage<HttpResponse> submit(Principal p, HttpRequest req, Materializer mat) {
    try {
      Http.requireJson(req);
      long limit = settings.jobLimits().maxPayloadBytes();
      String idempotencyKey = req.getHeader("Idempotency-Key").map(h -> h.value()).orElse(null);
      return Http.readBody(req, limit, bodyReadMillis, mat).thenCompose(bytes -> {
        JsonNode body = Json.parse(bytes.toArray());
        SessionView session = session(p, body);
        JobEvent.Submitted s = JobSubmissions.prepare(settings, p.instance(), p.user(), body,
            idempotencyKey, session == null ? null : session.id(), session == null ? null : session.mode(),
            clock.instant());
        if (session != null && !session.backend().equals(s.backend())) {
          throw ApiException.badRequest("backend: the job names '" + s.backend() + "' but session "
              + session.id() + " runs on '" + session.backend() + "'");
        }
        return gateway.submit(s).thenApply(a -> Json.ok(Json.obj("id", a.jobId(), "backend", s.backend(),
            "session_id", s.sessionId())));
      });
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The session a job names, if it names one: unknown or another instance's is 404. */
  private SessionView session(Principal p, JsonNode body) {
    JsonNode n = body.get("session_id");
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw ApiException.badRequest("session_id: must be a string");
    }
    String id = n.textValue();
    return gateway.session(id).filter(v -> v.instance().equals(p.instance()))
        .orElseThrow(() -> ApiException.notFound("session not found: " + id));
  }

  private Route get(Principal p, String id, Query q) {
    JobState s = own(p, id);
    boolean params = !bool(q, "exclude_params", false);
    return answer(positions(List.of(s)).thenApply(pos -> Json.ok(JobViews.job(s, pos, params))));
  }

  private Route list(Principal p, Query q) {
    int limit = integer(q, "limit", 200, 1, 200);
    int offset = integer(q, "offset", 0, 0, Integer.MAX_VALUE);
    Predicate<JobState> filter = null;
    Optional<String> sessionId = q.get("session_id");
    if (sessionId.isPresent()) {
      String sid = sessionId.get();
      gateway.session(sid).filter(v -> v.instance().equals(p.instance()))
          .orElseThrow(() -> ApiException.notFound("session not found: " + sid));
      filter = and(filter, s -> sid.equals(s.sessionId()));
    }
    Optional<String> backend = q.get("backend");
    if (backend.isPresent()) {
      filter = and(filter, s -> s.backend().equals(backend.get()));
    }
    Optional<String> program = q.get("program");
    if (program.isPresent()) {
      filter = and(filter, s -> s.programId().equals(program.get()));
    }
    Boolean pending = q.get("pending").isPresent() ? bool(q, "pending", false) : null;
    List<String> tags = q.getAll("tags");
    if (!tags.isEmpty()) {
      filter = and(filter, s -> s.tags().containsAll(tags));
    }
    Instant after = instant(q, "created_after").orElse(null);
    Instant before = instant(q, "created_before").orElse(null);
    String sort = q.get("sort").orElse("DESC");
    if (!sort.equalsIgnoreCase("ASC") && !sort.equalsIgnoreCase("DESC")) {
      throw ApiException.badRequest("sort: must be ASC or DESC");
    }
    boolean params = !bool(q, "exclude_params", false);
    JobIndex.Page page = gateway.jobs(new JobIndex.Query(p.instance(), pending, after, before, filter,
        sort.equalsIgnoreCase("ASC"), offset, limit));
    return answer(positions(page.jobs()).thenApply(pos -> Json.ok(Json.obj(
        "jobs", page.jobs().stream().map(s -> JobViews.job(s, pos, params)).collect(Collectors.toList()),
        "count", page.total(), "limit", limit, "offset", offset))));
  }

  private static Predicate<JobState> and(Predicate<JobState> a, Predicate<JobState> b) {
    return a == null ? b : a.and(b);
  }

  /** Positions and expected starts of the queued ones among {@code jobs}, from their arbiters. */
  private CompletionStage<QueueArbiter.Positions> positions(List<JobState> jobs) {
    Map<String, List<String>> byBackend = jobs.stream().filter(s -> s.status() == JobStatus.Queued)
        .collect(Collectors.groupingBy(JobState::backend, Collectors.mapping(JobState::jobId, Collectors.toList())));
    List<CompletableFuture<QueueArbiter.Positions>> asks = new ArrayList<>();
    byBackend.forEach((b, ids) -> asks.add(gateway.queuePositions(b, ids).toCompletableFuture()));
    return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).thenApply(v -> {
      Map<String, Integer> positions = new HashMap<>();
      Map<String, java.time.Instant> starts = new HashMap<>();
      asks.forEach(a -> {
        positions.putAll(a.join().positions());
        starts.putAll(a.join().estimatedStarts());
      });
      return new QueueArbiter.Positions(positions, starts);
    });
  }

  private static Optional<Instant> instant(Query q, String name) {
    Optional<String> v = q.get(name);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(v.get().trim()).toInstant());
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(name + ": must be an ISO-8601 timestamp such as 2026-11-25T18:40:16Z");
    }
  }
}
