package dev.lanes.http;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.settings.ServerSettings;
import dev.lanes.actors.gateway.SchedulerGateway;
import dev.lanes.core.audit.AuditLog;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/** Binds the API; unbinds first on coordinated shutdown so no request is cut half-way. */
public final class HttpServer {
  private HttpServer() {}

  public static CompletionStage<ServerBinding> start(ActorSystem<?> system, SchedulerGateway gateway,
      String host, int port, Clock clock) {
    return start(system, gateway, host, port, clock, AuditLog.OFF);
  }

  /** With the audit log of state-changing calls (issue 8). */
  public static CompletionStage<ServerBinding> start(ActorSystem<?> system, SchedulerGateway gateway,
      String host, int port, Clock clock, AuditLog audit) {
    // requests too malformed for the routes get api.md's error body too (ParsingErrors)
    ServerSettings server = ServerSettings.create(system.classicSystem())
        .withParsingErrorHandler(ParsingErrors.class.getName());
    CompletionStage<ServerBinding> binding = Http.get(system).newServerAt(host, port).withSettings(server)
        .bind(new LanesRoutes(gateway, clock, audit).handler(system));
    binding.thenAccept(b -> CoordinatedShutdown.get(system).addTask(
        CoordinatedShutdown.PhaseServiceUnbind(), "lanes-http-unbind",
        () -> b.terminate(Duration.ofSeconds(10)).thenApply(t -> Done.getInstance())));
    return binding;
  }
}
