package dev.lanes.actors.backend;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import dev.lanes.actors.CborSerializable;
import dev.lanes.actors.job.JobEntity;
import dev.lanes.actors.job.JobRecovery;
import dev.lanes.actors.session.SessionEntity;
import dev.lanes.actors.session.SessionRecovery;
import dev.lanes.core.job.JobState;
import dev.lanes.core.model.BackendSpec;
import dev.lanes.core.queue.StartPolicy;
import dev.lanes.core.session.SessionState;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * One backend, once in the cluster (issue 6): its {@link Backend} with the lanes, its
 * {@link QueueArbiter} and its {@link MaintenanceLog}. It runs as a cluster singleton per backend,
 * so when its node goes, the oldest node left starts it again. Each start begins a new epoch in
 * the log, rebuilds the queue from the journal (R29: interrupted runs re-queued at the head), and
 * only then lets the arbiter dispatch, every start and end carrying the new epoch.
 *
 * <p>Every message for the arbiter or the log goes through here, so the rest of the cluster holds
 * one stable reference (the singleton's proxy, narrowed to either protocol).
 */
public final class BackendHost {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BackendHost.class);

  /** What the host passes on: {@link QueueArbiter.Command} and {@link MaintenanceLog.Command}. */
  public interface Message extends CborSerializable {}

  /** The journal as this backend's start needs it: every job and session, folded. */
  public record History(Map<String, JobState> jobs, Collection<SessionState> sessions) {}

  /**
   * {@code history}: a read of the journal begun at or after the given {@link System#nanoTime}
   * (the node may hand over what it read at its own start if this backend starts during it). {@code catchUpAfter}: in a cluster, how long after its start
   * the backend reads the journal once more, for a job whose queueing went to the node that had
   * it before (zero: never).
   */
  public record Wiring(BackendSpec spec, Lane.Wiring lanes, Function<String, RecipientRef<JobEntity.Command>> jobs,
      Function<String, RecipientRef<SessionEntity.Command>> sessions, StartPolicy policy, Clock clock,
      QueueArbiter.Calibration calibration, boolean requeueInterrupted, Duration askTimeout,
      java.util.function.LongFunction<CompletionStage<History>> history, Duration catchUpAfter,
      java.util.function.Consumer<String> onRecovered) {}

  private record EpochBegun(long epoch) implements Message {}

  private record Restored(long epoch, Throwable failure) implements Message {}

  private record CatchUp(long epoch) implements Message {}

  /** A node left the cluster: what it was doing for this backend may need catching up. */
  private record NodeLeft(akka.cluster.ClusterEvent.MemberRemoved removed) implements Message {}

  private BackendHost() {}

  public static Behavior<Message> create(Wiring w) {
    return Behaviors.setup(ctx -> {
      long startedNanos = System.nanoTime();
      java.time.Instant startedAt = w.clock().instant();
      String name = w.spec().name();
      ActorRef<Backend.Command> lanes = ctx.spawn(Backend.create(name, w.spec().lanes(), w.lanes()), "lanes",
          DispatcherSelector.sameAsParent());
      ActorRef<QueueArbiter.Command> arbiter = ctx.spawn(QueueArbiter.create(name, w.spec().lanes(),
              w.spec().paused(), lanes, w.jobs(), w.policy(), w.clock(), w.spec().timing(), w.calibration(), true, true),
          "queue", DispatcherSelector.sameAsParent());
      ActorRef<MaintenanceLog.Command> log = ctx.spawn(MaintenanceLog.create(name, arbiter, w.clock()), "maintenance",
          DispatcherSelector.sameAsParent());
      arbiter.tell(new QueueArbiter.AttachLog(log));
      long[] currentEpoch = {0}; // set once the queue is rebuilt
      if (!w.catchUpAfter().isZero()) {
        akka.cluster.typed.Cluster.get(ctx.getSystem()).subscriptions().tell(akka.cluster.typed.Subscribe.create(
            ctx.messageAdapter(akka.cluster.ClusterEvent.MemberRemoved.class, NodeLeft::new),
            akka.cluster.ClusterEvent.MemberRemoved.class));
      }
      // The log answers once it has recovered and handed the arbiter the maintenance not ended.
      ctx.ask(Long.class, log, w.askTimeout(), MaintenanceLog.BeginEpoch::new, (epoch, err) -> {
        if (err != null) {
          throw new IllegalStateException("backend " + name + " could not begin an epoch", err);
        }
        return new EpochBegun(epoch);
      });
      return Behaviors.receive(Message.class)
          .onMessage(QueueArbiter.Command.class, m -> {
            arbiter.tell(m);
            return Behaviors.same();
          })
          .onMessage(MaintenanceLog.Command.class, m -> {
            log.tell(m);
            return Behaviors.same();
          })
          .onMessage(EpochBegun.class, m -> {
            LOG.info("backend {} starts on this node, epoch {}", name, m.epoch());
            ctx.pipeToSelf(w.history().apply(startedNanos).thenCompose(h -> restore(ctx, w, arbiter, h, m.epoch())),
                (ok, err) -> new Restored(m.epoch(), err));
            return Behaviors.same();
          })
          .onMessage(Restored.class, m -> {
            if (m.failure() != null) {
              throw new IllegalStateException("backend " + name + " could not rebuild its queue", m.failure());
            }
            arbiter.tell(new QueueArbiter.RecoveryDone(m.epoch()));
            currentEpoch[0] = m.epoch();
            w.onRecovered().accept(name);
            if (!w.catchUpAfter().isZero()) {
              ctx.scheduleOnce(w.catchUpAfter(), ctx.getSelf(), new CatchUp(m.epoch()));
            }
            return Behaviors.same();
          })
          .onMessage(CatchUp.class, m -> {
            long asked = System.nanoTime();
            ctx.pipeToSelf(w.history().apply(asked).thenAccept(h -> catchUp(ctx, w, arbiter, h, m.epoch())),
                (ok, err) -> {
                  if (err != null) {
                    LOG.warn("backend {}: catching up with the journal failed: {}", name, err.toString());
                  }
                  return new CaughtUp();
                });
            return Behaviors.same();
          })
          .onMessage(CaughtUp.class, m -> Behaviors.same())
          .onMessage(StorageReturned.class, m -> {
            if (startedAt.isBefore(m.lastAnswered())) {
              throw new StorageWasAway(name, m.lastAnswered()); // supervision starts it again
            }
            return Behaviors.same();
          })
          .onMessage(NodeLeft.class, m -> {
            // A job whose entity was on that node may be written but never queued here (the
            // node died between the write and the queueing), or may owe its charge: catch up
            // once its shards live elsewhere.
            if (currentEpoch[0] > 0) {
              ctx.scheduleOnce(w.catchUpAfter(), ctx.getSelf(), new CatchUp(currentEpoch[0]));
            }
            return Behaviors.same();
          })
          .build();
    });
  }

  private record CaughtUp() implements Message {}

  /**
   * Storage answers again; before it went away it last answered at {@code lastAnswered} (issue
   * 8). While it was away, writes of this backend's jobs failed and their entities stopped: a
   * start or an end may never have been written, so the queue and the journal may disagree. A
   * backend already running when storage went away starts again in a new epoch and rebuilds its
   * queue from the journal, as after a node's crash (R29): a run cut off is re-queued, a job never
   * started is queued again. One that started since cannot have started without storage, and
   * ignores this (every node that sees storage return says so).
   */
  public record StorageReturned(java.time.Instant lastAnswered) implements Message {}

  /** Why a backend restarts itself: the restart is the recovery. */
  static final class StorageWasAway extends RuntimeException {
    StorageWasAway(String backend, java.time.Instant lastAnswered) {
      super("backend " + backend + " starts again in a new epoch: storage was unreachable after " + lastAnswered
          + ", so what it did meanwhile is re-read from the journal (R29)", null, false, false);
    }
  }

  /** Sessions first (holds, active batches), then the jobs behind them (R29). */
  private static CompletionStage<JobRecovery.Summary> restore(ActorContext<Message> ctx, Wiring w,
      ActorRef<QueueArbiter.Command> arbiter, History h, long epoch) {
    String name = w.spec().name();
    return SessionRecovery.restore(ctx.getSystem(), h.sessions(), name, arbiter, w.sessions(), h.jobs(), w.askTimeout())
        .thenCompose(s -> JobRecovery.restore(ctx.getSystem(), h.jobs().values(), name, arbiter, w.jobs(),
            w.requeueInterrupted(), epoch, w.askTimeout()))
        .thenApply(summary -> {
          LOG.info("backend {} epoch {}: {} queued, {} interrupted runs, {} charges re-sent", name, epoch,
              summary.queued(), summary.interrupted(), summary.chargesResent());
          return summary;
        });
  }

  /**
   * The queueing of a job written just before this backend started here may have gone to the
   * node that had it before, or been lost with a node that died between writing a job and
   * queueing it: such a job is still Queued in the journal. A job a stale node started in an
   * older epoch is re-queued by its entity first (R29). A final job whose charge was not recorded
   * (its entity's retries died with its node) charges again (R27: the ledger ignores a charge it
   * has). All of which is what a start does ({@link JobRecovery#restore}, one
   * {@link dev.lanes.core.job.RecoveryPlan}); the queue ignores a job it holds or runs, and its
   * entity refuses a second start (R1).
   */
  private static void catchUp(ActorContext<Message> ctx, Wiring w, ActorRef<QueueArbiter.Command> arbiter,
      History h, long epoch) {
    JobRecovery.restore(ctx.getSystem(), h.jobs().values(), w.spec().name(), arbiter, w.jobs(),
        w.requeueInterrupted(), epoch, w.askTimeout());
  }
}
