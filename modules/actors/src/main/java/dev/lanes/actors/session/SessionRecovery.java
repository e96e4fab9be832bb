package dev.lanes.actors.session;

import akka.Done;
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
import dev.lanes.core.job.JobState;
import dev.lanes.core.session.SessionEvent;
import dev.lanes.core.session.SessionState;
import dev.lanes.core.session.SessionStatus;
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
 * When a backend starts (at a node's start, or on another node after fail-over), after the job
 * journal is replayed and before any job is queued again (R29): replay the sessions, give the
 * backend back its hold and active batches — so the jobs queued next land
 * ahead where they belong — and wake every session that is not done, so it reconciles with its
 * jobs, re-arms its timer (a deadline that passed while down takes effect now) and re-sends what
 * the arbiter and ledger must hear.
 */
public final class SessionRecovery {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SessionRecovery.class);
  private SessionRecovery() {}

  public record Summary(int sessions, int woken) {}

  /**
   * Every session folded from the journal, by session id; each one's version (its entity's
   * sequence number); and the offset of the last event read (issue 6: the tag stream goes on
   * from there).
   */
  public record Replayed(Map<String, SessionState> byId, Map<String, Long> versions, Offset last) {}

  public static CompletionStage<Replayed> replayAll(ActorSystem<?> system, String readJournalPluginId) {
    CurrentEventsByTagQuery journal = PersistenceQuery.get(system)
        .getReadJournalFor(CurrentEventsByTagQuery.class, readJournalPluginId);
    Map<String, Long> versions = new HashMap<>();
    Offset[] last = {NoOffset.getInstance()};
    return journal.currentEventsByTag(SessionEntity.TAG, NoOffset.getInstance())
        .runWith(Sink.fold(new HashMap<String, SessionState>(), (acc, env) -> {
          last[0] = env.offset();
          SessionState s = acc.computeIfAbsent(env.persistenceId(), k -> SessionState.empty());
          s.apply((SessionEvent) env.event());
          versions.put(s.id(), env.sequenceNr());
          return acc;
        }), system)
        .thenApply(byPid -> {
          Map<String, SessionState> byId = new HashMap<>();
          byPid.values().forEach(s -> byId.put(s.id(), s));
          return new Replayed(byId, versions, last[0]);
        });
  }

  /**
   * Restores what the sessions of {@code backend} hold there — the hold, active batches in
   * their order — and wakes those not done, with their jobs' states from {@code jobs}.
   */
  public static CompletionStage<Summary> restore(ActorSystem<?> system, java.util.Collection<SessionState> replayed,
      String backend, ActorRef<QueueArbiter.Command> arbiter,
      Function<String, RecipientRef<SessionEntity.Command>> sessions, Map<String, JobState> jobs,
      Duration askTimeout) {
    List<SessionState> states = replayed.stream().filter(s -> backend.equals(s.backend())).toList();
    List<SessionState> activeBatches = new ArrayList<>();
    List<SessionState> toWake = new ArrayList<>();
    for (SessionState s : states) {
      if (s.holdsBackend()) {
        arbiter.tell(new QueueArbiter.RestoreHold(s.id()));
      }
      if (s.batchActive()) {
        activeBatches.add(s);
      }
      if (needsWake(s)) {
        toWake.add(s);
      }
    }
    activeBatches.sort(Comparator.comparing(SessionState::startedAt));
    activeBatches.forEach(s -> arbiter.tell(new QueueArbiter.RestoreBatch(s.id())));

    Map<String, Map<String, JobState>> jobsBySession = new HashMap<>();
    for (JobState j : jobs.values()) {
      if (j.sessionId() != null) {
        jobsBySession.computeIfAbsent(j.sessionId(), k -> new HashMap<>()).put(j.jobId(), j);
      }
    }
    List<CompletableFuture<Done>> woken = new ArrayList<>();
    for (SessionState s : toWake) {
      Map<String, JobState> own = new HashMap<>();
      Map<String, JobState> all = jobsBySession.getOrDefault(s.id(), Map.of());
      for (String id : s.queued()) {
        if (all.containsKey(id)) {
          own.put(id, all.get(id));
        }
      }
      for (String id : s.running()) {
        if (all.containsKey(id)) {
          own.put(id, all.get(id));
        }
      }
      woken.add(AskPattern.<SessionEntity.Command, Done>ask(sessions.apply(s.id()),
              replyTo -> new SessionEntity.Wake(own, replyTo), askTimeout, system.scheduler())
          .toCompletableFuture()
          .exceptionally(e -> {
            // one slow session must not keep the node from recovering: it catches up when it wakes
            LOG.warn("session {} did not answer its wake-up in time: {}", s.id(), e.toString());
            sessions.apply(s.id()).tell(new SessionEntity.Wake(own, system.ignoreRef()));
            return Done.getInstance();
          }));
    }
    int total = states.size();
    return CompletableFuture.allOf(woken.toArray(CompletableFuture[]::new))
        .thenApply(v -> new Summary(total, woken.size()));
  }

  /** Anything left to do: timers to run, jobs to follow, or a charge not yet acknowledged. */
  private static boolean needsWake(SessionState s) {
    return s.status() != SessionStatus.CLOSED || !s.queued().isEmpty() || !s.running().isEmpty()
        || !s.pendingCharges().isEmpty();
  }
}
