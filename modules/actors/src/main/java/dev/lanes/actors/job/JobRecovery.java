package dev.lanes.actors.job;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.AskPattern;
import akka.persistence.query.NoOffset;
import akka.persistence.query.Offset;
import akka.persistence.query.PersistenceQuery;
import akka.persistence.query.javadsl.CurrentEventsByTagQuery;
import akka.stream.javadsl.Sink;
import dev.lanes.actors.backend.QueueArbiter;
import dev.lanes.core.job.JobEvent;
import dev.lanes.core.job.RecoveryPlan;
import dev.lanes.core.job.JobState;
import dev.lanes.core.session.SessionEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Recovery of jobs (R29): every node replays every job event into its read model at start
 * ({@code ReadSide}); each backend, wherever it starts, replays them again and rebuilds its queue —
 * queued jobs in submission order, interrupted runs at the head (or failed) — and re-sends any
 * charge that may not have reached its ledger.
 */
public final class JobRecovery {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JobRecovery.class);

  private JobRecovery() {}

  public record Summary(int jobs, int queued, int interrupted, int chargesResent) {}

  /**
   * Every job's state folded from the journal, by job id; each job's version (its entity's
   * sequence number, 0 for a job known only by its first record); and the offset of the last
   * event read, from where the journal's tag stream goes on (issue 6).
   */
  public record Replayed(Map<String, JobState> byId, Map<String, Long> versions, Offset last) {}

  /** Every job's state, folded from the journal, by job id. */
  public static CompletionStage<Map<String, JobState>> replay(ActorSystem<?> system, String readJournalPluginId) {
    return replayAll(system, readJournalPluginId).thenApply(Replayed::byId);
  }

  public static CompletionStage<Replayed> replayAll(ActorSystem<?> system, String readJournalPluginId) {
    CurrentEventsByTagQuery journal = PersistenceQuery.get(system)
        .getReadJournalFor(CurrentEventsByTagQuery.class, readJournalPluginId);
    Map<String, Long> versions = new HashMap<>();
    Offset[] last = {NoOffset.getInstance()};
    return journal.currentEventsByTag(JobEntity.TAG, NoOffset.getInstance())
        .runWith(Sink.fold(new HashMap<String, JobState>(), (acc, env) -> {
          last[0] = env.offset();
          if (env.event() instanceof JobIntake.Batch batch) {
            // Jobs the intake wrote, several per row; an entity's own events come after (R29).
            batch.jobs().forEach(s -> {
              acc.put(JobEntity.persistenceId(s.jobId()), JobState.EMPTY.apply(s));
              versions.putIfAbsent(s.jobId(), 0L);
            });
          } else if (env.event() instanceof SessionEvent.JobAdded added) {
            // A job its session created with the event that added it; its own events come after.
            acc.put(JobEntity.persistenceId(added.jobId()), JobState.EMPTY.apply(added.job()));
            versions.putIfAbsent(added.jobId(), 0L);
          } else {
            // A Submitted starts the state afresh: an intake job's entity writes it again first.
            JobEvent event = (JobEvent) env.event();
            JobState next = acc.merge(env.persistenceId(), JobState.EMPTY.apply(event), (old, ignored) -> old.apply(event));
            versions.put(next.jobId(), env.sequenceNr());
          }
          return acc;
        }), system)
        .thenApply(byPersistenceId -> {
          Map<String, JobState> byId = new HashMap<>();
          byPersistenceId.values().forEach(s -> byId.put(s.jobId(), s));
          return new Replayed(byId, versions, last[0]);
        });
  }

  /**
   * Rebuilds the queue of one backend from the replayed jobs (its sessions restored first), as
   * {@link RecoveryPlan} says, in the backend's epoch {@code epoch}; and re-sends any charge that
   * may not have reached its ledger. Also how a backend catches up later: what the queue already
   * holds, it ignores.
   */
  public static CompletionStage<Summary> restore(ActorSystem<?> system, java.util.Collection<JobState> states,
      String backend, ActorRef<QueueArbiter.Command> arbiter, Function<String, RecipientRef<JobEntity.Command>> jobs,
      boolean requeue, long epoch, Duration askTimeout) {
    RecoveryPlan plan = RecoveryPlan.of(states, backend, epoch);
    plan.owingCharge().forEach(s -> jobs.apply(s.jobId()).tell(JobEntity.EnsureCharged.INSTANCE));
    plan.toTail().forEach(s -> arbiter.tell(new QueueArbiter.Enqueue(JobEntity.queued(s), false)));
    plan.toHead().forEach(s -> arbiter.tell(new QueueArbiter.Enqueue(JobEntity.queued(s), true)));
    // Each cut-off run is re-queued by its entity (or failed, R29); it is queued here at once,
    // without waiting for that: should its start in this epoch arrive first, the start itself
    // re-queues the old run (JobRules.start), and the entity then ignores the late re-queue
    // (JobRules.cutOffBy).
    for (JobState s : plan.cutOff()) {
      jobs.apply(s.jobId()).tell(new JobEntity.RecoverInterrupted(requeue, epoch, system.ignoreRef()));
      if (requeue) {
        arbiter.tell(new QueueArbiter.Enqueue(JobEntity.queued(s), true));
      }
    }
    int queued = plan.toTail().size() + plan.toHead().size();
    return CompletableFuture.completedFuture(
        new Summary(queued + plan.cutOff().size(), queued, plan.cutOff().size(), plan.owingCharge().size()));
  }
}
