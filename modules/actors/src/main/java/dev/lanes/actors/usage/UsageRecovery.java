package dev.lanes.actors.usage;

import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.persistence.query.PersistenceQuery;
import akka.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import akka.persistence.query.javadsl.CurrentPersistenceIdsQuery;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import dev.lanes.core.usage.Charge;
import dev.lanes.core.usage.LedgerState;
import dev.lanes.core.usage.UsageBook;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * At start: every ledger's charges into the node's {@link UsageBook}, so fair share (R5c) and
 * limits (R8) rank by the durable usage from the first decision. Each ledger is read by its
 * persistence id, deduplicated by charge id as the ledger itself does (R27).
 */
public final class UsageRecovery {
  private UsageRecovery() {}

  public static CompletionStage<Integer> run(ActorSystem<?> system, String readJournalPluginId, UsageBook book) {
    // the jdbc read journal implements both queries
    var journal = PersistenceQuery.get(system)
        .getReadJournalFor(akka.persistence.query.javadsl.ReadJournal.class, readJournalPluginId);
    String prefix = UsageLedger.ENTITY_KEY.name() + "|";
    Source<String, NotUsed> ids = ((CurrentPersistenceIdsQuery) journal).currentPersistenceIds()
        .filter(id -> id.startsWith(prefix));
    return ids.flatMapConcat(id -> ((CurrentEventsByPersistenceIdQuery) journal)
            .currentEventsByPersistenceId(id, 0, Long.MAX_VALUE)
            .map(env -> Map.entry(id.substring(prefix.length()), (Charge) env.event())))
        .runWith(Sink.fold(new HashMap<String, LedgerState>(), (acc, e) -> {
          LedgerState ledger = acc.computeIfAbsent(e.getKey(), k -> new LedgerState());
          if (ledger.isNew(e.getValue().chargeId())) {
            ledger.apply(e.getValue());
            book.add(e.getKey(), e.getValue().at(), e.getValue().seconds());
          }
          return acc;
        }), system)
        .thenApply(Map::size);
  }
}
