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
import dev.lanes.actors.backend.Backend;
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
import dev.lanes.actors.session.SessionWiring;
import dev.lanes.actors.usage.UsageLedger;
import dev.lanes.core.exec.QpuExecutor;
import dev.lanes.core.model.BackendSpec;
import dev.lanes.actors.usage.UsageRecovery;
import dev.lanes.core.queue.FairSharePolicy;
import dev.lanes.core.usage.UsageBook;
import java.time.Clock;
import akka.Done;
import akka.actor.typed.javadsl.AskPattern;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts the scheduler on an actor system: one {@link Backend} and {@link QueueArbiter} per
 * configured backend, the sharded job and ledger entities, then recovery (R29). An embedding JVM
 * service calls {@link #start} and talks to {@link #gateway()}.
 */
public final class LanesNode {
  /** Where the backends' actors run (reference.conf says why they have their own threads). */
  private static final Props SCHEDULING = akka.actor.typed.DispatcherSelector.fromConfig("lanes-scheduling-dispatcher");
  private final LocalGateway gateway;
  private final CompletionStage<JobRecovery.Summary> recovered;

  private LanesNode(LocalGateway gateway, CompletionStage<JobRecovery.Summary> recovered) {
    this.gateway = gateway;
    this.recovered = recovered;
  }

  public SchedulerGateway gateway() {
    return gateway;
  }

  /** {@code GET /health/ready} also asks this whether storage answers (empty) or why not. */
  public void checkStorageWith(java.util.function.Supplier<java.util.Optional<String>> check) {
    gateway.checkStorageWith(check);
  }

  /** Completes when the queues are rebuilt; the gateway reports ready from then on. */
  public CompletionStage<JobRecovery.Summary> recovered() {
    return recovered;
  }

  public static LanesNode start(ActorSystem<?> system, LanesSettings settings, Clock clock, QpuExecutor executor) {
    Cluster cluster = Cluster.get(system);
    if (system.settings().config().getStringList("akka.cluster.seed-nodes").isEmpty()) {
      cluster.manager().tell(Join.create(cluster.selfMember().address())); // a single node forms its own cluster
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
    Map<String, ActorRef<QueueArbiter.Command>> arbiters = new HashMap<>();
    Map<String, ActorRef<MaintenanceLog.Command>> maintenanceLogs = new HashMap<>();
    for (BackendSpec spec : settings.backends().values()) {
      Lane.Wiring laneWiring = new Lane.Wiring(spec.timing(), executor, devices, clock, jobs,
          settings.jobLimits().defaultShots(), settings.askTimeout());
      ActorRef<Backend.Command> backend = system.systemActorOf(
          Backend.create(spec.name(), spec.lanes(), laneWiring), "backend-" + spec.name(), SCHEDULING);
      ActorRef<QueueArbiter.Command> arbiter = system.systemActorOf(
          QueueArbiter.create(spec.name(), spec.lanes(), spec.paused(), backend, jobs,
              new FairSharePolicy(settings::instancePlan, usageBook, settings.fairShareMaxWait()), clock,
              spec.timing(), new QueueArbiter.Calibration(spec.calibrationEvery(), spec.calibrationDuration()), true, true),
          "queue-" + spec.name(), SCHEDULING);
      ActorRef<MaintenanceLog.Command> log = system.systemActorOf(
          MaintenanceLog.create(spec.name(), arbiter, clock), "maintenance-" + spec.name(), SCHEDULING);
      arbiter.tell(new QueueArbiter.AttachLog(log));
      arbiters.put(spec.name(), arbiter);
      maintenanceLogs.put(spec.name(), log);
    }

    JobIndex index = new JobIndex();
    SessionIndex sessionIndex = new SessionIndex();
    JobWiring wiring = new JobWiring(clock, index, arbiters::get, ledgers, sessions, settings.askTimeout());
    sharding.init(Entity.of(JobEntity.ENTITY_KEY, ctx -> JobEntity.create(ctx.getEntityId(), wiring)));
    sharding.init(Entity.of(UsageLedger.ENTITY_KEY, ctx -> UsageLedger.create(ctx.getEntityId(), clock, usageBook)));
    SessionWiring sessionWiring = new SessionWiring(clock, sessionIndex, arbiters::get, ledgers, settings.askTimeout(),
        submitted -> JobIntake.admit(index, arbiters::get, submitted));
    // A session's TTL timers live in its entity, so it must not be passivated while it waits.
    sharding.init(Entity.of(SessionEntity.ENTITY_KEY, ctx -> SessionEntity.create(ctx.getEntityId(), sessionWiring))
        .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy()));

    // Order matters (R29): jobs replayed, then sessions restore holds and catch up on deadlines,
    // then jobs are queued again, landing behind the right holder or batch.
    List<CompletableFuture<Done>> logsRecovered = new ArrayList<>();
    maintenanceLogs.values().forEach(log -> logsRecovered.add(AskPattern.<MaintenanceLog.Command, Done>ask(log,
        MaintenanceLog.AwaitRecovered::new, settings.askTimeout(), system.scheduler()).toCompletableFuture()));
    CompletionStage<JobRecovery.Summary> recovered = CompletableFuture.allOf(logsRecovered.toArray(CompletableFuture[]::new))
        .thenCompose(v -> UsageRecovery.run(system, settings.readJournalPluginId(), usageBook))
        .thenCompose(charged -> JobRecovery.replay(system, settings.readJournalPluginId()))
        .thenCompose(states -> SessionRecovery.run(system, settings.readJournalPluginId(), sessionIndex,
                arbiters::get, sessions, states, settings.askTimeout())
            .thenCompose(s -> JobRecovery.restore(system, states, index, arbiters::get, jobs,
                settings.requeueInterrupted(), settings.askTimeout())))
        .thenApply(summary -> {
          // holds, batches, maintenance and the queues are all back: dispatching may begin
          arbiters.values().forEach(a -> a.tell(QueueArbiter.RecoveryDone.INSTANCE));
          return summary;
        });
    ActorRef<JobIntake.Command> intake = system.systemActorOf(JobIntake.create(index, arbiters::get), "job-intake",
        Props.empty());
    LocalGateway gateway = new LocalGateway(system, settings, index, sessionIndex, arbiters, jobs, intake, ledgers,
        sessions, usageBook, maintenanceLogs);
    recovered.thenRun(gateway::markReady);
    return new LanesNode(gateway, recovered);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
