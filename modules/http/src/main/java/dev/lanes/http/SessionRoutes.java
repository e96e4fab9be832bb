package dev.lanes.http;

import static akka.http.javadsl.server.PathMatchers.segment;

import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.Query;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lanes.actors.LanesSettings;
import dev.lanes.actors.gateway.SchedulerGateway;
import dev.lanes.actors.session.SessionEntity;
import dev.lanes.actors.session.SessionIndex;
import dev.lanes.core.session.SessionMode;
import dev.lanes.core.session.SessionRules;
import dev.lanes.core.session.SessionStatus;
import dev.lanes.core.session.SessionView;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** {@code /api/v1/sessions}: sessions and batches (api.md "Sessions and batches"). */
final class SessionRoutes extends ApiDirectives {
  SessionRoutes(SchedulerGateway gateway, Clock clock) {
    super(gateway, clock);
  }

  Route route(Principal p, HttpRequest req) {
    return pathPrefix("sessions", () -> concat(
        pathEnd(() -> concat(
            post(() -> create(Auth.requireInstance(p), req)),
            get(() -> list(Auth.requireInstance(p), req.getUri().query())))),
        pathPrefix(segment(), id -> concat(
            pathEnd(() -> concat(
                get(() -> complete(Json.ok(SessionViews.session(own(p, id), clock.instant())))),
                patch(() -> stopAccepting(p, id, req)))),
            path("close", () -> delete(() -> {
              own(p, id);
              return answer(done(id, gateway.cancelSession(id)));
            }))))));
  }

  /** The session, if it belongs to the caller's instance: others are 404 (api.md). */
  SessionView own(Principal p, String id) {
    return gateway.session(id).filter(s -> p.instance() != null && p.instance().equals(s.instance()))
        .orElseThrow(() -> ApiException.notFound("session not found: " + id));
  }

  private Route create(Principal p, HttpRequest req) {
    String idempotencyKey = req.getHeader("Idempotency-Key").map(h -> h.value()).orElse(null);
    return withJsonBody(req, SMALL_BODY, body -> {
      if (!body.isObject()) {
        throw ApiException.badRequest("body: must be a JSON object");
      }
      String modeName = body.path("mode").isTextual() ? body.get("mode").textValue() : null;
      SessionMode mode = SessionMode.fromWire(modeName).orElseThrow(() ->
          ApiException.badRequest("mode: must be \"dedicated\" or \"batch\""));
      JsonNode backendNode = body.get("backend");
      if (backendNode == null || !backendNode.isTextual() || backendNode.textValue().isEmpty()) {
        throw ApiException.badRequest("backend: is required (a backend name)");
      }
      String backend = backendNode.textValue();
      if (settings.backend(backend).isEmpty()) {
        throw ApiException.notFound("backend not found: '" + backend + "'");
      }
      JsonNode instanceNode = body.get("instance");
      if (instanceNode != null && !instanceNode.isNull()
          && !(instanceNode.isTextual() && instanceNode.textValue().equals(p.instance()))) {
        throw new ApiException(403, "instance: the token has no access to instance "
            + instanceNode + " for this call (select it with the Service-CRN header)");
      }
      SessionRules.Limits limits = limits(mode);
      Long maxTtl = maxTtl(body.get("max_ttl"), limits);
      LanesSettings.InstanceSettings inst = settings.instances().get(p.instance());
      if (mode == SessionMode.DEDICATED && inst != null && !inst.sessionsAllowed()) {
        throw new ApiException(403, "the plan of instance " + p.instance()
            + " has no dedicated sessions (sessions-allowed = false): use batch mode");
      }
      var opened = SessionRules.open(sessionId(p.instance(), idempotencyKey), mode, backend, p.instance(),
          p.user(), maxTtl, limits, clock.instant());
      return gateway.openSession(opened, idempotencyKey).thenApply(v -> Json.ok(SessionViews.session(v, clock.instant())));
    });
  }

  private SessionRules.Limits limits(SessionMode mode) {
    return mode == SessionMode.DEDICATED
        ? new SessionRules.Limits(settings.sessionInteractiveTtl(), settings.sessionMaxTtl(), settings.sessionUnusedTimeout())
        : new SessionRules.Limits(settings.batchInteractiveTtl(), settings.batchMaxTtl(), settings.sessionUnusedTimeout());
  }

  private static Long maxTtl(JsonNode n, SessionRules.Limits limits) {
    if (n == null || n.isNull()) {
      return null;
    }
    long max = limits.systemMaxTtl().toSeconds();
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw ApiException.badRequest("max_ttl: must be an integer number of seconds from 1 to " + max);
    }
    SessionRules.checkMaxTtl(n.longValue(), limits).ifPresent(r -> {
      throw ApiException.of(r);
    });
    return n.longValue();
  }

  /** As for jobs: a retried create with the same key is the same session. */
  private static String sessionId(String instance, String idempotencyKey) {
    if (idempotencyKey == null || idempotencyKey.isEmpty()) {
      return UUID.randomUUID().toString();
    }
    return SessionEntity.keyedId(instance, idempotencyKey, 0); // the gateway walks later generations
  }

  private Route stopAccepting(Principal p, String id, HttpRequest req) {
    own(p, id);
    return withJsonBody(req, SMALL_BODY, body -> {
      JsonNode accepting = body.get("accepting_jobs");
      if (accepting == null || !accepting.isBoolean()) {
        throw ApiException.badRequest("accepting_jobs: is required and must be false");
      }
      if (accepting.booleanValue()) {
        throw ApiException.badRequest("accepting_jobs: can only be set to false; a session that stopped "
            + "accepting jobs cannot be reopened (open a new session)");
      }
      return done(id, gateway.stopAccepting(id));
    });
  }

  private static CompletionStage<HttpResponse> done(String id, CompletionStage<SessionEntity.Reply> reply) {
    return reply.thenApply(r -> r == SessionEntity.Reply.DONE
        ? Json.noContent() : Json.error(404, "session not found: " + id));
  }

  private Route list(Principal p, Query q) {
    int limit = integer(q, "limit", 200, 1, 200);
    int offset = integer(q, "offset", 0, 0, Integer.MAX_VALUE);
    Predicate<SessionView> filter = s -> p.instance().equals(s.instance());
    Optional<String> state = q.get("state");
    if (state.isPresent()) {
      SessionStatus st = Arrays.stream(SessionStatus.values()).filter(x -> x.wire().equals(state.get()))
          .findFirst().orElseThrow(() -> ApiException.badRequest("state: must be one of "
              + Arrays.stream(SessionStatus.values()).map(SessionStatus::wire).collect(Collectors.joining(", "))));
      filter = filter.and(s -> s.status() == st);
    }
    Optional<String> mode = q.get("mode");
    if (mode.isPresent()) {
      SessionMode m = SessionMode.fromWire(mode.get())
          .orElseThrow(() -> ApiException.badRequest("mode: must be dedicated or batch"));
      filter = filter.and(s -> s.mode() == m);
    }
    Optional<String> backend = q.get("backend");
    if (backend.isPresent()) {
      filter = filter.and(s -> s.backend().equals(backend.get()));
    }
    SessionIndex.Page page = gateway.sessions(filter, offset, limit);
    var now = clock.instant();
    return complete(Json.ok(Json.obj(
        "sessions", page.sessions().stream().map(s -> SessionViews.session(s, now)).collect(Collectors.toList()),
        "count", page.total(), "limit", limit, "offset", offset)));
  }
}
