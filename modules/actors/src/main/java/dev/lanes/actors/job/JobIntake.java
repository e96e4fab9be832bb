package dev.lanes.actors.job;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.pattern.StatusReply;
import akka.persistence.AtomicWrite;
import akka.persistence.JournalProtocol;
import akka.persistence.Persistence;
import akka.persistence.PersistentRepr;
import akka.persistence.journal.Tagged;
import dev.lanes.actors.CborSerializable;
import dev.lanes.actors.backend.QueueArbiter;
import dev.lanes.core.job.JobEvent;
import dev.lanes.core.job.JobState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The fast way in for brand-new jobs (issue 5, W1). A job submitted without an
 * {@code Idempotency-Key} has a fresh id: there is nothing to replay and nothing to deduplicate,
 * and starting a {@link JobEntity} just to write its first event costs an actor, two journal
 * queries and one write per job. Instead, the intake writes the {@code Submitted} events of every
 * job that arrives while the previous write is in flight in one journal write (one transaction),
 * as {@link Batch} events of up to {@link #JOBS_PER_ROW} jobs each, under its own persistence id
 * {@code JobIntake|<uuid>}, tagged {@code job} like the entities' events. One row per job cost the
 * journal a tagged insert and an index entry per job, over half the node's CPU at 3,700 jobs/s.
 *
 * <p>Only once a row is durable are its jobs put in the read model and their arbiters' queues, and
 * answered. A job's entity starts later (a lane's Start, a cancel) with no events of its own and
 * takes its state from the read model ({@link JobEntity}); its first write begins with the same
 * {@code Submitted}. Recovery replays the rows by tag ({@link JobRecovery}).
 *
 * <p>This speaks Akka's journal protocol ({@link JournalProtocol}, the messages an event-sourced
 * actor exchanges with its journal plugin). It is internal to Akka; Lanes pins Akka 2.8.5, and
 * {@code JobIntakeTest} checks that the entity and recovery read back what the intake wrote.
 */
public final class JobIntake extends AbstractBehavior<JobIntake.Command> {
  public sealed interface Command {}

  /**
   * Write one new job's {@code Submitted} event (its id must be fresh: no idempotency key), unless
   * it is still waiting at {@code giveUpAtNanos} ({@link System#nanoTime()}): by then its caller
   * has answered the client "not accepted, retry", and a write after that would be a job nobody
   * knows about, or a duplicate of the retry.
   */
  public record Write(JobEvent.Submitted submitted, long giveUpAtNanos,
      ActorRef<StatusReply<JobEntity.Accepted>> replyTo) implements Command {}

  /** One journal row: the {@code Submitted} events of several new jobs. */
  public record Batch(List<JobEvent.Submitted> jobs) implements CborSerializable {}

  private record JournalAnswer(JournalProtocol.Response response) implements Command {}

  /** Jobs per journal write; a larger backlog goes in several writes, one after the other. */
  static final int MAX_BATCH = 1000;
  /** Jobs per row, and the parameter bytes past which a row is closed early (rows stay small blobs). */
  static final int JOBS_PER_ROW = 100;
  static final int ROW_PARAM_CHARS = 1 << 20;

  private static final scala.collection.immutable.Set<String> TAGS =
      CollectionConverters.asScala(java.util.Set.of(JobEntity.TAG)).toSet();

  private final JobIndex index;
  private final Function<String, ActorRef<QueueArbiter.Command>> arbiters;
  private final akka.actor.ActorRef journal;
  private final akka.actor.ActorRef self;
  private final String persistenceId;
  private final String writerUuid = UUID.randomUUID().toString();
  private final ArrayDeque<Write> waiting = new ArrayDeque<>();
  /** The rows of the write in flight, by sequence number; empty when none. */
  private final Map<Long, List<Write>> inFlight = new HashMap<>();
  private long seqNr;
  private int writeId;

  public static Behavior<Command> create(JobIndex index, Function<String, ActorRef<QueueArbiter.Command>> arbiters) {
    return create(index, arbiters, "JobIntake|" + UUID.randomUUID());
  }

  /** {@code persistenceId} must be new: sequence numbers start at 1 (one id per intake, never reused). */
  static Behavior<Command> create(JobIndex index, Function<String, ActorRef<QueueArbiter.Command>> arbiters,
      String persistenceId) {
    return Behaviors.setup(ctx -> new JobIntake(ctx, index, arbiters, persistenceId));
  }

  private JobIntake(ActorContext<Command> ctx, JobIndex index,
      Function<String, ActorRef<QueueArbiter.Command>> arbiters, String persistenceId) {
    super(ctx);
    this.index = index;
    this.arbiters = arbiters;
    this.persistenceId = persistenceId;
    this.journal = Persistence.get(Adapter.toClassic(ctx.getSystem()))
        .journalFor("", com.typesafe.config.ConfigFactory.empty());
    this.self = Adapter.toClassic(ctx.messageAdapter(JournalProtocol.Response.class, JournalAnswer::new));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Write.class, this::onWrite)
        .onMessage(JournalAnswer.class, a -> onJournal(a.response()))
        .build();
  }

  private Behavior<Command> onWrite(Write w) {
    waiting.add(w);
    if (inFlight.isEmpty()) {
      writeNext();
    }
    return this;
  }

  private void writeNext() {
    List<akka.persistence.PersistentEnvelope> rows = new ArrayList<>();
    List<Write> row = new ArrayList<>();
    int jobs = 0;
    int rowChars = 0;
    while (!waiting.isEmpty() && jobs < MAX_BATCH) {
      Write w = waiting.poll();
      if (System.nanoTime() - w.giveUpAtNanos() >= 0) {
        getContext().getLog().warn("job {} not written: it waited for the journal past its caller's timeout",
            w.submitted().jobId());
        continue; // its asker has timed out: nobody reads a reply
      }
      row.add(w);
      jobs++;
      String params = w.submitted().paramsJson();
      rowChars += params == null ? 0 : params.length();
      if (row.size() == JOBS_PER_ROW || rowChars >= ROW_PARAM_CHARS) {
        rows.add(row(row));
        row = new ArrayList<>();
        rowChars = 0;
      }
    }
    if (!row.isEmpty()) {
      rows.add(row(row));
    }
    if (!rows.isEmpty()) {
      journal.tell(new JournalProtocol.WriteMessages(CollectionConverters.asScala(rows).toList(), self, ++writeId),
          self);
    }
  }

  private AtomicWrite row(List<Write> jobs) {
    long seq = ++seqNr; // a failed write's numbers are not reused: a gap is harmless, a clash is not
    inFlight.put(seq, jobs);
    Batch batch = new Batch(jobs.stream().map(Write::submitted).toList());
    return AtomicWrite.apply(PersistentRepr.apply(new Tagged(batch, TAGS), seq, persistenceId, "", false,
        akka.actor.ActorRef.noSender(), writerUuid));
  }

  private Behavior<Command> onJournal(JournalProtocol.Response r) {
    if (r instanceof JournalProtocol.WriteMessageSuccess s) {
      for (Write w : done(s.persistent())) {
        JobState state = admit(index, arbiters, w.submitted());
        w.replyTo().tell(StatusReply.success(new JobEntity.Accepted(state.jobId(), true)));
      }
    } else if (r instanceof JournalProtocol.WriteMessageRejected rej) {
      fail(done(rej.message()), rej.cause());
    } else if (r instanceof JournalProtocol.WriteMessageFailure f) {
      fail(done(f.message()), f.cause());
    }
    // WriteMessagesSuccessful / WriteMessagesFailed come before the per-row answers: nothing to do.
    if (inFlight.isEmpty() && !waiting.isEmpty()) {
      writeNext();
    }
    return this;
  }

  /**
   * A new job whose first record is durable (a row of the intake, or its session's
   * {@code JobAdded}) joins the read model and its backend's queue; its entity adopts it from the
   * read model when it first starts.
   */
  public static JobState admit(JobIndex index, Function<String, ActorRef<QueueArbiter.Command>> arbiters,
      JobEvent.Submitted submitted) {
    JobState state = JobState.EMPTY.apply(submitted);
    index.put(state);
    arbiters.apply(state.backend()).tell(new QueueArbiter.Enqueue(JobEntity.queued(state), false));
    return state;
  }

  private List<Write> done(PersistentRepr repr) {
    List<Write> row = inFlight.remove(repr.sequenceNr());
    return row == null ? List.of() : row;
  }

  private void fail(List<Write> row, Throwable cause) {
    for (Write w : row) {
      getContext().getLog().warn("job {} was not stored: {}", w.submitted().jobId(), cause.toString());
      w.replyTo().tell(StatusReply.error(new JobNotStoredException(cause)));
    }
  }
}
