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
 * {@code Idempotency-Key} has a fresh random id, so its journal {@code Job|<id>} is empty: there
 * is nothing to replay and nothing to deduplicate, and starting a {@link JobEntity} just to write
 * its first event costs an actor, two journal queries and one write per job. Instead, the intake
 * writes the {@code Submitted} events of every job that arrives while the previous write is in
 * flight in one journal write (one transaction), each as event 1 of its own {@code Job|<id>},
 * tagged exactly as the entity tags it. Only once that write is durable is a job put in the read
 * model and its arbiter's queue, and answered. Its entity starts later, when a lane asks to start
 * the job, and recovers that event like any other.
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

  private record JournalAnswer(JournalProtocol.Response response) implements Command {}

  /** Jobs per journal write; a larger backlog goes in several writes, one after the other. */
  static final int MAX_BATCH = 1000;

  private final JobIndex index;
  private final Function<String, ActorRef<QueueArbiter.Command>> arbiters;
  private final akka.actor.ActorRef journal;
  private final akka.actor.ActorRef self;
  private final String writerUuid = UUID.randomUUID().toString();
  private final ArrayDeque<Write> waiting = new ArrayDeque<>();
  /** The write in flight, by persistence id; empty when none. */
  private final Map<String, Write> inFlight = new HashMap<>();
  private int writeId;

  public static Behavior<Command> create(JobIndex index, Function<String, ActorRef<QueueArbiter.Command>> arbiters) {
    return Behaviors.setup(ctx -> new JobIntake(ctx, index, arbiters));
  }

  private JobIntake(ActorContext<Command> ctx, JobIndex index,
      Function<String, ActorRef<QueueArbiter.Command>> arbiters) {
    super(ctx);
    this.index = index;
    this.arbiters = arbiters;
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
    List<akka.persistence.PersistentEnvelope> writes = new ArrayList<>(Math.min(waiting.size(), MAX_BATCH));
    while (!waiting.isEmpty() && writes.size() < MAX_BATCH) {
      Write w = waiting.poll();
      if (System.nanoTime() - w.giveUpAtNanos() >= 0) {
        getContext().getLog().warn("job {} not written: it waited for the journal past its caller's timeout",
            w.submitted().jobId());
        continue; // its asker has timed out: nobody reads a reply
      }
      String pid = JobEntity.persistenceId(w.submitted().jobId());
      if (inFlight.putIfAbsent(pid, w) != null) {
        // Two writes for one fresh id cannot happen (random UUIDs); refuse rather than guess.
        w.replyTo().tell(StatusReply.error("job id " + w.submitted().jobId() + " is already being written"));
        continue;
      }
      Object payload = new Tagged(w.submitted(), CollectionConverters.asScala(java.util.Set.of(JobEntity.TAG)).toSet());
      writes.add(AtomicWrite.apply(PersistentRepr.apply(payload, 1L, pid, "", false, akka.actor.ActorRef.noSender(),
          writerUuid)));
    }
    if (!writes.isEmpty()) {
      journal.tell(new JournalProtocol.WriteMessages(CollectionConverters.asScala(writes).toList(), self, ++writeId),
          self);
    }
  }

  private Behavior<Command> onJournal(JournalProtocol.Response r) {
    if (r instanceof JournalProtocol.WriteMessageSuccess s) {
      Write w = done(s.persistent());
      if (w != null) {
        JobState state = JobState.EMPTY.apply(w.submitted());
        index.put(state);
        arbiters.apply(state.backend()).tell(new QueueArbiter.Enqueue(JobEntity.queued(state), false));
        w.replyTo().tell(StatusReply.success(new JobEntity.Accepted(state.jobId(), true)));
      }
    } else if (r instanceof JournalProtocol.WriteMessageRejected rej) {
      fail(done(rej.message()), rej.cause());
    } else if (r instanceof JournalProtocol.WriteMessageFailure f) {
      fail(done(f.message()), f.cause());
    }
    // WriteMessagesSuccessful / WriteMessagesFailed come before the per-job answers: nothing to do.
    if (inFlight.isEmpty() && !waiting.isEmpty()) {
      writeNext();
    }
    return this;
  }

  private Write done(PersistentRepr repr) {
    return inFlight.remove(repr.persistenceId());
  }

  private void fail(Write w, Throwable cause) {
    if (w != null) {
      getContext().getLog().warn("job {} was not stored: {}", w.submitted().jobId(), cause.toString());
      w.replyTo().tell(StatusReply.error(new JobNotStoredException(cause)));
    }
  }
}
