package dev.lanes.http;

import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import dev.lanes.actors.LanesSettings;
import dev.lanes.actors.gateway.SchedulerGateway;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.Query;
import com.fasterxml.jackson.databind.JsonNode;

/** What every group of routes shares: the gateway, settings, clock, and async answers. */
abstract class ApiDirectives extends AllDirectives {
  protected final SchedulerGateway gateway;
  protected final LanesSettings settings;
  protected final Clock clock;
  /** Size limit of bodies other than a job's (sessions, admin calls). */
  protected static final long SMALL_BODY = 64 * 1024;
  /** How long a body may take to arrive (lanes.http.body-read-timeout): then a 408. */
  protected final long bodyReadMillis;

  ApiDirectives(SchedulerGateway gateway, Clock clock) {
    this.gateway = gateway;
    this.settings = gateway.settings();
    this.clock = clock;
    this.bodyReadMillis = settings.httpBodyReadTimeout().toMillis();
  }

  /** Completes with the answer, or with the error body of whatever failed on the way. */
  protected Route answer(CompletionStage<HttpResponse> response) {
    return completeWithFuture(response.exceptionally(Errors::toResponse));
  }

  /** Reads a small JSON body (415 if not JSON, 413 past {@code limit}) and answers from it. */
  protected Route withJsonBody(HttpRequest req, long limit, Function<JsonNode, CompletionStage<HttpResponse>> handler) {
    Http.requireJson(req);
    return extractMaterializer(mat -> answer(Http.readBody(req, limit, bodyReadMillis, mat)
        .thenCompose(bytes -> handler.apply(Json.parse(bytes.toArray())))));
  }

  protected static int integer(Query q, String name, int dflt, int min, int max) {
    Optional<String> v = q.get(name);
    if (v.isEmpty()) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.get().trim());
      if (n < min || n > max) {
        throw ApiException.badRequest(name + ": must be from " + min + " to " + max + ", got " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + ": must be an integer from " + min + " to " + max);
    }
  }

  protected static boolean bool(Query q, String name, boolean dflt) {
    Optional<String> v = q.get(name);
    if (v.isEmpty()) {
      return dflt;
    }
    if (v.get().equalsIgnoreCase("true")) {
      return true;
    }
    if (v.get().equalsIgnoreCase("false")) {
      return false;
    }
    throw ApiException.badRequest(name + ": must be true or false");
  }

}
