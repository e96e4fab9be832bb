package dev.lanes.actors.job;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.Effect;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import dev.lanes.actors.CborSerializable;
import dev.lanes.actors.backend.QueueArbiter;
import dev.lanes.actors.session.SessionEntity;
import dev.lanes.core.job.JobEvent;
import dev.lanes.core.job.JobRules;
import dev.lanes.core.job.JobState;
import dev.lanes.core.job.JobStatus;
import dev.lanes.core.job.RunOutcome;
import dev.lanes.core.limits.Idempotency;
import dev.lanes.core.queue.QueuedJob;
import dev.lanes.core.usage.Charge;
import java.util.Set;

/**
 * One job, event-sourced as {@code Job|<id>} (R28, R29). It records what the queue arbiter and
 * the lanes decide; the decisions themselves are {@link JobRules}.
 */
public final class JobEntity extends EventSourcedBehavior<JobEntity.Command, JobEvent, JobState> {
  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Job");
  /** Tag of every job event: recovery replays them to rebuild the queues and the read model. */
  public static final String TAG = "job";

  public sealed interface Command extends CborSerializable {}

  /**
   * Creates the job (idempotent: a retried submit answers the first answer). A job that exists
   * already is compared with the submit by {@link Idempotency}: the same request within
   * {@code keyTtl} of the job's creation is a repeat, another a conflict, and past it the key has
   * expired (issue 8); {@code keyTtl} null: it never expires.
   */
  public record Submit(JobEvent.Submitted submitted, java.time.Duration keyTtl, ActorRef<Accepted> replyTo)
      implements Command {
    public Submit(JobEvent.Submitted submitted, ActorRef<Accepted> replyTo) {
      this(submitted, null, replyTo);
    }
  }

  /**
   * {@code verdict}: what the submit met (NEW when created); {@code firstUse}: when the job that
   * answered was created.
   */
  public record Accepted(String jobId, boolean created, Idempotency.Verdict verdict, java.time.Instant firstUse)
      implements CborSerializable {
    public Accepted(String jobId, boolean created) {
      this(jobId, created, created ? Idempotency.Verdict.NEW : Idempotency.Verdict.REPEAT, null);
    }
  }

  /**
   * Lane {@code lane} took the job at {@code at} (its Running time); answers {@link Go} once
   * {@code Started} is durable, else NoGo.
   */
  /** {@code epoch}: its backend's epoch (issue 6); an older one than the job knows is refused. */
  public record Start(int lane, java.time.Instant at, long epoch, ActorRef<StartReply> replyTo) implements Command {
    public Start(int lane, java.time.Instant at, ActorRef<StartReply> replyTo) {
      this(lane, at, 0, replyTo);
    }
  }

  public sealed interface StartReply extends CborSerializable {}

  public record Go(JobState job) implements StartReply {}

  public record NoGo(String jobId) implements StartReply {}

  /** The run ended; {@code canceller}, if any, waits to learn whether the cancel took effect. */
  /** {@code epoch}: the backend's epoch of the run; a report from another epoch is stale (issue 6). */
  public record Finish(RunOutcome outcome, long epoch, ActorRef<CancelReply> canceller) implements Command {
    public Finish(RunOutcome outcome, ActorRef<CancelReply> canceller) {
      this(outcome, 0, canceller);
    }
  }

  /** The arbiter took the job out of the queue for a user's cancel. */
  public record CancelQueued(ActorRef<CancelReply> replyTo) implements Command {}

  /** A cancel for a job the arbiter does not hold (final, or not yet queued). */
  public record Cancel(ActorRef<CancelReply> replyTo) implements Command {}

  public enum CancelReply implements CborSerializable { CANCELLED, NOT_CANCELLABLE, NOT_FOUND }

  /** Its session ended it while queued (R12, R15, R20); ignored once it runs or is final. */
  public record EndQueued(JobStatus status, String reason) implements Command {}

  public record Delete(ActorRef<DeleteReply> replyTo) implements Command {}

  public enum DeleteReply implements CborSerializable { DELETED, NOT_FINAL, NOT_FOUND }

  /** Recovery found the job Running: re-queue it at the head, or fail it (R29). */
  public record RecoverInterrupted(boolean requeue, long epoch, ActorRef<JobState> replyTo) implements Command {
    public RecoverInterrupted(boolean requeue, ActorRef<JobState> replyTo) {
      this(requeue, 0, replyTo);
    }
  }

  /** Recovery found a final job whose charge may not have reached the ledger (R27). */
  public enum EnsureCharged implements Command { INSTANCE }

  public record Get(ActorRef<JobState> replyTo) implements Command {}

  /** Nothing to do: sent so that the entity starts (and recovers) before it is needed. */
  public enum Warm implements Command { INSTANCE }

  private record ChargeRecorded(boolean ok) implements Command {}

  private final String jobId;
  private final ActorContext<Command> context;
  private final JobWiring wiring;
  /** Set by {@link #adopt}: the intake's Submitted, not yet in this entity's own journal. */
  private JobEvent.Submitted unrecorded;

  /** The persistence id of job {@code jobId}: {@code Job|<id>}. */
  public static String persistenceId(String jobId) {
    return PersistenceId.of(ENTITY_KEY.name(), jobId).id();
  }

  public static Behavior<Command> create(String jobId, JobWiring wiring) {
    return Behaviors.setup(ctx -> new JobEntity(jobId, ctx, wiring));
  }

  private JobEntity(String jobId, ActorContext<Command> context, JobWiring wiring) {
    super(PersistenceId.of(ENTITY_KEY.name(), jobId));
    this.jobId = jobId;
    this.context = context;
    this.wiring = wiring;
  }

  @Override
  public JobState emptyState() {
    return JobState.EMPTY;
  }

  @Override
  public akka.persistence.typed.javadsl.Recovery recovery() {
    return dev.lanes.actors.NoSnapshots.recovery();
  }

  @Override
  public Set<String> tagsFor(JobEvent event) {
    return Set.of(TAG);
  }

  @Override
  public CommandHandler<Command, JobEvent, JobState> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Submit.class, (s, c) -> onSubmit(adopt(s), c))
        .onCommand(Start.class, (s, c) -> onStart(adopt(s), c))
        .onCommand(Finish.class, (s, c) -> onFinish(adopt(s), c))
        .onCommand(CancelQueued.class, (s, c) -> onCancelQueued(adopt(s), c))
        .onCommand(Cancel.class, (s, c) -> onCancel(adopt(s), c))
        .onCommand(EndQueued.class, (s, c) -> onEndQueued(adopt(s), c))
        .onCommand(Delete.class, (s, c) -> onDelete(adopt(s), c))
        .onCommand(RecoverInterrupted.class, (s, c) -> onRecoverInterrupted(adopt(s), c))
        .onCommand(EnsureCharged.class, (s, c) -> chargeIfOwed(adopt(s)))
        .onCommand(ChargeRecorded.class, (s, c) -> onChargeRecorded(adopt(s), c))
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), adopt(s)))
        .onCommand(Warm.class, (s, c) -> Effect().none())
        .build();
  }

  /**
   * The job's state. A job the {@link JobIntake} wrote (in a row with other new jobs) has no
   * events of its own until it first changes: its state then is its {@code Submitted}, which the
   * read model holds from that write (or from recovery). Its first write begins with that
   * {@code Submitted}, so that from then on the entity's own journal is the whole job.
   */
  private JobState adopt(JobState s) {
    unrecorded = null;
    if (s.exists()) {
      return s;
    }
    java.util.Optional<JobState> written = wiring.index().get(jobId);
    if (written.isEmpty()) {
      return s;
    }
    unrecorded = written.get().submitted();
    return JobState.EMPTY.apply(unrecorded);
  }

  /** Persists {@code e}, after the intake's {@code Submitted} if this is the job's first write. */
  private akka.persistence.typed.javadsl.EffectBuilder<JobEvent, JobState> persist(JobEvent e) {
    return persist(java.util.List.of(e));
  }

  private akka.persistence.typed.javadsl.EffectBuilder<JobEvent, JobState> persist(java.util.List<JobEvent> events) {
    long asked = System.nanoTime();
    akka.persistence.typed.javadsl.EffectBuilder<JobEvent, JobState> effect;
    if (unrecorded == null) {
      effect = events.size() == 1 ? Effect().persist(events.get(0)) : Effect().persist(events);
    } else {
      java.util.List<JobEvent> all = new java.util.ArrayList<>(events.size() + 1);
      all.add(unrecorded);
      all.addAll(events);
      effect = Effect().persist(all);
    }
    return effect.thenRun(s -> JOURNAL_WRITE.record(System.nanoTime() - asked, java.util.concurrent.TimeUnit.NANOSECONDS));
  }

  /** From a job's write to its being durable, as its entity sees it (GET /metrics, issue 7). */
  private static final io.micrometer.core.instrument.Timer JOURNAL_WRITE =
      io.micrometer.core.instrument.Timer.builder("lanes_journal_write")
          .description("a job entity's journal write, until durable").tag("entity", "job")
          .publishPercentileHistogram().register(io.micrometer.core.instrument.Metrics.globalRegistry);

  private Effect<JobEvent, JobState> onSubmit(JobState s, Submit c) {
    if (s.exists()) {
      Idempotency.Verdict verdict = Idempotency.decide(s, c.submitted(), c.keyTtl(), JobSubmissions::sameParams);
      return Effect().reply(c.replyTo(), new Accepted(s.jobId(), false, verdict, s.created()));
    }
    return persist(c.submitted()).thenRun(this::publish).thenRun(next -> {
      wiring.arbiters().apply(next.backend()).tell(new QueueArbiter.Enqueue(queued(next), false));
      c.replyTo().tell(new Accepted(next.jobId(), true));
    });
  }

  private Effect<JobEvent, JobState> onStart(JobState s, Start c) {
    java.util.List<JobEvent> events = JobRules.start(s, c.lane(), c.at(), c.epoch());
    if (events.isEmpty()) {
      return Effect().reply(c.replyTo(), new NoGo(s.jobId()));
    }
    return persist(events).thenRun(this::publish).thenRun(next -> c.replyTo().tell(new Go(next)));
  }

  private Effect<JobEvent, JobState> onFinish(JobState s, Finish c) {
    return JobRules.finish(s, c.outcome(), wiring.clock().instant(), c.epoch())
        .<Effect<JobEvent, JobState>>map(e -> persist(e).thenRun(this::publish).thenRun(next -> {
          answer(c.canceller(), next.status() == JobStatus.Cancelled ? CancelReply.CANCELLED : CancelReply.NOT_CANCELLABLE);
          charge(next);
        }))
        .orElseGet(() -> {
          answer(c.canceller(), CancelReply.NOT_CANCELLABLE);
          return Effect().none();
        });
  }

  private Effect<JobEvent, JobState> onCancelQueued(JobState s, CancelQueued c) {
    if (!s.exists() || s.isFinal()) {
      return Effect().reply(c.replyTo(), s.exists() ? CancelReply.NOT_CANCELLABLE : CancelReply.NOT_FOUND);
    }
    return persist(JobRules.cancelQueued(wiring.clock().instant())).thenRun(this::publish)
        .thenReply(c.replyTo(), next -> CancelReply.CANCELLED);
  }

  private Effect<JobEvent, JobState> onCancel(JobState s, Cancel c) {
    if (!s.exists() || s.deleted()) {
      return Effect().reply(c.replyTo(), CancelReply.NOT_FOUND);
    }
    if (JobRules.checkCancellable(s).isPresent()) {
      return Effect().reply(c.replyTo(), CancelReply.NOT_CANCELLABLE);
    }
    // Not held by the arbiter, so not on a lane: nothing ran, nothing to charge.
    return onCancelQueued(s, new CancelQueued(c.replyTo()));
  }

  private Effect<JobEvent, JobState> onEndQueued(JobState s, EndQueued c) {
    return JobRules.endQueued(s, c.status(), c.reason(), wiring.clock().instant())
        .<Effect<JobEvent, JobState>>map(e -> persist(e).thenRun(this::publish))
        .orElseGet(() -> Effect().none());
  }

  private Effect<JobEvent, JobState> onDelete(JobState s, Delete c) {
    if (!s.exists() || s.deleted()) {
      return Effect().reply(c.replyTo(), DeleteReply.NOT_FOUND);
    }
    if (JobRules.checkDeletable(s).isPresent()) {
      return Effect().reply(c.replyTo(), DeleteReply.NOT_FINAL);
    }
    return persist(new JobEvent.Deleted(wiring.clock().instant())).thenRun(this::publish)
        .thenReply(c.replyTo(), next -> DeleteReply.DELETED);
  }

  private Effect<JobEvent, JobState> onRecoverInterrupted(JobState s, RecoverInterrupted c) {
    if (!JobRules.cutOffBy(s, c.epoch())) {
      return Effect().reply(c.replyTo(), s);
    }
    return persist(JobRules.recoverInterrupted(s, c.requeue(), wiring.clock().instant(), c.epoch()))
        .thenRun(this::publish)
        .thenReply(c.replyTo(), next -> next);
  }

  private Effect<JobEvent, JobState> chargeIfOwed(JobState s) {
    charge(s);
    return Effect().none();
  }

  private Effect<JobEvent, JobState> onChargeRecorded(JobState s, ChargeRecorded c) {
    if (s.charged()) {
      return Effect().none();
    }
    if (!c.ok()) {
      // The ledger did not answer in time: try again; the ledger ignores a charge it already has.
      context.scheduleOnce(wiring.askTimeout(), context.getSelf(), EnsureCharged.INSTANCE);
      return Effect().none();
    }
    return persist(new JobEvent.Charged(wiring.clock().instant())).thenRun(this::publish);
  }

  /** R25/R27: the quantum time of a finished run goes to the instance's ledger, keyed by job id. */
  private void charge(JobState s) {
    if (!JobRules.owesCharge(s)) {
      return;
    }
    Charge charge = new Charge(Charge.jobChargeId(s.jobId()), "job", s.quantumSeconds(), s.finishedAt());
    context.ask(Done.class, wiring.ledgers().apply(s.instance()), wiring.askTimeout(),
        replyTo -> new dev.lanes.actors.usage.UsageLedger.Record(charge, replyTo),
        (ok, err) -> new ChargeRecorded(ok != null));
  }

  private void publish(JobState s) {
    wiring.index().put(s, lastSequenceNumber(context));
    if (s.sessionId() != null) {
      notifySession(s);
    }
  }

  /**
   * The session (or batch) hears of each start, re-queue and end of its jobs, after the job's own
   * event is durable. Repeats are harmless: the session ignores what it already knows.
   */
  private void notifySession(JobState s) {
    SessionEntity.Command note;
    if (s.status() == JobStatus.Running) {
      note = new SessionEntity.JobStarted(s.jobId(), s.runningAt());
    } else if (s.status() == JobStatus.Queued) {
      if (s.attempt() == 0) {
        return;
      }
      note = new SessionEntity.JobRequeued(s.jobId());
    } else {
      note = new SessionEntity.JobEnded(s.jobId(), s.quantumSeconds(), s.finishedAt());
    }
    wiring.sessions().apply(s.sessionId()).tell(note);
  }

  private static void answer(ActorRef<CancelReply> to, CancelReply reply) {
    if (to != null) {
      to.tell(reply);
    }
  }

  public static QueuedJob queued(JobState s) {
    return new QueuedJob(s.jobId(), s.instance(), s.sessionId(), s.sessionMode(), s.created(), s.shape(),
        s.estimatedQuantumSeconds());
  }

  @Override
  public EventHandler<JobState, JobEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(JobState::apply);
  }
}
