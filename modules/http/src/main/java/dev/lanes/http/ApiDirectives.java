package dev.lanes.http;

import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import dev.lanes.actors.LanesSettings;
import dev.lanes.actors.gateway.SchedulerGateway;
import java.time.Clock;
import java.util.concurrent.CompletionStage;

/** What every group of routes shares: the gateway, settings, clock, and async answers. */
abstract class ApiDirectives extends AllDirectives {
  protected final SchedulerGateway gateway;
  protected final LanesSettings settings;
  protected final Clock clock;

  ApiDirectives(SchedulerGateway gateway, Clock clock) {
    this.gateway = gateway;
    this.settings = gateway.settings();
    this.clock = clock;
  }

  /** Completes with the answer, or with the error body of whatever failed on the way. */
  protected Route answer(CompletionStage<HttpResponse> response) {
    return completeWithFuture(response.exceptionally(Errors::toResponse));
  }
}
