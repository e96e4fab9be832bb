package dev.lanes.actors.usage;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import dev.lanes.actors.CborSerializable;
import dev.lanes.core.usage.Charge;
import dev.lanes.core.usage.LedgerState;
import dev.lanes.core.usage.UsageBook;
import java.time.Clock;
import java.time.Duration;

/**
 * The durable usage ledger of one instance (R27), persistence id {@code Ledger|<instance>}. A
 * charge is recorded once per charge id, so a charge retried after a crash is never doubled.
 */
public final class UsageLedger extends EventSourcedBehavior<UsageLedger.Command, Charge, LedgerState> {
  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Ledger");
  /** Tag of every charge: in a cluster, each node's read side follows them (issue 6). */
  public static final String TAG = "usage";

  public sealed interface Command extends CborSerializable {}

  /** Records a charge (idempotent by {@code charge.chargeId()}); answers Done once it is durable. */
  public record Record(Charge charge, ActorRef<Done> replyTo) implements Command {}

  /** Answers the usage over the rolling window ending now. */
  public record GetUsage(Duration window, ActorRef<Usage> replyTo) implements Command {}

  public record Usage(double windowSeconds, double totalSeconds, int charges) implements CborSerializable {}

  private final String instance;
  private final Clock clock;
  private final UsageBook book;

  /**
   * {@code book} is the node's read model of every ledger: it hears of each new charge. Null in
   * a cluster, where every node's {@code ReadSide} follows the charges instead.
   */
  public static Behavior<Command> create(String instance, Clock clock, UsageBook book) {
    return new UsageLedger(instance, clock, book);
  }

  private UsageLedger(String instance, Clock clock, UsageBook book) {
    super(PersistenceId.of(ENTITY_KEY.name(), instance));
    this.instance = instance;
    this.clock = clock;
    this.book = book;
  }

  @Override
  public java.util.Set<String> tagsFor(Charge event) {
    return java.util.Set.of(TAG);
  }

  @Override
  public LedgerState emptyState() {
    return new LedgerState();
  }

  @Override
  public CommandHandler<Command, Charge, LedgerState> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Record.class, this::onRecord)
        .onCommand(GetUsage.class, (state, cmd) -> Effect().none().thenRun(s ->
            cmd.replyTo().tell(new Usage(s.usageIn(cmd.window(), clock.instant()), s.total(), s.count()))))
        .build();
  }

  private akka.persistence.typed.javadsl.Effect<Charge, LedgerState> onRecord(LedgerState state, Record cmd) {
    if (!state.isNew(cmd.charge().chargeId())) {
      return Effect().reply(cmd.replyTo(), Done.getInstance());
    }
    Charge c = cmd.charge();
    return Effect().persist(c)
        .thenRun(s -> {
          if (book != null) {
            book.add(instance, c.at(), c.seconds(), c.chargeId());
          }
        })
        .thenReply(cmd.replyTo(), s -> Done.getInstance());
  }

  @Override
  public EventHandler<LedgerState, Charge> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(LedgerState::apply);
  }
}
