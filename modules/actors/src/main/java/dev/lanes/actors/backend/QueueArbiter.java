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
import dev.lanes.core.queue.Dispatcher;
import dev.lanes.core.queue.JobQueue;
import dev.lanes.core.queue.LaneTable;
import dev.lanes.core.queue.QueuedJob;
import dev.lanes.core.queue.StartPolicy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The one queue of a backend (R5): it holds the queued jobs and which job holds which lane, and
 * asks the core {@link Dispatcher} which job starts next whenever a job arrives or a lane frees.
 * It is the only place a queued job leaves the queue, so a job can never start twice (R1).
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

  public record Status(String backend, boolean paused, int lanes, int lanesBusy, int queueLength)
      implements CborSerializable {}

  /** Queue positions (1 = next to start) of those of {@code jobIds} that are queued. */
  public record GetPositions(List<String> jobIds, ActorRef<Positions> replyTo) implements Command {}

  public record Positions(Map<String, Integer> positions) implements CborSerializable {}

  private final String backend;
  private final ActorRef<Backend.Command> lanesOwner;
  private final Function<String, RecipientRef<JobEntity.Command>> jobs;
  private final StartPolicy policy;
  private final JobQueue queue = new JobQueue();
  private final LaneTable lanes;
  /** Cancels waiting for a running job's lane to stop. */
  private final Map<String, ActorRef<JobEntity.CancelReply>> cancelling = new HashMap<>();
  private boolean paused;

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
    this.policy = policy;
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
        .build();
  }

  private Behavior<Command> onEnqueue(Enqueue m) {
    if (lanes.laneOf(m.job().jobId()).isEmpty()) {
      if (m.atHead()) {
        queue.addFirst(m.job());
      } else {
        queue.addLast(m.job());
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
    m.replyTo().tell(new Status(backend, paused, lanes.lanes(), lanes.busy(), queue.size()));
    return this;
  }

  private Behavior<Command> onGetPositions(GetPositions m) {
    Map<String, Integer> out = new HashMap<>();
    for (String id : m.jobIds()) {
      queue.position(id).ifPresent(p -> out.put(id, p));
    }
    m.replyTo().tell(new Positions(out));
    return this;
  }

  private Behavior<Command> dispatch() {
    for (Dispatcher.Assignment a : Dispatcher.fill(queue, lanes, policy, paused)) {
      lanesOwner.tell(new Backend.RunOnLane(a.lane(), a.job().jobId(), getContext().getSelf()));
    }
    return this;
  }
}
