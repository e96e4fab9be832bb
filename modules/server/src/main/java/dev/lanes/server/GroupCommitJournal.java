package dev.lanes.server;

import akka.persistence.AtomicWrite;
import akka.persistence.PersistentRepr;
import akka.persistence.jdbc.journal.JdbcAsyncWriteJournal;
import akka.persistence.journal.Tagged;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.Serializers;
import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import scala.collection.immutable.Seq;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;
import scala.jdk.javaapi.FutureConverters;
import scala.runtime.BoxedUnit;
import scala.util.Failure;
import scala.util.Success;
import scala.util.Try;

/**
 * The journal on embedded H2: akka-persistence-jdbc's own plugin for everything it reads
 * (replay, highest sequence number, deletes, and the read journal over the same tables), with a
 * leaner write path. The plugin writes through an Akka stream, Slick's executor and a pooled
 * connection: about 1.5 ms from the write to its answer on this 2-core machine, of which H2's
 * insert and commit take 0.2 ms. Here one thread ({@link GroupCommitWriter}) holds one connection
 * and writes every write waiting for it in one transaction; nothing is answered before that
 * transaction has committed, so durability is the plugin's.
 *
 * <p>Rows are the plugin's (the same columns, the same Akka serialization and manifests, tags in
 * {@code event_tag}), so the plugin reads them back, and a data dir can move between the two.
 */
public final class GroupCommitJournal extends JdbcAsyncWriteJournal {
  private static final Try<BoxedUnit> OK = new Success<>(BoxedUnit.UNIT);

  private final Serialization serialization;
  private final GroupCommitWriter writer;
  /** A persistent actor that restarts must read its highest sequence number after its last write. */
  private final ConcurrentHashMap<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();

  public GroupCommitJournal(Config config) {
    super(config);
    serialization = SerializationExtension.get(context().system());
    writer = new GroupCommitWriter(Database.of(context().system().settings().config()));
  }

  @Override
  public Future<Seq<Try<BoxedUnit>>> asyncWriteMessages(Seq<AtomicWrite> messages) {
    long now = System.currentTimeMillis(); // one timestamp per write, as the plugin does
    List<Try<BoxedUnit>> results = new ArrayList<>();
    List<GroupCommitWriter.EventRow> rows = new ArrayList<>();
    boolean allSerialized = true;
    for (AtomicWrite write : CollectionConverters.asJava(messages)) {
      try {
        List<GroupCommitWriter.EventRow> these = new ArrayList<>();
        for (PersistentRepr repr : CollectionConverters.asJava(write.payload())) {
          these.add(row(repr.withTimestamp(now)));
        }
        rows.addAll(these);
        results.add(OK);
      } catch (RuntimeException e) {
        // this write is rejected (its actor hears why); the others of the call still go
        results.add(new Failure<>(e));
        allSerialized = false;
      }
    }
    CompletableFuture<Void> done = writer.write(rows);
    String persistenceId = messages.head().persistenceId();
    inFlight.put(persistenceId, done);
    done.whenComplete((v, e) -> inFlight.remove(persistenceId, done));
    // AsyncWriteJournal: an empty list means every write succeeded
    Seq<Try<BoxedUnit>> answer = allSerialized ? CollectionConverters.asScala(List.<Try<BoxedUnit>>of()).toSeq()
        : CollectionConverters.asScala(results).toSeq();
    return FutureConverters.asScala(done.thenApply(v -> answer));
  }

  @Override
  public Future<Object> asyncReadHighestSequenceNr(String persistenceId, long fromSequenceNr) {
    CompletableFuture<Void> pending = inFlight.get(persistenceId);
    if (pending == null) {
      return super.asyncReadHighestSequenceNr(persistenceId, fromSequenceNr);
    }
    // after the write in flight, whether it failed or not. (The plugin's own map of writes in
    // flight, which its method also reads, stays empty: only its asyncWriteMessages fills it.)
    return FutureConverters.asScala(pending.handle((v, e) -> null).thenCompose(v ->
        FutureConverters.asJava(super.asyncReadHighestSequenceNr(persistenceId, fromSequenceNr))));
  }

  @Override
  public void postStop() {
    writer.close();
    super.postStop();
  }

  /** The plugin's row for one event (DefaultJournalDao): payload and metadata by Akka serialization. */
  private GroupCommitWriter.EventRow row(PersistentRepr repr) {
    Object payload = repr.payload();
    Set<String> tags = Set.of();
    if (payload instanceof Tagged tagged) {
      payload = tagged.payload();
      tags = CollectionConverters.asJava(tagged.tags());
    }
    Serialized event = serialize(payload);
    Serialized meta = repr.metadata().isDefined() ? serialize(repr.metadata().get()) : null;
    return new GroupCommitWriter.EventRow(repr.persistenceId(), repr.sequenceNr(), repr.deleted(), repr.writerUuid(),
        repr.timestamp(), repr.manifest(), event.bytes(), event.serializerId(), event.manifest(),
        meta == null ? null : meta.bytes(), meta == null ? null : meta.serializerId(), meta == null ? null : meta.manifest(),
        tags);
  }

  private record Serialized(byte[] bytes, int serializerId, String manifest) {}

  private Serialized serialize(Object o) {
    Serializer serializer = serialization.findSerializerFor(o);
    return new Serialized(serialization.serialize(o).get(), serializer.identifier(), Serializers.manifestFor(serializer, o));
  }
}
