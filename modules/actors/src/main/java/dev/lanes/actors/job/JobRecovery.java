package dev.lanes.actors.job;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.AskPattern;
import akka.persistence.query.NoOffset;
import akka.persistence.query.PersistenceQuery;
import akka.persistence.query.javadsl.CurrentEventsByTagQuery;
import akka.stream.javadsl.Sink;
import dev.lanes.actors.backend.QueueArbiter;
import dev.lanes.core.job.JobEvent;
import dev.lanes.core.job.JobRules;
import dev.lanes.core.job.JobState;
import dev.lanes.core.job.JobStatus;
import dev.lanes.core.session.SessionEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * At start, before the node takes requests (R29): replay every job event, rebuild the read model
 * and the queues — queued jobs in submission order, interrupted runs at the head (or failed) —
 * and re-send any charge that may not have reached its ledger.
 */
public final class JobRecovery {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JobRecovery.class);

  private JobRecovery() {}

  public record Summary(int jobs, int queued, int interrupted, int chargesResent) {}

  /** Every job's state, folded from the journal, by job id. */
  public static CompletionStage<Map<String, JobState>> replay(ActorSystem<?> system, String readJournalPluginId) {
    CurrentEventsByTagQuery journal = PersistenceQuery.get(system)
        .getReadJournalFor(CurrentEventsByTagQuery.class, readJournalPluginId);
    return journal.currentEventsByTag(JobEntity.TAG, NoOffset.getInstance())
        .runWith(Sink.fold(new HashMap<String, JobState>(), (acc, env) -> {
          if (env.event() instanceof JobIntake.Batch batch) {
            // Jobs the intake wrote, several per row; an entity's own events come after (R29).
            batch.jobs().forEach(s -> acc.put(JobEntity.persistenceId(s.jobId()), JobState.EMPTY.apply(s)));
          } else if (env.event() instanceof SessionEvent.JobAdded added) {
            // A job its session created with the event that added it; its own events come after.
            acc.put(JobEntity.persistenceId(added.jobId()), JobState.EMPTY.apply(added.job()));
          } else {
            // A Submitted starts the state afresh: an intake job's entity writes it again first.
            JobEvent event = (JobEvent) env.event();
            acc.merge(env.persistenceId(), JobState.EMPTY.apply(event), (old, ignored) -> old.apply(event));
          }
          return acc;
        }), system)
        .thenApply(byPersistenceId -> {
          Map<String, JobState> byId = new HashMap<>();
          byPersistenceId.values().forEach(s -> byId.put(s.jobId(), s));
          return byId;
        });
  }

  /** Fills the read model and the queues from the replayed jobs (sessions restored first). */
  public static CompletionStage<Summary> restore(ActorSystem<?> system, Map<String, JobState> states,
      JobIndex index, Function<String, ActorRef<QueueArbiter.Command>> arbiters,
      Function<String, RecipientRef<JobEntity.Command>> jobs, boolean requeue, Duration askTimeout) {
    List<JobState> queued = new ArrayList<>();
    List<JobState> running = new ArrayList<>();
    int charges = 0;
    for (JobState s : states.values()) {
      index.put(s);
      if (s.deleted()) {
        continue;
      }
      if (!s.isFinal() && arbiters.apply(s.backend()) == null) {
        // Its backend was removed from the config: keep the job (never lose it); it resumes if
        // the backend comes back, and its owner can still see and cancel it.
        LOG.warn("job {} waits for backend '{}', which is not configured", s.jobId(), s.backend());
        continue;
      }
      if (s.status() == JobStatus.Queued) {
        queued.add(s);
      } else if (s.status() == JobStatus.Running) {
        running.add(s);
      } else if (JobRules.owesCharge(s)) {
        jobs.apply(s.jobId()).tell(JobEntity.EnsureCharged.INSTANCE);
        charges++;
      }
    }
    queued.sort(Comparator.comparing(JobState::created).thenComparing(JobState::jobId));
    for (JobState s : queued) {
      if (s.attempt() == 0) {
        arbiters.apply(s.backend()).tell(new QueueArbiter.Enqueue(JobEntity.queued(s), false));
      }
    }
    // A job re-queued by an earlier recovery that has not run again keeps its place at the head:
    // newest first, each to the head, so the oldest ends up first.
    for (int i = queued.size() - 1; i >= 0; i--) {
      JobState s = queued.get(i);
      if (s.attempt() > 0) {
        arbiters.apply(s.backend()).tell(new QueueArbiter.Enqueue(JobEntity.queued(s), true));
      }
    }
    // Latest-started first, each to the head: the earliest interrupted run ends up first.
    running.sort(Comparator.comparing(JobState::runningAt).reversed());
    List<CompletableFuture<JobState>> recovered = new ArrayList<>();
    for (JobState s : running) {
      recovered.add(AskPattern.<JobEntity.Command, JobState>ask(jobs.apply(s.jobId()),
          replyTo -> new JobEntity.RecoverInterrupted(requeue, replyTo), askTimeout, system.scheduler())
          .toCompletableFuture());
    }
    int queuedCount = queued.size();
    int chargesResent = charges;
    return CompletableFuture.allOf(recovered.toArray(CompletableFuture[]::new)).thenApply(v -> {
      recovered.stream().map(CompletableFuture::join)
          .filter(s -> s.status() == JobStatus.Queued)
          .forEach(s -> arbiters.apply(s.backend()).tell(new QueueArbiter.Enqueue(JobEntity.queued(s), true)));
      return new Summary(states.size(), queuedCount, running.size(), chargesResent);
    });
  }
}
