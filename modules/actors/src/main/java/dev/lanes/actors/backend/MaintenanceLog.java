package dev.lanes.actors.backend;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.Effect;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import akka.persistence.typed.javadsl.SignalHandler;
import dev.lanes.actors.CborSerializable;
import dev.lanes.core.queue.MaintenanceQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The durable log of one backend, persistence id {@code Queue|<backend>}: its maintenance schedule
 * (R24), so an accepted calibration or upgrade survives a restart, and its epochs (issue 6): each
 * time the backend starts on a node it begins a new, higher epoch here, so a node that lost it
 * can never start or end a job again. It tells the arbiter what to run; the
 * arbiter tells it when one started and ended. After recovery it hands the arbiter everything
 * that had not ended, a running one with its start so it keeps its planned end.
 */
public final class MaintenanceLog
    extends EventSourcedBehavior<MaintenanceLog.Command, MaintenanceLog.Event, MaintenanceLog.State> {

  public sealed interface Command extends BackendHost.Message {}

  /** Schedule one; answers its id once durable ({@code replyTo} may be null). */
  public record Schedule(String kind, Duration duration, ActorRef<String> replyTo) implements Command {}

  public record Started(String id, Instant at) implements Command {}

  public record Ended(String id, Instant at) implements Command {}


  /**
   * Begin the backend's next epoch; answers it once durable. Commands wait for recovery, so the
   * answer also means the log has handed the arbiter the maintenance not ended yet (R24, R29).
   */
  public record BeginEpoch(ActorRef<Long> replyTo) implements Command {}

  public sealed interface Event extends CborSerializable {}

  public record EpochBegun(long epoch, Instant at) implements Event {}

  public record MaintenanceScheduled(String id, String kind, Duration duration, Instant at) implements Event {}

  public record MaintenanceStarted(String id, Instant at) implements Event {}

  public record MaintenanceEnded(String id, Instant at) implements Event {}

  /** Maintenance not ended yet, in the order asked, with when each started (null: waiting). */
  public static final class State {
    final Map<String, MaintenanceQueue.Window> open = new LinkedHashMap<>();
    final Map<String, Instant> started = new LinkedHashMap<>();
    long epoch;

    State apply(Event e) {
      if (e instanceof EpochBegun b) {
        epoch = Math.max(epoch, b.epoch());
      } else if (e instanceof MaintenanceScheduled s) {
        open.put(s.id(), new MaintenanceQueue.Window(s.id(), s.kind(), s.duration(), s.at()));
      } else if (e instanceof MaintenanceStarted s) {
        started.put(s.id(), s.at());
      } else if (e instanceof MaintenanceEnded s) {
        open.remove(s.id());
        started.remove(s.id());
      }
      return this;
    }
  }

  private final ActorRef<QueueArbiter.Command> arbiter;
  private final Clock clock;

  public static Behavior<Command> create(String backend, ActorRef<QueueArbiter.Command> arbiter, Clock clock) {
    return new MaintenanceLog(backend, arbiter, clock);
  }

  private MaintenanceLog(String backend, ActorRef<QueueArbiter.Command> arbiter, Clock clock) {
    super(PersistenceId.of("Queue", backend));
    this.arbiter = arbiter;
    this.clock = clock;
  }

  @Override
  public State emptyState() {
    return new State();
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> {
      state.open.values().forEach(w -> {
        Instant at = state.started.get(w.id());
        arbiter.tell(at == null ? new QueueArbiter.ScheduleMaintenance(w) : new QueueArbiter.ResumeMaintenance(w, at));
      });
    }).build();
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Schedule.class, this::onSchedule)
        .onCommand(BeginEpoch.class, (s, c) -> Effect().persist(new EpochBegun(s.epoch + 1, clock.instant()))
            .thenReply(c.replyTo(), next -> next.epoch))
        .onCommand(Started.class, (s, c) -> s.open.containsKey(c.id())
            ? Effect().persist(new MaintenanceStarted(c.id(), c.at())) : Effect().none())
        .onCommand(Ended.class, (s, c) -> s.open.containsKey(c.id())
            ? Effect().persist(new MaintenanceEnded(c.id(), c.at())) : Effect().none())
        .build();
  }

  private Effect<Event, State> onSchedule(State s, Schedule c) {
    MaintenanceScheduled e = new MaintenanceScheduled(UUID.randomUUID().toString(), c.kind(), c.duration(), clock.instant());
    return Effect().persist(e).thenRun(next -> {
      arbiter.tell(new QueueArbiter.ScheduleMaintenance(next.open.get(e.id())));
      if (c.replyTo() != null) {
        c.replyTo().tell(e.id());
      }
    });
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }
}
