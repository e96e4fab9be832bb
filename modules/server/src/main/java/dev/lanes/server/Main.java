package dev.lanes.server;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.lanes.actors.LanesNode;
import dev.lanes.actors.LanesSettings;
import dev.lanes.core.audit.AuditLog;
import dev.lanes.core.exec.SimulatedQpu;
import dev.lanes.http.HttpServer;
import java.io.File;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code scripts/run}: one Lanes node — scheduler, storage and the HTTP API. */
@Command(name = "lanes-server", mixinStandardHelpOptions = true,
    description = "Starts a Lanes node: the scheduler and its HTTP API on embedded (H2) or PostgreSQL storage.")
public final class Main implements Callable<Integer> {
  /** The token reference.conf configures for a local trial (its plaintext is public). */
  static final String DEMO_TOKEN = "demo-token";

  @Option(names = "--config", paramLabel = "FILE", description = "HOCON file layered over the defaults")
  File config;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Config user = ConfigFactory.empty();
    if (config != null) {
      if (!config.isFile()) {
        System.err.println("lanes: config file not found: " + config);
        return 2;
      }
      user = ConfigFactory.parseFile(config);
    }
    Node node;
    try {
      node = Node.start(user);
    } catch (ConfigException e) {
      System.err.println("lanes: bad configuration: " + e.getMessage());
      return 2;
    } catch (Storage.StartupException e) {
      System.err.println("lanes: " + e.getMessage());
      return 1;
    }
    readyLines(node.settings(), node.port()).forEach(System.out::println);
    System.out.flush();
    node.system().getWhenTerminated().toCompletableFuture().get();
    return 0;
  }

  /**
   * What {@code scripts/run} prints once the node is ready. Configured tokens are secrets: never
   * printed or logged (issue 8, item 7). The one printed is the built-in demo token, public in
   * reference.conf and the README, and only while it is still configured: it is how a local trial
   * starts, and the line says to replace it.
   */
  static java.util.List<String> readyLines(LanesSettings s, int port) {
    java.util.List<String> lines = new java.util.ArrayList<>();
    lines.add(String.format("Lanes is ready at http://%s:%d/api/v1  (storage: %s, data: %s)",
        s.httpHost(), port, s.storage(), Path.of(s.dataDir()).toAbsolutePath()));
    var demo = s.token(DEMO_TOKEN);
    demo.ifPresent(t -> lines.add(String.format("Token: %s   (the built-in demo token: replace lanes.tokens before"
        + " others can reach the port; try: curl -H 'Authorization: Bearer %s' http://%s:%d/api/v1/backends)",
        DEMO_TOKEN, DEMO_TOKEN, s.httpHost(), port)));
    lines.add(String.format("Dashboard: http://%s:%d/%s   (live lanes, queues, sessions, usage; admin tokens)",
        s.httpHost(), port, demo.filter(LanesSettings.TokenSettings::admin).isPresent() ? "#token=" + DEMO_TOKEN : ""));
    return lines;
  }

  /** A started node; also used by tests that run the real stack in-process. */
  public record Node(ActorSystem<Void> system, LanesSettings settings, int port, LanesNode lanes,
      java.nio.channels.FileLock dataDirLock) {

    public static Node start(Config user) throws Exception {
      return start(user, Clock.systemUTC());
    }

    /** A node whose scheduler and API read time from {@code clock} (tests: a clock they move). */
    public static Node start(Config user, Clock clock) throws Exception {
      Config base = LanesSettings.load(user);
      LanesSettings settings = LanesSettings.create(base);
      java.nio.channels.FileLock lock =
          settings.storage().equals("h2") ? Storage.lockDataDir(Path.of(settings.dataDir())) : null;
      Config storage = Storage.config(settings, base.getConfig("lanes"));
      Config all = LanesSettings.load(user.withFallback(storage).withFallback(ConfigFactory.parseString(
          "akka.http.server.parsing.max-content-length = " + settings.jobLimits().maxPayloadBytes())));
      ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "lanes", all);
      try {
        Storage.createSchema(settings, all);
        Storage.verifySchema(all);
        LanesNode lanes = LanesNode.start(system, settings, clock, new SimulatedQpu());
        StorageProbe probe = settings.storage().equals("h2")
            ? new StorageProbe(Database.of(all), 1000, clock, Path.of(settings.dataDir()), settings.h2MinFreeBytes())
            : new StorageProbe(Database.of(all), 1000, clock);
        system.getWhenTerminated().thenRun(probe::close);
        lanes.checkStorageWith(probe::problem);
        probe.onReturn(lanes::storageReturned);
        lanes.recovered().toCompletableFuture().get(5, TimeUnit.MINUTES);
        AuditLog audit = auditLog(system, settings, all, clock);
        int port = HttpServer.start(system, lanes.gateway(), settings.httpHost(), settings.httpPort(), clock, audit)
            .toCompletableFuture().get(30, TimeUnit.SECONDS).localAddress().getPort();
        system.getWhenTerminated().thenRun(() -> {
          synchronized (Node.class) {
            release(lock);
          }
        });
        return new Node(system, settings, port, lanes, lock);
      } catch (Exception | Error e) {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        release(lock);
        throw e;
      }
    }

    /**
     * Issue 8: the audit log in the journal's database, closed (what is queued written) after the
     * HTTP server has unbound and answered what it had, so every answered call is in it.
     */
    private static AuditLog auditLog(ActorSystem<Void> system, LanesSettings settings, Config all, Clock clock) {
      if (!settings.audit().enabled()) {
        return AuditLog.OFF;
      }
      JdbcAuditLog audit = new JdbcAuditLog(Database.of(all), system.address().toString(),
          settings.audit().retention(), clock);
      CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "lanes-audit-close",
          () -> CompletableFuture.runAsync(audit::close).thenApply(v -> Done.getInstance()));
      return audit;
    }

    private static void release(java.nio.channels.FileLock lock) {
      if (lock != null && lock.isValid()) {
        try {
          lock.release();
          lock.channel().close();
        } catch (java.io.IOException ignored) {
          // the process is going away; the OS frees the lock anyway
        }
      }
    }

    /** Stops the node; the data dir is free for another node when this returns. */
    public void stop() throws Exception {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(Duration.ofSeconds(60).toSeconds(), TimeUnit.SECONDS);
      // the release hooked on termination may not have run yet: do it here, before returning
      synchronized (Node.class) {
        release(dataDirLock);
      }
    }
  }
}
