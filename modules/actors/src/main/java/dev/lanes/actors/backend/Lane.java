package dev.lanes.actors.backend;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lanes.actors.CborSerializable;
import dev.lanes.actors.job.JobEntity;
import dev.lanes.actors.job.PubParser;
import dev.lanes.actors.job.ResultJson;
import dev.lanes.core.exec.ExecutionRequest;
import dev.lanes.core.exec.ExecutionResult;
import dev.lanes.core.exec.QpuExecutor;
import dev.lanes.core.job.JobState;
import dev.lanes.core.job.RunOutcome;
import dev.lanes.core.model.JobShape;
import dev.lanes.core.model.TimingModel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * One execution lane (R1, R2): holds one job from Running to its end and runs its pipeline —
 * classical pre-processing, the quantum part on the backend's QPU (one lane at a time), classical
 * post-processing — timed by the backend's {@link TimingModel}. Max execution time (R28) is
 * enforced on quantum time.
 */
public final class Lane extends AbstractBehavior<Lane.Command> {

  public sealed interface Command extends CborSerializable {}

  /** Run a job; with its {@code shape} known, pre-processing starts while its start is persisted. */
  public record Run(String jobId, JobShape shape, long epoch, ActorRef<QueueArbiter.Command> arbiter) implements Command {
    public Run(String jobId, JobShape shape, ActorRef<QueueArbiter.Command> arbiter) {
      this(jobId, shape, 0, arbiter);
    }
  }

  public record Stop(String jobId) implements Command {}

  public enum QpuGranted implements Command { INSTANCE }

  private record StartAnswered(long run, JobEntity.StartReply reply) implements Command {}

  /** Phase {@code phase} of run {@code run} has lasted its time (stale when either moved on). */
  private record PhaseElapsed(long run, long phase) implements Command {}

  private record Executed(long run, ExecutionResult result, Throwable error) implements Command {}

  /** Collaborators of every lane of a backend. */
  public record Wiring(
      TimingModel timing,
      QpuExecutor executor,
      Executor blocking,
      Clock clock,
      Function<String, RecipientRef<JobEntity.Command>> jobs,
      int defaultShots,
      Duration askTimeout,
      PhaseTimer phases) {
    public Wiring(TimingModel timing, QpuExecutor executor, Executor blocking, Clock clock,
        Function<String, RecipientRef<JobEntity.Command>> jobs, int defaultShots, Duration askTimeout) {
      this(timing, executor, blocking, clock, jobs, defaultShots, askTimeout, PhaseTimer.PRECISE);
    }
  }

  /**
   * Ends a pipeline phase after its simulated duration. Akka's scheduler works in ticks (1 ms
   * here) and wakes up late by another millisecond or two; a lane that waits out fifty 1 ms-late
   * phases a second is idle 5 % of the time. The JDK's delayed executor parks for the exact
   * nanoseconds instead, and the lane's message is sent from its timer thread (a tell never
   * blocks) rather than handed to the common pool first.
   */
  @FunctionalInterface
  public interface PhaseTimer {
    void after(Duration d, Runnable then);

    PhaseTimer PRECISE = (d, then) ->
        java.util.concurrent.CompletableFuture.delayedExecutor(d.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS, Runnable::run)
            .execute(then);
  }

  /**
   * STARTING: waiting for the job's start to be durable before anything (shape unknown).
   * PREP: classical pre-processing, possibly before the start is durable ({@code go} false).
   * WAIT_GO: pre-processing done, the start not yet durable; nothing quantum happens before it is.
   */
  private enum Phase { STARTING, PREP, WAIT_GO, WAIT_QPU, QUANTUM, POST }

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Numbers the phase timers: only the latest one counts. */
  private long phaseTimer;

  private final String backend;
  private final int lane;
  private final ActorRef<Backend.Command> owner;
  private final Wiring wiring;

  private long run;
  private String jobId;
  private ActorRef<QueueArbiter.Command> arbiter;
  private Phase phase;
  private boolean stopRequested;
  /** The job's {@code Started} is durable: it may use the QPU and produce a result. */
  private boolean go;
  private Duration quantum;
  private Duration quantumBudget;
  private Duration post;
  private boolean ranTooLong;
  private Instant qpuStart;
  private Instant qpuEnd;
  private boolean quantumElapsed;
  private Executed executed;

  public static Behavior<Command> create(String backend, int lane, ActorRef<Backend.Command> owner, Wiring wiring) {
    return Behaviors.setup(ctx -> new Lane(ctx, backend, lane, owner, wiring));
  }

  private Lane(ActorContext<Command> ctx, String backend, int lane,
      ActorRef<Backend.Command> owner, Wiring wiring) {
    super(ctx);
    this.backend = backend;
    this.lane = lane;
    this.owner = owner;
    this.wiring = wiring;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Run.class, this::onRun)
        .onMessage(Stop.class, this::onStop)
        .onMessage(StartAnswered.class, this::onStartAnswered)
        .onMessage(PhaseElapsed.class, this::onPhaseElapsed)
        .onMessageEquals(QpuGranted.INSTANCE, this::onQpuGranted)
        .onMessage(Executed.class, this::onExecuted)
        .build();
  }

  private Behavior<Command> onRun(Run m) {
    if (jobId != null) {
      // The arbiter's lane table says this lane is free: report the refused job back as not run.
      m.arbiter().tell(new QueueArbiter.LaneFinished(lane, m.jobId(), null));
      return this;
    }
    long thisRun = ++run;
    jobId = m.jobId();
    arbiter = m.arbiter();
    phase = Phase.STARTING;
    stopRequested = false;
    go = false;
    quantumElapsed = false;
    executed = null;
    qpuStart = qpuEnd = null;
    // The job runs from the moment its lane takes it (as it ends when the lane is done with it),
    // however long its entity takes to start and write Started.
    java.time.Instant takenAt = wiring.clock().instant();
    getContext().ask(JobEntity.StartReply.class, wiring.jobs().apply(jobId), wiring.askTimeout(),
        replyTo -> new JobEntity.Start(lane, takenAt, m.epoch(), replyTo),
        (reply, err) -> new StartAnswered(thisRun, reply == null ? new JobEntity.NoGo(m.jobId()) : reply));
    if (m.shape() != null) {
      // Pre-processing is classical work with no effect outside the lane: it overlaps the write
      // of Started instead of waiting for it. Nothing quantum happens until the start is durable.
      phase = Phase.PREP;
      phaseFor(wiring.timing().preProcessing(m.shape()));
    }
    return this;
  }

  private Behavior<Command> onStartAnswered(StartAnswered m) {
    if (m.run() != run || jobId == null || go) {
      return this;
    }
    if (!(m.reply() instanceof JobEntity.Go started)) {
      return finish(null);
    }
    if (stopRequested) {
      return finish(outcome(RunOutcome.Kind.CANCELLED, 0, null, null));
    }
    go = true;
    JobState job = started.job();
    TimingModel timing = wiring.timing();
    quantum = timing.quantum(job.shape());
    post = timing.postProcessing(job.shape());
    Duration limit = Duration.ofSeconds(job.maxExecutionSeconds());
    ranTooLong = quantum.compareTo(limit) > 0;
    quantumBudget = ranTooLong ? limit : quantum;
    long thisRun = run;
    if (!ranTooLong) {
      // The device works while the lane waits out the pipeline's time; results are ready by the
      // end of the quantum part (or the QPU is held until they are).
      getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> execute(job), wiring.blocking()),
          (result, err) -> new Executed(thisRun, result, err));
    }
    switch (phase) {
      case STARTING -> {
        phase = Phase.PREP;
        phaseFor(timing.preProcessing(job.shape()));
      }
      case WAIT_GO -> {
        phase = Phase.WAIT_QPU;
        owner.tell(new Backend.AcquireQpu(lane));
      }
      default -> { } // PREP: its timer runs on
    }
    return this;
  }

  /**
   * The current phase lasts {@code d}. A phase of no time ends now, not at the scheduler's next
   * tick: a lane must not idle for the scheduler's resolution between phases.
   */
  private void phaseFor(Duration d) {
    PhaseElapsed elapsed = new PhaseElapsed(run, ++phaseTimer);
    if (d.isZero() || d.isNegative()) {
      getContext().getSelf().tell(elapsed);
    } else {
      ActorRef<Command> self = getContext().getSelf();
      wiring.phases().after(d, () -> self.tell(elapsed));
    }
  }

  private ExecutionResult execute(JobState job) {
    try {
      var params = JSON.readTree(job.paramsJson());
      var pubs = PubParser.parse(job.programId(), params, wiring.defaultShots());
      return wiring.executor().execute(new ExecutionRequest(job.jobId(), backend, pubs, job.jobId().hashCode()));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("stored params do not parse: " + e.getMessage(), e);
    }
  }

  private Behavior<Command> onPhaseElapsed(PhaseElapsed m) {
    if (m.run() != run || m.phase() != phaseTimer || jobId == null) {
      return this;
    }
    switch (phase) {
      case PREP -> {
        if (!go) {
          phase = Phase.WAIT_GO;
          return this;
        }
        phase = Phase.WAIT_QPU;
        owner.tell(new Backend.AcquireQpu(lane));
      }
      case QUANTUM -> {
        quantumElapsed = true;
        return endQuantumIfReady();
      }
      case POST -> {
        return finish(outcome(RunOutcome.Kind.COMPLETED, seconds(quantum),
            ResultJson.of(executed.result(), backend, seconds(quantum)), null));
      }
      default -> { }
    }
    return this;
  }

  private Behavior<Command> onQpuGranted() {
    if (phase != Phase.WAIT_QPU) {
      owner.tell(new Backend.ReleaseQpu(lane)); // granted after we stopped: hand it on
      return this;
    }
    phase = Phase.QUANTUM;
    qpuStart = wiring.clock().instant();
    phaseFor(quantumBudget);
    return this;
  }

  private Behavior<Command> onExecuted(Executed m) {
    if (m.run() != run || jobId == null) {
      return this;
    }
    executed = m;
    return endQuantumIfReady();
  }

  private Behavior<Command> endQuantumIfReady() {
    if (phase != Phase.QUANTUM || !quantumElapsed) {
      return this;
    }
    if (ranTooLong) {
      releaseQpu();
      return finish(outcome(RunOutcome.Kind.RAN_TOO_LONG, seconds(quantumBudget), null, null));
    }
    if (executed == null) {
      return this;
    }
    releaseQpu();
    if (executed.error() != null) {
      Throwable cause = executed.error().getCause() != null ? executed.error().getCause() : executed.error();
      return finish(outcome(RunOutcome.Kind.FAILED, seconds(quantum), null,
          "execution failed: " + cause.getMessage()));
    }
    phase = Phase.POST;
    phaseFor(post);
    return this;
  }

  private Behavior<Command> onStop(Stop m) {
    if (jobId == null || !jobId.equals(m.jobId())) {
      return this;
    }
    double consumed = 0;
    if (!go) {
      // Its start may still become durable: the answer decides between "cancelled while running"
      // and "cancelled while queued", as before a lane took it.
      stopRequested = true;
      phaseTimer++; // the phase's timer, if any, is stale now
      return this;
    }
    switch (phase) {
      case WAIT_QPU -> owner.tell(new Backend.ReleaseQpu(lane));
      case QUANTUM -> {
        releaseQpu();
        Duration used = Duration.between(qpuStart, qpuEnd);
        consumed = seconds(used.compareTo(quantumBudget) > 0 ? quantumBudget : used);
      }
      case POST -> consumed = seconds(quantum);
      default -> { }
    }
    return finish(outcome(RunOutcome.Kind.CANCELLED, consumed, null, null));
  }

  /** The end time is taken before the hand-over, so the next holder's start is never earlier. */
  private void releaseQpu() {
    qpuEnd = wiring.clock().instant();
    owner.tell(new Backend.ReleaseQpu(lane));
  }

  private RunOutcome outcome(RunOutcome.Kind kind, double quantumSeconds, String result, String reason) {
    return new RunOutcome(kind, quantumSeconds, result, reason, qpuStart, qpuEnd, wiring.clock().instant());
  }

  private Behavior<Command> finish(RunOutcome outcome) {
    phaseTimer++; // the phase's timer, if any, is stale now
    arbiter.tell(new QueueArbiter.LaneFinished(lane, jobId, outcome));
    jobId = null;
    arbiter = null;
    phase = null;
    executed = null;
    return this;
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
