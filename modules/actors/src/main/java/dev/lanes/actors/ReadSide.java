package dev.lanes.actors;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.persistence.query.EventEnvelope;
import akka.persistence.query.Offset;
import akka.persistence.query.PersistenceQuery;
import akka.persistence.query.javadsl.EventsByTagQuery;
import akka.stream.RestartSettings;
import akka.stream.javadsl.RestartSource;
import akka.stream.javadsl.Sink;
import dev.lanes.actors.job.JobEntity;
import dev.lanes.actors.job.JobIndex;
import dev.lanes.actors.job.JobIntake;
import dev.lanes.actors.job.JobRecovery;
import dev.lanes.actors.session.SessionEntity;
import dev.lanes.actors.session.SessionIndex;
import dev.lanes.actors.session.SessionRecovery;
import dev.lanes.actors.usage.UsageLedger;
import dev.lanes.actors.usage.UsageRecovery;
import dev.lanes.core.job.JobEvent;
import dev.lanes.core.job.JobState;
import dev.lanes.core.session.SessionEvent;
import dev.lanes.core.session.SessionState;
import dev.lanes.core.usage.Charge;
import dev.lanes.core.usage.UsageBook;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The node's read models — jobs, sessions, usage — filled from the journal at start (R29). In a
 * cluster (issue 6) the entities of a job, session or ledger may live on any node, so every node
 * then also follows the journal's tag streams from where its start left off: any node answers any
 * read, a little behind the node where the entity lives (the read journal's refresh interval).
 * The entities on this node still write their own changes at once; versions keep the two writers
 * from taking anything back to an older state.
 */
public final class ReadSide {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReadSide.class);

  private final ActorSystem<?> system;
  private final String pluginId;
  private final JobIndex jobs;
  private final SessionIndex sessions;
  private final UsageBook usage;
  private final Set<String> backends;
  /** Each ledger's last charge followed, by instance (only the stream reads and writes it). */
  private final Map<String, Long> ledgerVersions = new ConcurrentHashMap<>();
  /** Sessions folded from the stream, with the sequence number of the last event folded. */
  private final Map<String, SessionState> sessionStates = new HashMap<>();
  private final Map<String, Long> sessionVersions = new HashMap<>();

  public ReadSide(ActorSystem<?> system, String pluginId, JobIndex jobs, SessionIndex sessions, UsageBook usage,
      Set<String> backends) {
    this.system = system;
    this.pluginId = pluginId;
    this.jobs = jobs;
    this.sessions = sessions;
    this.usage = usage;
    this.backends = Set.copyOf(backends);
  }

  /** Where the node's start left each stream. */
  public record Loaded(Offset usage, JobRecovery.Replayed jobs, SessionRecovery.Replayed sessions) {}

  /** Fills the read models from the journal; completes once they hold everything written so far. */
  public CompletionStage<Loaded> load() {
    return UsageRecovery.run(system, pluginId, usage, ledgerVersions)
        .thenCompose(usageOffset -> JobRecovery.replayAll(system, pluginId)
            .thenCompose(replayedJobs -> SessionRecovery.replayAll(system, pluginId)
                .thenApply(replayedSessions -> new Loaded(usageOffset, replayedJobs, replayedSessions))))
        .thenApply(loaded -> {
          loaded.jobs().byId().values().forEach(s -> {
            jobs.put(s, loaded.jobs().versions().getOrDefault(s.jobId(), 0L));
            if (!s.isFinal() && !s.deleted() && !backends.contains(s.backend())) {
              // Kept (never lost); it resumes if the backend comes back, and its owner can still
              // see and cancel it.
              LOG.warn("job {} waits for backend '{}', which is not configured", s.jobId(), s.backend());
            }
          });
          loaded.sessions().byId().values().forEach(s -> {
            sessions.put(s.view(), loaded.sessions().versions().getOrDefault(s.id(), 0L));
            sessionStates.put(s.id(), s);
            sessionVersions.put(s.id(), loaded.sessions().versions().getOrDefault(s.id(), 0L));
          });
          return loaded;
        });
  }

  /**
   * Follows the tag streams from where {@code loaded} left them, for as long as the system
   * runs; a failed stream (storage away) starts again from its last event, with back-off.
   */
  public void follow(Loaded loaded) {
    tail(UsageLedger.TAG, loaded.usage(), this::onCharge);
    tail(JobEntity.TAG, loaded.jobs().last(), this::onJobEvent);
    tail(SessionEntity.TAG, loaded.sessions().last(), this::onSessionEvent);
  }

  private void tail(String tag, Offset from, Consumer<EventEnvelope> onEvent) {
    EventsByTagQuery journal = PersistenceQuery.get(system).getReadJournalFor(EventsByTagQuery.class, pluginId);
    AtomicReference<Offset> last = new AtomicReference<>(from);
    RestartSettings backoff = RestartSettings.create(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2);
    RestartSource.withBackoff(backoff, () -> journal.eventsByTag(tag, last.get()).map(env -> {
          onEvent.accept(env);
          last.set(env.offset());
          return Done.getInstance();
        }))
        .runWith(Sink.ignore(), system);
  }

  private void onCharge(EventEnvelope env) {
    String instance = env.persistenceId().substring(UsageLedger.ENTITY_KEY.name().length() + 1);
    Long known = ledgerVersions.get(instance);
    if (known != null && known >= env.sequenceNr()) {
      return;
    }
    ledgerVersions.put(instance, env.sequenceNr());
    Charge c = (Charge) env.event();
    usage.add(instance, c.at(), c.seconds(), c.chargeId());
  }

  private void onJobEvent(EventEnvelope env) {
    Object event = env.event();
    if (event instanceof JobIntake.Batch batch) {
      batch.jobs().forEach(s -> jobs.putNew(JobState.EMPTY.apply(s)));
    } else if (event instanceof SessionEvent.JobAdded added) {
      if (added.job() != null) {
        jobs.putNew(JobState.EMPTY.apply(added.job()));
      }
    } else if (event instanceof JobEvent e) {
      String jobId = env.persistenceId().substring(JobEntity.ENTITY_KEY.name().length() + 1);
      jobs.apply(jobId, env.sequenceNr(), e);
    }
  }

  private void onSessionEvent(EventEnvelope env) {
    SessionEvent event = (SessionEvent) env.event();
    String pid = env.persistenceId();
    String id = pid.substring(SessionEntity.ENTITY_KEY.name().length() + 1);
    Long known = sessionVersions.get(id);
    if (known != null && known >= env.sequenceNr()) {
      return;
    }
    SessionState s = sessionStates.computeIfAbsent(id, k -> SessionState.empty());
    s.apply(event);
    sessionVersions.put(id, env.sequenceNr());
    sessions.put(s.view(), env.sequenceNr());
  }
}
