package dev.lanes.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The journal's writes, group-committed ({@link GroupCommitThread}) on one connection: a group that
 * fails is rolled back and its writes tried again one by one, so one bad write (a duplicate
 * sequence number) fails only itself.
 * Rows go to the tables of akka-persistence-jdbc's default schema ({@code schema/h2.sql}).
 */
final class GroupCommitWriter extends GroupCommitThread<List<GroupCommitWriter.EventRow>> {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GroupCommitWriter.class);

  /** One event as the plugin stores it; {@code meta*} null when it has no metadata. */
  record EventRow(String persistenceId, long sequenceNr, boolean deleted, String writer, long timestamp,
      String adapterManifest, byte[] payload, int serializerId, String serializerManifest,
      byte[] metaPayload, Integer metaSerializerId, String metaManifest, Set<String> tags) {}

  /** Writes per transaction at most: a long backlog goes in several. */
  static final int MAX_GROUP = 500;

  private static final String INSERT_EVENT = "INSERT INTO \"event_journal\" (\"deleted\", \"persistence_id\", "
      + "\"sequence_number\", \"writer\", \"write_timestamp\", \"adapter_manifest\", \"event_payload\", \"event_ser_id\", "
      + "\"event_ser_manifest\", \"meta_payload\", \"meta_ser_id\", \"meta_ser_manifest\") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String INSERT_TAG = "INSERT INTO \"event_tag\" (\"event_id\", \"tag\") VALUES (?, ?)";

  private final Database database;
  private Connection connection;
  private PreparedStatement insertEvent;
  private PreparedStatement insertTag;

  GroupCommitWriter(Database database) {
    super("lanes-journal-writer", MAX_GROUP, null, "the journal");
    this.database = database;
    start();
  }

  /** Completes once the rows are committed, or exceptionally if they were not (then none is stored). */
  CompletableFuture<Void> write(List<EventRow> rows) {
    return rows.isEmpty() ? CompletableFuture.completedFuture(null) : enqueue(rows);
  }

  @Override
  protected void store(List<List<EventRow>> group) throws SQLException {
    open();
    try {
      for (List<EventRow> rows : group) {
        for (EventRow r : rows) {
          insert(r);
        }
      }
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      try {
        connection.rollback();
      } catch (SQLException rollbackFailed) {
        LOG.warn("journal rollback failed, reconnecting: {}", rollbackFailed.toString());
        closeConnection();
      }
      if (e instanceof SQLException sql) {
        throw sql;
      }
      throw new SQLException("journal write failed: " + e, e);
    }
  }

  private void insert(EventRow r) throws SQLException {
    insertEvent.setBoolean(1, r.deleted());
    insertEvent.setString(2, r.persistenceId());
    insertEvent.setLong(3, r.sequenceNr());
    insertEvent.setString(4, r.writer());
    insertEvent.setLong(5, r.timestamp());
    insertEvent.setString(6, r.adapterManifest());
    insertEvent.setBytes(7, r.payload());
    insertEvent.setInt(8, r.serializerId());
    insertEvent.setString(9, r.serializerManifest());
    if (r.metaPayload() == null) {
      insertEvent.setNull(10, Types.VARBINARY);
      insertEvent.setNull(11, Types.INTEGER);
      insertEvent.setNull(12, Types.VARCHAR);
    } else {
      insertEvent.setBytes(10, r.metaPayload());
      insertEvent.setInt(11, r.metaSerializerId());
      insertEvent.setString(12, r.metaManifest());
    }
    insertEvent.executeUpdate();
    if (r.tags().isEmpty()) {
      return;
    }
    long ordering;
    try (ResultSet keys = insertEvent.getGeneratedKeys()) {
      if (!keys.next()) {
        throw new SQLException("no ordering generated for " + r.persistenceId() + " #" + r.sequenceNr());
      }
      ordering = keys.getLong(1);
    }
    for (String tag : r.tags()) {
      insertTag.setLong(1, ordering);
      insertTag.setString(2, tag);
      insertTag.executeUpdate();
    }
  }

  private void open() throws SQLException {
    if (connection != null && !connection.isClosed()) {
      return;
    }
    connection = database.connect();
    connection.setAutoCommit(false);
    insertEvent = connection.prepareStatement(INSERT_EVENT, new String[] {"ordering"});
    insertTag = connection.prepareStatement(INSERT_TAG);
  }

  @Override
  protected void closeConnection() {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.debug("closing the journal's connection: {}", e.toString());
    }
    connection = null;
  }
}
