package dev.lanes.http;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.settings.ServerSettings;
import dev.lanes.actors.gateway.SchedulerGateway;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/** Binds the API; unbinds first on coordinated shutdown so no request is cut half-way. */
public final class HttpServer {
  private HttpServer() {}

  public static CompletionStage<ServerBinding> start(ActorSystem<?> system, SchedulerGateway gateway,
      String host, int port, Clock clock) {
    // requests too malformed for the routes get api.md's error body too (ParsingErrors)
    ServerSettings server = ServerSettings.create(system.classicSystem())
        .withParsingErrorHandler(ParsingErrors.class.getName());
    CompletionStage<ServerBinding> binding = Http.get(system).newServerAt(host, port).withSettings(server)
        .bind(new LanesRoutes(gateway, clock, bodyReadTimeout(system.settings().config())).handler(system));
    binding.thenAccept(b -> CoordinatedShutdown.get(system).addTask(
        CoordinatedShutdown.PhaseServiceUnbind(), "lanes-http-unbind",
        () -> b.terminate(Duration.ofSeconds(10)).thenApply(t -> Done.getInstance())));
    return binding;
  }

  /** {@code lanes.http.body-read-timeout}: how long a client may take to send a body (then 408). */
  static Duration bodyReadTimeout(com.typesafe.config.Config config) {
    String key = "lanes.http.body-read-timeout";
    return config.hasPath(key) ? config.getDuration(key) : Duration.ofMillis(dev.lanes.http.Http.BODY_READ_MILLIS);
  }
}
