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

  /**
   * Fills {@code book}; {@code versions} gets each ledger's last sequence number, by instance.
   * Answers the offset of the newest charge read (issue 6: the tag stream goes on from there).
   */
  public static CompletionStage<akka.persistence.query.Offset> run(ActorSystem<?> system, String readJournalPluginId,
      UsageBook book, Map<String, Long> versions) {
    // the jdbc read journal implements both queries
    var journal = PersistenceQuery.get(system)
        .getReadJournalFor(akka.persistence.query.javadsl.ReadJournal.class, readJournalPluginId);
    String prefix = UsageLedger.ENTITY_KEY.name() + "|";
    akka.persistence.query.Offset[] newest = {null};
    Source<String, NotUsed> ids = ((CurrentPersistenceIdsQuery) journal).currentPersistenceIds()
        .filter(id -> id.startsWith(prefix));
    return ids.flatMapConcat(id -> ((CurrentEventsByPersistenceIdQuery) journal)
            .currentEventsByPersistenceId(id, 0, Long.MAX_VALUE)
            .map(env -> new Read(id.substring(prefix.length()), env)))
        .runWith(Sink.fold(new HashMap<String, LedgerState>(), (acc, r) -> {
          Charge charge = (Charge) r.env().event();
          LedgerState ledger = acc.computeIfAbsent(r.instance(), k -> new LedgerState());
          if (ledger.isNew(charge.chargeId())) {
            ledger.apply(charge);
            book.add(r.instance(), charge.at(), charge.seconds());
          }
          versions.put(r.instance(), r.env().sequenceNr());
          if (newest[0] == null || compare(r.env().offset(), newest[0]) > 0) {
            newest[0] = r.env().offset();
          }
          return acc;
        }), system)
        .thenApply(m -> newest[0] == null ? akka.persistence.query.NoOffset.getInstance() : newest[0]);
  }

  private record Read(String instance, akka.persistence.query.EventEnvelope env) {}

  private static int compare(akka.persistence.query.Offset a, akka.persistence.query.Offset b) {
    return a instanceof akka.persistence.query.Sequence x && b instanceof akka.persistence.query.Sequence y
        ? x.compareTo(y) : 0;
  }
}
