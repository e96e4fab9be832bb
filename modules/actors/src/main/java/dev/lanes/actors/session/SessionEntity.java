package dev.lanes.actors.session;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.Effect;
import akka.persistence.typed.javadsl.EffectBuilder;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import akka.persistence.typed.javadsl.SignalHandler;
import dev.lanes.actors.CborSerializable;
import dev.lanes.actors.backend.QueueArbiter;
import dev.lanes.actors.usage.UsageLedger;
import dev.lanes.core.job.JobEvent;
import dev.lanes.core.job.JobState;
import dev.lanes.core.limits.Idempotency;
import dev.lanes.core.model.Rejection;
import dev.lanes.core.session.BackendOrder;
import dev.lanes.core.session.PendingCharge;
import dev.lanes.core.session.SessionEvent;
import dev.lanes.core.session.SessionOrders;
import dev.lanes.core.session.SessionRules;
import dev.lanes.core.session.SessionState;
import dev.lanes.core.session.SessionView;
import dev.lanes.core.usage.Charge;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One session or batch, event-sourced as {@code Session|<id>} (R10–R23, R26). It hears of its
 * jobs' starts and ends from their entities, keeps its deadlines as absolute instants in state and
 * arms one timer for the earliest after every change and after recovery; the decisions are
 * {@link SessionRules}. It tells its backend's arbiter when a hold ends, a batch is over, or queued
 * jobs must end, and charges a dedicated session's committed wall-clock time to the ledger.
 */
public final class SessionEntity extends EventSourcedBehavior<SessionEntity.Command, SessionEvent, SessionState> {
  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Session");
  /** Tag of every session event: recovery replays them to restore holds and wake sessions. */
  public static final String TAG = "session";
  private static final Set<String> JOB_ADDED_WITH_JOB_TAGS = Set.of(TAG, dev.lanes.actors.job.JobEntity.TAG);

  public sealed interface Command extends CborSerializable {}

  /** Creates the session; a retried create answers the existing session. */
  public record Open(SessionEvent.Opened opened, ActorRef<SessionView> replyTo) implements Command {}

  /**
   * Creates the session of an {@code Idempotency-Key} (issue 8): a session that exists already is
   * compared with the create by {@link Idempotency}, with {@code keyTtl} from its creation.
   */
  public record OpenWithKey(SessionEvent.Opened opened, Duration keyTtl, ActorRef<OpenReply> replyTo)
      implements Command {}

  /** The session that answers, and what the create met (NEW when it created it). */
  public record OpenReply(SessionView session, Idempotency.Verdict verdict) implements CborSerializable {}

  /**
   * The id of the session of generation {@code generation} of an {@code Idempotency-Key}: 0 is the
   * key's first use; once that session is older than the key's time to live, the next generation.
   */
  public static String keyedId(String instance, String idempotencyKey, int generation) {
    String name = "session\n" + instance + "\n" + idempotencyKey + (generation == 0 ? "" : "\n" + generation);
    return java.util.UUID.nameUUIDFromBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
  }

  /** Accept a job into the session (R18): before the job is created, or, with its {@code Submitted}, creating it. */
  public record AddJob(String jobId, JobEvent.Submitted job, ActorRef<AddJobReply> replyTo) implements Command {
    /** Adds a job whose own journal is written next (a job with an Idempotency-Key). */
    public AddJob(String jobId, ActorRef<AddJobReply> replyTo) {
      this(jobId, null, replyTo);
    }

    /** Adds and creates a new job with one write: the {@code JobAdded} carries it. */
    public AddJob(JobEvent.Submitted job, ActorRef<AddJobReply> replyTo) {
      this(job.jobId(), job, replyTo);
    }
  }

  /** {@code rejection} is null when the job was accepted. */
  public record AddJobReply(Rejection rejection) implements CborSerializable {}

  /** The job accepted by {@link AddJob} could not be created. */
  public record ForgetJob(String jobId) implements Command {}

  public record JobStarted(String jobId, Instant at) implements Command {}

  public record JobRequeued(String jobId) implements Command {}

  public record JobEnded(String jobId, double quantumSeconds, Instant at) implements Command {}

  /** R14: PATCH accepting_jobs=false. */
  public record StopAccepting(ActorRef<Reply> replyTo) implements Command {}

  /** R15: DELETE /close. */
  public record Cancel(ActorRef<Reply> replyTo) implements Command {}

  public enum Reply implements CborSerializable { DONE, NOT_FOUND }

  public record Get(ActorRef<SessionView> replyTo) implements Command {}

  /**
   * Recovery (R29): reconcile with the jobs' journals, re-arm the timer — a deadline that passed
   * while the node was down takes effect now — and re-send what the arbiter and ledger must hear.
   * Answers once the session has caught up.
   */
  public record Wake(Map<String, JobState> jobs, ActorRef<Done> replyTo) implements Command {}

  private enum DeadlineTick implements Command { INSTANCE }

  /** Recovery: apply every deadline that passed while down before answering the {@link Wake}. */
  private record CatchUp(ActorRef<Done> replyTo) implements Command {}

  private record ChargeAcked(String chargeId, boolean ok) implements Command {}

  private static final Object TIMER = "deadline";

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final SessionWiring wiring;
  /** Charges sent to the ledger and not yet answered (not persisted: re-sent after a restart). */
  private final Set<String> chargesInFlight = new HashSet<>();

  public static Behavior<Command> create(String sessionId, SessionWiring wiring) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new SessionEntity(sessionId, ctx, timers, wiring)));
  }

  private SessionEntity(String sessionId, ActorContext<Command> context, TimerScheduler<Command> timers,
      SessionWiring wiring) {
    super(PersistenceId.of(ENTITY_KEY.name(), sessionId));
    this.context = context;
    this.timers = timers;
    this.wiring = wiring;
  }

  @Override
  public SessionState emptyState() {
    return SessionState.empty();
  }

  @Override
  public akka.persistence.typed.javadsl.Recovery recovery() {
    return dev.lanes.actors.NoSnapshots.recovery();
  }

  @Override
  public Set<String> tagsFor(SessionEvent event) {
    if (event instanceof SessionEvent.JobAdded a && a.job() != null) {
      return JOB_ADDED_WITH_JOB_TAGS; // job recovery finds the job by its tag (JobRecovery)
    }
    return Set.of(TAG);
  }

  @Override
  public SignalHandler<SessionState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> {
          if (state.exists()) {
            armTimer(state);
          }
        })
        .build();
  }

  @Override
  public CommandHandler<Command, SessionEvent, SessionState> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Open.class, this::onOpen)
        .onCommand(OpenWithKey.class, this::onOpenWithKey)
        .onCommand(AddJob.class, this::onAddJob)
        .onCommand(ForgetJob.class, (s, c) -> persist(s, SessionRules.forgetJob(s, c.jobId(), now())))
        .onCommand(JobStarted.class, (s, c) -> persist(s, SessionRules.jobStarted(s, c.jobId(), c.at())))
        .onCommand(JobRequeued.class, (s, c) -> persist(s, SessionRules.jobRequeued(s, c.jobId(), now())))
        .onCommand(JobEnded.class, (s, c) -> persist(s,
            SessionRules.jobEnded(s, c.jobId(), c.quantumSeconds(), c.at() != null ? c.at() : now())))
        .onCommand(StopAccepting.class, (s, c) -> answer(s, c.replyTo(), SessionRules.stopAccepting(s, now())))
        .onCommand(Cancel.class, (s, c) -> answer(s, c.replyTo(), SessionRules.cancel(s, now())))
        // An id that is no session (a read on another node, issue 6) leaves no entity behind.
        .onCommand(Get.class, (s, c) -> s.exists() ? Effect().reply(c.replyTo(), s.view())
            : Effect().stop().thenReply(c.replyTo(), st -> st.view()))
        .onCommand(DeadlineTick.class, (s, c) -> s.exists()
            ? persist(s, SessionRules.deadlineReached(s, now())) : Effect().none())
        .onCommand(Wake.class, this::onWake)
        .onCommand(CatchUp.class, this::onCatchUp)
        .onCommand(ChargeAcked.class, this::onChargeAcked)
        .build();
  }

  private Instant now() {
    return wiring.clock().instant();
  }

  private Effect<SessionEvent, SessionState> onOpen(SessionState s, Open c) {
    if (s.exists()) {
      return Effect().reply(c.replyTo(), s.view());
    }
    return Effect().persist(c.opened()).thenRun(next -> react(List.of(c.opened()), next))
        .thenRun(next -> c.replyTo().tell(next.view()));
  }

  private Effect<SessionEvent, SessionState> onOpenWithKey(SessionState s, OpenWithKey c) {
    if (s.exists()) {
      SessionView view = s.view();
      return Effect().reply(c.replyTo(), new OpenReply(view, Idempotency.decide(view, c.opened(), c.keyTtl())));
    }
    return Effect().persist(c.opened()).thenRun(next -> react(List.of(c.opened()), next))
        .thenRun(next -> c.replyTo().tell(new OpenReply(next.view(), Idempotency.Verdict.NEW)));
  }

  private Effect<SessionEvent, SessionState> onAddJob(SessionState s, AddJob c) {
    if (!s.exists()) {
      return Effect().reply(c.replyTo(), new AddJobReply(Rejection.notFound("session_id", "session not found")));
    }
    List<SessionEvent> due = SessionRules.deadlineReached(s, now());
    if (!due.isEmpty()) {
      // A deadline passed and its timer has not fired yet: it takes effect before the job counts.
      return Effect().persist(due).thenRun(next -> {
        react(due, next);
        context.getSelf().tell(c);
      });
    }
    SessionRules.Either decision = c.job() == null
        ? SessionRules.addJob(s, c.jobId(), now())
        : SessionRules.addJob(s, c.job(), now());
    if (decision.isRejected()) {
      return Effect().reply(c.replyTo(), new AddJobReply(decision.rejection()));
    }
    return persist(s, decision.events()).thenReply(c.replyTo(), next -> new AddJobReply(null));
  }

  private Effect<SessionEvent, SessionState> answer(SessionState s, ActorRef<Reply> replyTo, List<SessionEvent> events) {
    if (!s.exists()) {
      return Effect().reply(replyTo, Reply.NOT_FOUND);
    }
    return persist(s, events).thenReply(replyTo, next -> Reply.DONE);
  }

  private Effect<SessionEvent, SessionState> onWake(SessionState s, Wake c) {
    if (!s.exists()) {
      return Effect().reply(c.replyTo(), Done.getInstance());
    }
    List<SessionEvent> events = SessionRules.reconcile(s, id -> Optional.ofNullable(c.jobs().get(id)), now());
    return Effect().persist(events).thenRun(next -> {
      react(events, next);
      resendAfterRestart(next);
      context.getSelf().tell(new CatchUp(c.replyTo()));
    });
  }

  /**
   * Deadlines that passed while the node was down take effect before recovery queues any job
   * again, so no job of a session whose max TTL passed starts after it (R12, R20).
   */
  private Effect<SessionEvent, SessionState> onCatchUp(SessionState s, CatchUp c) {
    List<SessionEvent> events = SessionRules.deadlineReached(s, now());
    if (events.isEmpty()) {
      return Effect().reply(c.replyTo(), Done.getInstance());
    }
    return Effect().persist(events).thenRun(next -> {
      react(events, next);
      context.getSelf().tell(c);
    });
  }

  private Effect<SessionEvent, SessionState> onChargeAcked(SessionState s, ChargeAcked c) {
    chargesInFlight.remove(c.chargeId());
    boolean owed = s.pendingCharges().stream().anyMatch(p -> p.chargeId().equals(c.chargeId()));
    if (!owed) {
      return Effect().none();
    }
    if (!c.ok()) {
      // The ledger did not answer in time: try again; it ignores a charge it already has (R27).
      context.scheduleOnce(wiring.askTimeout(), context.getSelf(), DeadlineTick.INSTANCE);
      return Effect().none();
    }
    return persist(s, List.of(new SessionEvent.ChargeRecorded(c.chargeId(), now())));
  }

  private EffectBuilder<SessionEvent, SessionState> persist(SessionState s, List<SessionEvent> events) {
    if (events.isEmpty()) {
      return Effect().none().thenRun(next -> {
        sendCharges(next);
        if (next.exists()) {
          armTimer(next); // a timer that fired early (e.g. the clock stepped back) is armed again
        }
      });
    }
    return Effect().persist(events).thenRun(next -> react(events, next));
  }

  /** After events are durable: publish, tell the arbiter what changed, charge, re-arm the timer. */
  private void react(List<SessionEvent> events, SessionState next) {
    for (SessionEvent e : events) {
      if (e instanceof SessionEvent.JobAdded a && a.job() != null) {
        wiring.admitJob().accept(a.job()); // durable now, whether or not its caller still waits
      }
    }
    wiring.index().put(next.view(), lastSequenceNumber(context));
    tell(next, SessionOrders.after(events, next));
    sendCharges(next);
    armTimer(next);
  }

  /** After a restart the arbiter knows nothing: tell it again what a closed session wants. */
  private void resendAfterRestart(SessionState s) {
    tell(s, SessionOrders.afterRestart(s));
  }

  private void tell(SessionState s, List<BackendOrder> orders) {
    ActorRef<QueueArbiter.Command> arbiter = wiring.arbiters().apply(s.backend());
    if (arbiter == null) {
      return; // its backend is no longer configured
    }
    for (BackendOrder o : orders) {
      if (o instanceof BackendOrder.ReleaseHold) {
        arbiter.tell(new QueueArbiter.ReleaseHold(s.id()));
      } else if (o instanceof BackendOrder.EndBatch) {
        arbiter.tell(new QueueArbiter.EndBatch(s.id()));
      } else if (o instanceof BackendOrder.DropQueued d) {
        arbiter.tell(new QueueArbiter.DropJobs(s.id(), d.jobIds(), d.status(), d.reason()));
      }
    }
  }

  /** R26, R27: each committed period's wall-clock time goes to the ledger under its own id. */
  private void sendCharges(SessionState s) {
    for (PendingCharge p : s.pendingCharges()) {
      if (!chargesInFlight.add(p.chargeId())) {
        continue;
      }
      Charge charge = new Charge(p.chargeId(), "session", p.seconds(), p.at());
      context.ask(Done.class, wiring.ledgers().apply(s.instance()), wiring.askTimeout(),
          replyTo -> new UsageLedger.Record(charge, replyTo),
          (ok, err) -> new ChargeAcked(p.chargeId(), ok != null));
    }
  }

  private void armTimer(SessionState s) {
    Optional<Instant> next = s.nextDeadline();
    if (next.isEmpty()) {
      timers.cancel(TIMER);
      return;
    }
    Duration delay = Duration.between(now(), next.get());
    timers.startSingleTimer(TIMER, DeadlineTick.INSTANCE, delay.isNegative() ? Duration.ZERO : delay);
  }

  @Override
  public EventHandler<SessionState, SessionEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(SessionState::apply);
  }
}
