package dev.lanes.actors.backend;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import dev.lanes.actors.CborSerializable;
import dev.lanes.core.model.JobShape;
import dev.lanes.core.queue.QpuToken;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * A backend (QPU): it owns its {@link Lane} children and the QPU token (R2). Lanes run the
 * classical parts in parallel and take the token, first come first served, for the quantum part.
 * Which job runs where is the {@link QueueArbiter}'s decision; this actor carries it out.
 */
public final class Backend extends AbstractBehavior<Backend.Command> {

  public sealed interface Command extends CborSerializable {}

  /** Run a job on a lane; the lane reports to {@code arbiter} when it is free again. */
  /** {@code shape} (may be null) lets the lane start pre-processing before the start is durable. */
  /** {@code epoch}: the backend's epoch (issue 6); the job's entity refuses an older one. */
  public record RunOnLane(int lane, String jobId, JobShape shape, long epoch, ActorRef<QueueArbiter.Command> arbiter)
      implements Command {}

  /** Stop the lane's job (a user's cancel). */
  public record StopLane(int lane, String jobId) implements Command {}

  /** A lane asks for the QPU; it is answered with {@link Lane.QpuGranted} when its turn comes. */
  public record AcquireQpu(int lane) implements Command {}

  /** A lane gives the QPU back, or stops waiting for it. */
  public record ReleaseQpu(int lane) implements Command {}

  private final List<ActorRef<Lane.Command>> lanes = new ArrayList<>();
  private final QpuToken qpu = new QpuToken();

  public static Behavior<Command> create(String backend, int laneCount, Lane.Wiring wiring) {
    return Behaviors.setup(ctx -> new Backend(ctx, backend, laneCount, wiring));
  }

  private Backend(ActorContext<Command> ctx, String backend, int laneCount, Lane.Wiring wiring) {
    super(ctx);
    for (int i = 0; i < laneCount; i++) {
      Behavior<Lane.Command> lane = Lane.create(backend, i, ctx.getSelf(), wiring);
      // A lane that throws is restarted empty; its job's entity still says Running, and the
      // arbiter still holds the lane, so the failure is visible rather than silently lost.
      lanes.add(ctx.spawn(Behaviors.supervise(lane).onFailure(SupervisorStrategy.restart()), "lane-" + i,
          akka.actor.typed.DispatcherSelector.sameAsParent()));
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(RunOnLane.class, m -> {
          lanes.get(m.lane()).tell(new Lane.Run(m.jobId(), m.shape(), m.epoch(), m.arbiter()));
          return this;
        })
        .onMessage(StopLane.class, m -> {
          lanes.get(m.lane()).tell(new Lane.Stop(m.jobId()));
          return this;
        })
        .onMessage(AcquireQpu.class, m -> {
          if (qpu.acquire(m.lane())) {
            lanes.get(m.lane()).tell(Lane.QpuGranted.INSTANCE);
          }
          return this;
        })
        .onMessage(ReleaseQpu.class, m -> {
          OptionalInt next = qpu.release(m.lane());
          next.ifPresent(l -> lanes.get(l).tell(Lane.QpuGranted.INSTANCE));
          return this;
        })
        .build();
  }
}
