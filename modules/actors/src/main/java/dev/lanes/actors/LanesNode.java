package dev.lanes.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.RecipientRef;
import akka.cluster.sharding.typed.ClusterShardingSettings;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import dev.lanes.actors.backend.BackendHost;
import dev.lanes.actors.backend.HistoryReads;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.SingletonActor;
import java.time.Duration;
import dev.lanes.actors.backend.Lane;
import dev.lanes.actors.backend.MaintenanceLog;
import dev.lanes.actors.backend.QueueArbiter;
import dev.lanes.actors.gateway.LocalGateway;
import dev.lanes.actors.gateway.SchedulerGateway;
import dev.lanes.actors.job.JobEntity;
import dev.lanes.actors.job.JobIndex;
import dev.lanes.actors.job.JobIntake;
import dev.lanes.actors.job.JobRecovery;
import dev.lanes.actors.job.JobWiring;
import dev.lanes.actors.session.SessionEntity;
import dev.lanes.actors.session.SessionIndex;
import dev.lanes.actors.session.SessionRecovery;
import dev.lanes.actors.session.SessionKeeper;
import dev.lanes.actors.session.SessionWiring;
import dev.lanes.actors.usage.UsageLedger;
import dev.lanes.core.exec.QpuExecutor;
import dev.lanes.core.model.BackendSpec;
import dev.lanes.core.queue.FairSharePolicy;
import dev.lanes.core.usage.UsageBook;
import java.time.Clock;
import akka.Done;
import java.util.HashMap;
import java.util.concurrent.CompletableFuture;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts the scheduler on an actor system: the node's read side (R29), one {@link BackendHost}
 * per configured backend as a cluster singleton (its lanes, queue arbiter and maintenance log),
 * and the sharded job, session and ledger entities. One node alone forms its own cluster; with
 * seed nodes it is one of many (issue 6). An embedding JVM service calls {@link #start} and talks
 * to {@link #gateway()}.
 */
public final class LanesNode {
  /** Where the backends' actors run (reference.conf says why they have their own threads). */
  private static final Props SCHEDULING = akka.actor.typed.DispatcherSelector.fromConfig("lanes-scheduling-dispatcher");
  private final LocalGateway gateway;
  private final CompletionStage<Done> recovered;
  private final java.util.List<ActorRef<BackendHost.Message>> hosts;
  private final Runnable wakeSessions;

  private LanesNode(LocalGateway gateway, CompletionStage<Done> recovered, java.util.List<ActorRef<BackendHost.Message>> hosts,
      Runnable wakeSessions) {
    this.gateway = gateway;
    this.recovered = recovered;
    this.hosts = hosts;
    this.wakeSessions = wakeSessions;
  }

  /**
   * Storage answers again; it last answered at {@code lastAnswered} (issue 8). Each backend that
   * was running then starts again in a new epoch and re-reads the journal (R29), and every session
   * not closed is woken, so one whose entity stopped on a failed write recovers and re-arms its
   * TTL timers from the deadlines it wrote.
   */
  public void storageReturned(java.time.Instant lastAnswered) {
    hosts.forEach(h -> h.tell(new BackendHost.StorageReturned(lastAnswered)));
    wakeSessions.run();
  }

  public SchedulerGateway gateway() {
    return gateway;
  }

  /** {@code GET /health/ready} also asks this whether storage answers (empty) or why not. */
  public void checkStorageWith(java.util.function.Supplier<java.util.Optional<String>> check) {
    gateway.checkStorageWith(check);
  }

  /** Completes when the queues are rebuilt; the gateway reports ready from then on. */
  public CompletionStage<Done> recovered() {
    return recovered;
  }

  public static LanesNode start(ActorSystem<?> system, LanesSettings settings, Clock clock, QpuExecutor executor) {
    Cluster cluster = Cluster.get(system);
    // A node with seed nodes is one of many (issue 6); without, it forms its own cluster alone.
    boolean clustered = !system.settings().config().getStringList("akka.cluster.seed-nodes").isEmpty();
    if (!clustered) {
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }
    ClusterSharding sharding = ClusterSharding.get(system);
    java.util.function.Function<String, RecipientRef<JobEntity.Command>> jobs =
        id -> sharding.entityRefFor(JobEntity.ENTITY_KEY, id);
    java.util.function.Function<String, RecipientRef<UsageLedger.Command>> ledgers =
        id -> sharding.entityRefFor(UsageLedger.ENTITY_KEY, id);
    java.util.function.Function<String, RecipientRef<SessionEntity.Command>> sessions =
        id -> sharding.entityRefFor(SessionEntity.ENTITY_KEY, id);

    // Device work (simulation) may block for a while: keep it off the actor dispatchers.
    ExecutorService devices = Executors.newFixedThreadPool(
        Math.max(2, Runtime.getRuntime().availableProcessors()), daemon("lanes-qpu"));
    system.getWhenTerminated().thenRun(devices::shutdownNow);

    UsageBook usageBook = new UsageBook(settings.fairShareWindow());
    JobIndex index = new JobIndex(clustered);
    SessionIndex sessionIndex = new SessionIndex();
    ReadSide readSide = new ReadSide(system, settings.readJournalPluginId(), index, sessionIndex, usageBook,
        settings.backends().keySet());
    CompletionStage<ReadSide.Loaded> loaded = readSide.load();
    java.util.concurrent.atomic.AtomicBoolean nodeLoaded = new java.util.concurrent.atomic.AtomicBoolean();
    // A backend that starts while this node reads the journal uses what it read; one that starts
    // later (fail-over) reads the journal again: only that has everything written since.
    HistoryReads fresh = new HistoryReads(() -> JobRecovery.replay(system, settings.readJournalPluginId())
        .thenCombine(SessionRecovery.replayAll(system, settings.readJournalPluginId()),
            (byId, ss) -> new BackendHost.History(byId, ss.byId().values())));
    java.util.function.LongFunction<CompletionStage<BackendHost.History>> history = since -> nodeLoaded.get()
        ? fresh.since(since)
        : loaded.thenApply(l -> new BackendHost.History(l.jobs().byId(), l.sessions().byId().values()));

    Map<String, CompletableFuture<Done>> backendsRecovered = new HashMap<>();
    Map<String, ActorRef<QueueArbiter.Command>> arbiters = new HashMap<>();
    Map<String, ActorRef<MaintenanceLog.Command>> maintenanceLogs = new HashMap<>();
    ClusterSingleton singletons = ClusterSingleton.get(system);
    java.util.List<ActorRef<BackendHost.Message>> hosts = new java.util.ArrayList<>();
    for (BackendSpec spec : settings.backends().values()) {
      Lane.Wiring laneWiring = new Lane.Wiring(spec.timing(), executor, devices, clock, jobs,
          settings.jobLimits().defaultShots(), settings.askTimeout());
      CompletableFuture<Done> recoveredHere = new CompletableFuture<>();
      backendsRecovered.put(spec.name(), recoveredHere);
      BackendHost.Wiring hostWiring = new BackendHost.Wiring(spec, laneWiring, jobs, sessions,
          new FairSharePolicy(settings::instancePlan, usageBook, settings.fairShareMaxWait()), clock,
          new QueueArbiter.Calibration(spec.calibrationEvery(), spec.calibrationDuration()),
          settings.requeueInterrupted(), settings.askTimeout(), history,
          clustered ? settings.clusterCatchUpAfter() : Duration.ZERO,
          name -> recoveredHere.complete(Done.getInstance()));
      // Once in the cluster: on the oldest node, and on the next oldest when that one goes.
      ActorRef<BackendHost.Message> host = singletons.init(SingletonActor.of(
              Behaviors.supervise(BackendHost.create(hostWiring))
                  .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10), 0.2)),
              "backend-" + spec.name())
          .withProps(SCHEDULING));
      arbiters.put(spec.name(), host.narrow());
      hosts.add(host);
      maintenanceLogs.put(spec.name(), host.narrow());
    }

    JobWiring wiring = new JobWiring(clock, index, arbiters::get, ledgers, sessions, settings.askTimeout());
    sharding.init(Entity.of(JobEntity.ENTITY_KEY, ctx -> JobEntity.create(ctx.getEntityId(), wiring)));
    // In a cluster every node's read side follows the charges; alone, the ledger tells the book.
    UsageBook ledgerBook = clustered ? null : usageBook;
    sharding.init(Entity.of(UsageLedger.ENTITY_KEY, ctx -> UsageLedger.create(ctx.getEntityId(), clock, ledgerBook)));
    SessionWiring sessionWiring = new SessionWiring(clock, sessionIndex, arbiters::get, ledgers, settings.askTimeout(),
        submitted -> JobIntake.admit(index, arbiters::get, submitted));
    // A session's TTL timers live in its entity, so it must not be passivated while it waits.
    sharding.init(Entity.of(SessionEntity.ENTITY_KEY, ctx -> SessionEntity.create(ctx.getEntityId(), sessionWiring))
        .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy()));
    if (clustered) {
      system.systemActorOf(SessionKeeper.create(sessionIndex, sessions), "session-keeper", Props.empty());
    }

    CompletionStage<Done> readSideReady = loaded.thenApply(l -> {
      nodeLoaded.set(true);
      // A backend re-sends the charges its jobs may owe when it starts; a job of a backend no
      // longer configured has no backend to do it, so every node does at its start (R27: the
      // ledger ignores a charge it has).
      l.jobs().byId().values().stream()
          .filter(s -> !settings.backends().containsKey(s.backend()) && dev.lanes.core.job.JobRules.owesCharge(s))
          .forEach(s -> jobs.apply(s.jobId()).tell(JobEntity.EnsureCharged.INSTANCE));
      if (clustered) {
        readSide.follow(l);
      }
      return Done.getInstance();
    });
    // Alone, the node is ready once its backends have rebuilt their queues too (R29); in a
    // cluster they may live on another node, and this one serves as soon as its read side does.
    CompletionStage<Done> recovered = clustered ? readSideReady : readSideReady.thenCompose(d ->
        CompletableFuture.allOf(backendsRecovered.values().toArray(CompletableFuture[]::new))
            .thenApply(v -> Done.getInstance()));
    ActorRef<JobIntake.Command> intake = system.systemActorOf(JobIntake.create(index, arbiters::get), "job-intake",
        Props.empty());
    LocalGateway gateway = new LocalGateway(system, settings, index, sessionIndex, arbiters, jobs, intake, ledgers,
        sessions, usageBook, maintenanceLogs, clustered);
    recovered.thenRun(gateway::markReady);
    return new LanesNode(gateway, recovered, java.util.List.copyOf(hosts),
        () -> SessionKeeper.wakeAll(sessionIndex, sessions, system.ignoreRef()));
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
