package dev.lanes.actors.backend;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import dev.lanes.actors.CborSerializable;
import dev.lanes.actors.job.JobEntity;
import dev.lanes.core.job.RunOutcome;
import dev.lanes.core.job.JobStatus;
import dev.lanes.core.queue.BackendQueues;
import dev.lanes.core.queue.Dispatcher;
import dev.lanes.core.queue.LaneTable;
import dev.lanes.core.queue.QueuedJob;
import dev.lanes.core.queue.StartPolicy;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The one queue of a backend (R5): it holds the queued jobs and which job holds which lane, and
 * asks the core {@link Dispatcher} which job starts next whenever a job arrives or a lane frees.
 * It is the only place a queued job leaves the queue, so a job can never start twice (R1).
 *
 * <p>It also decides, at the moment of the start, that a dedicated session now holds the backend
 * (R10, R17) or that a batch is active (R19): nothing else may start in between. The session's
 * entity owns the timers and tells it when the hold ends or the batch is over.
 */
public final class QueueArbiter extends AbstractBehavior<QueueArbiter.Command> {

  public sealed interface Command extends CborSerializable {}

  /** A job to queue; {@code atHead} for a run interrupted by a node stop (R29). */
  public record Enqueue(QueuedJob job, boolean atHead) implements Command {}

  /** A user's cancel: out of the queue, or stopped on its lane (R28). */
  public record Cancel(String jobId, ActorRef<JobEntity.CancelReply> replyTo) implements Command {}

  /** A lane is free again; {@code outcome} is null when the job was not started (entity said no). */
  public record LaneFinished(int lane, String jobId, RunOutcome outcome) implements Command {}

  public record SetPaused(boolean paused, ActorRef<Done> replyTo) implements Command {}

  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  /** {@code holderKind} is "session", "batch" or null (api.md backend status {@code holder}). */
  public record Status(String backend, boolean paused, int lanes, int lanesBusy, int queueLength,
      String holderKind, String holderId) implements CborSerializable {}

  /**
   * The session went inactive or closed (R10, R12, R14, R15): its hold ends, unless one of its
   * jobs is on a lane by now (it started again before this arrived; the session hears of that
   * start and is active again).
   */
  public record ReleaseHold(String sessionId) implements Command {}

  /** Recovery: the session held the backend when the node stopped (R29). */
  public record RestoreHold(String sessionId) implements Command {}

  /** Recovery: the batch was active when the node stopped, in activation order (R29). */
  public record RestoreBatch(String sessionId) implements Command {}

  /** The batch closed: it no longer goes ahead of anyone (R22). */
  public record EndBatch(String sessionId) implements Command {}

  /**
   * The session ended its queued jobs (R12, R15, R20): those queued end {@code status} with
   * {@code reason}; those not queued yet (a submit in flight) will when they arrive; running ones
   * finish.
   */
  public record DropJobs(String sessionId, List<String> jobIds, JobStatus status, String reason)
      implements Command {}

  /** Queue positions (1 = next to start) of those of {@code jobIds} that are queued. */
  public record GetPositions(List<String> jobIds, ActorRef<Positions> replyTo) implements Command {}

  public record Positions(Map<String, Integer> positions) implements CborSerializable {}

  private final String backend;
  private final ActorRef<Backend.Command> lanesOwner;
  private final Function<String, RecipientRef<JobEntity.Command>> jobs;
  private final BackendQueues queue;
  private final LaneTable lanes;
  /** Jobs on lanes, to know whose they are. */
  private final Map<String, QueuedJob> running = new HashMap<>();
  /** Jobs a session ended before they reached this queue: they end on arrival. Bounded. */
  private final Map<String, DropJobs> doomed = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, DropJobs> eldest) {
      return size() > 100_000;
    }
  };
  /** Cancels waiting for a running job's lane to stop. */
  private final Map<String, ActorRef<JobEntity.CancelReply>> cancelling = new HashMap<>();
  private boolean paused;
  /** The job whose start made the current hold: if it never really starts, the hold is undone. */
  private String holdMadeBy;

  public static Behavior<Command> create(String backend, int lanes, boolean paused,
      ActorRef<Backend.Command> lanesOwner, Function<String, RecipientRef<JobEntity.Command>> jobs,
      StartPolicy policy) {
    return Behaviors.setup(ctx -> new QueueArbiter(ctx, backend, lanes, paused, lanesOwner, jobs, policy));
  }

  private QueueArbiter(ActorContext<Command> ctx, String backend, int lanes, boolean paused,
      ActorRef<Backend.Command> lanesOwner, Function<String, RecipientRef<JobEntity.Command>> jobs,
      StartPolicy policy) {
    super(ctx);
    this.backend = backend;
    this.lanes = new LaneTable(lanes);
    this.paused = paused;
    this.lanesOwner = lanesOwner;
    this.jobs = jobs;
    this.queue = new BackendQueues(policy);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Enqueue.class, this::onEnqueue)
        .onMessage(Cancel.class, this::onCancel)
        .onMessage(LaneFinished.class, this::onLaneFinished)
        .onMessage(SetPaused.class, this::onSetPaused)
        .onMessage(GetStatus.class, this::onGetStatus)
        .onMessage(GetPositions.class, this::onGetPositions)
        .onMessage(ReleaseHold.class, this::onReleaseHold)
        .onMessage(RestoreHold.class, m -> {
          queue.release(queue.holder().orElse(m.sessionId()));
          queue.hold(m.sessionId());
          return dispatch();
        })
        .onMessage(RestoreBatch.class, m -> {
          queue.activateBatch(m.sessionId());
          return dispatch();
        })
        .onMessage(EndBatch.class, m -> {
          queue.endBatch(m.sessionId());
          return dispatch();
        })
        .onMessage(DropJobs.class, this::onDropJobs)
        .build();
  }

  private Behavior<Command> onEnqueue(Enqueue m) {
    String id = m.job().jobId();
    DropJobs drop = doomed.remove(id);
    if (drop != null) {
      jobs.apply(id).tell(new JobEntity.EndQueued(drop.status(), drop.reason()));
      return this;
    }
    if (!running.containsKey(id)) {
      queue.enqueue(m.job(), m.atHead());
    }
    return dispatch();
  }

  private Behavior<Command> onReleaseHold(ReleaseHold m) {
    boolean onLane = running.values().stream().anyMatch(j -> j.inSession(m.sessionId()));
    if (!onLane && queue.release(m.sessionId())) {
      holdMadeBy = null;
    }
    return dispatch();
  }

  private Behavior<Command> onDropJobs(DropJobs m) {
    for (String id : m.jobIds()) {
      if (queue.remove(id).isPresent()) {
        jobs.apply(id).tell(new JobEntity.EndQueued(m.status(), m.reason()));
      } else if (!running.containsKey(id)) {
        doomed.put(id, m);
      }
    }
    return dispatch();
  }

  private Behavior<Command> onCancel(Cancel m) {
    if (queue.remove(m.jobId()).isPresent()) {
      jobs.apply(m.jobId()).tell(new JobEntity.CancelQueued(m.replyTo()));
      return this;
    }
    OptionalInt lane = lanes.laneOf(m.jobId());
    if (lane.isPresent()) {
      cancelling.put(m.jobId(), m.replyTo());
      lanesOwner.tell(new Backend.StopLane(lane.getAsInt(), m.jobId()));
      return this;
    }
    jobs.apply(m.jobId()).tell(new JobEntity.Cancel(m.replyTo()));
    return this;
  }

  private Behavior<Command> onLaneFinished(LaneFinished m) {
    if (!lanes.release(m.lane(), m.jobId())) {
      return this; // a stale report: the lane was already given back
    }
    QueuedJob job = running.remove(m.jobId());
    if (m.outcome() == null && job != null && job.sessionId() != null) {
      // The job never started (its entity said no), so its session never heard of a start: a
      // hold or batch activation this job alone made must not outlive it.
      undoActivationIfUnused(job);
    }
    ActorRef<JobEntity.CancelReply> canceller = cancelling.remove(m.jobId());
    if (m.outcome() != null) {
      jobs.apply(m.jobId()).tell(new JobEntity.Finish(m.outcome(), canceller));
    } else if (canceller != null) {
      jobs.apply(m.jobId()).tell(new JobEntity.Cancel(canceller));
    }
    return dispatch();
  }

  private Behavior<Command> onSetPaused(SetPaused m) {
    paused = m.paused();
    m.replyTo().tell(Done.getInstance());
    return dispatch();
  }

  private Behavior<Command> onGetStatus(GetStatus m) {
    String holder = queue.holder().orElse(null);
    List<String> batches = queue.activeBatches();
    String kind = holder != null ? "session" : batches.isEmpty() ? null : "batch";
    String id = holder != null ? holder : batches.isEmpty() ? null : batches.get(0);
    m.replyTo().tell(new Status(backend, paused, lanes.lanes(), lanes.busy(), queue.size(), kind, id));
    return this;
  }

  private Behavior<Command> onGetPositions(GetPositions m) {
    m.replyTo().tell(new Positions(queue.positions(m.jobIds())));
    return this;
  }

  private Behavior<Command> dispatch() {
    boolean wasHeld = queue.holder().isPresent();
    for (Dispatcher.Assignment a : Dispatcher.fill(queue, lanes, paused)) {
      running.put(a.job().jobId(), a.job());
      if (!wasHeld && queue.holder().filter(a.job()::inSession).isPresent()) {
        holdMadeBy = a.job().jobId();
        wasHeld = true;
      }
      lanesOwner.tell(new Backend.RunOnLane(a.lane(), a.job().jobId(), getContext().getSelf()));
    }
    return this;
  }

  private void undoActivationIfUnused(QueuedJob job) {
    String session = job.sessionId();
    boolean othersOnLanes = running.values().stream().anyMatch(j -> j.inSession(session));
    if (job.jobId().equals(holdMadeBy) && !othersOnLanes) {
      queue.release(session);
      holdMadeBy = null;
    }
  }
}
