package dev.lanes.server;

import dev.lanes.core.audit.AuditEntry;
import dev.lanes.core.audit.AuditLog;
import dev.lanes.core.audit.AuditQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The audit log (issue 8) in the journal's database, table {@code lanes_audit} ({@code schema/*.sql}):
 * on H2 for one node, on PostgreSQL shared by every node of a cluster. Appends are group-committed
 * as the journal's writes are ({@link GroupCommitThread}): one thread, one connection, every entry
 * waiting goes in one transaction, and each append completes only once its transaction has
 * committed. Queries run on their own thread and connection, in SQL with the meaning of
 * {@link AuditQuery#matches}. Entries older than the retention are deleted at start and hourly.
 */
final class JdbcAuditLog extends GroupCommitThread<AuditEntry> implements AuditLog {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JdbcAuditLog.class);

  /** Entries per transaction at most. */
  static final int MAX_GROUP = 1000;
  static final Duration SWEEP_EVERY = Duration.ofHours(1);

  private static final String COLUMNS = "\"at_millis\", \"node\", \"user_id\", \"instance\", \"admin\", \"method\", "
      + "\"path\", \"action\", \"object_id\", \"backend\", \"status\", \"trace\"";
  private static final String INSERT = "INSERT INTO \"lanes_audit\" (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private final Database database;
  private final String node;
  private final Duration retention;
  private final Clock clock;
  private final ExecutorService reader;
  private Connection connection;
  private PreparedStatement insert;

  JdbcAuditLog(Database database, String node, Duration retention, Clock clock) {
    super("lanes-audit-writer", MAX_GROUP, SWEEP_EVERY, "the audit log");
    this.database = database;
    this.node = node;
    this.retention = retention;
    this.clock = clock;
    reader = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "lanes-audit-reader");
      t.setDaemon(true);
      return t;
    });
    start();
  }

  @Override
  public CompletionStage<Void> append(AuditEntry entry) {
    return enqueue(entry.withNode(node));
  }

  @Override
  public CompletionStage<Page> find(AuditQuery q) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return query(q);
      } catch (SQLException e) {
        throw new IllegalStateException("reading the audit log failed: " + e.getMessage(), e);
      }
    }, reader);
  }

  /** Writes what is queued, then stops. */
  @Override
  public void close() {
    super.close();
    reader.shutdown();
  }

  /** Deletes what is older than the retention: at start, then hourly. */
  @Override
  protected void tick() {
    sweep();
  }

  @Override
  protected void store(List<AuditEntry> group) throws SQLException {
    open();
    try {
      for (AuditEntry e : group) {
        bind(e);
        insert.addBatch();
      }
      insert.executeBatch();
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      try {
        insert.clearBatch();
        connection.rollback();
      } catch (SQLException rollbackFailed) {
        LOG.warn("audit rollback failed, reconnecting: {}", rollbackFailed.toString());
        closeConnection();
      }
      if (e instanceof SQLException sql) {
        throw sql;
      }
      throw new SQLException("audit write failed: " + e, e);
    }
  }

  private void bind(AuditEntry e) throws SQLException {
    insert.setLong(1, e.at().toEpochMilli());
    string(2, e.node());
    string(3, e.user());
    string(4, e.instance());
    insert.setBoolean(5, e.admin());
    insert.setString(6, e.method());
    insert.setString(7, e.path());
    insert.setString(8, e.action());
    string(9, e.objectId());
    string(10, e.backend());
    insert.setInt(11, e.status());
    string(12, e.trace());
  }

  private void string(int i, String s) throws SQLException {
    if (s == null) {
      insert.setNull(i, Types.VARCHAR);
    } else {
      insert.setString(i, s);
    }
  }

  private void sweep() {
    if (retention.isZero()) {
      return;
    }
    try {
      open();
      try (PreparedStatement d = connection.prepareStatement("DELETE FROM \"lanes_audit\" WHERE \"at_millis\" < ?")) {
        d.setLong(1, clock.instant().minus(retention).toEpochMilli());
        int n = d.executeUpdate();
        connection.commit();
        if (n > 0) {
          LOG.info("audit log: deleted {} entries older than lanes.audit.retention = {}", n, retention);
        }
      }
    } catch (SQLException e) {
      LOG.warn("audit log: deleting old entries failed (tried again in {}): {}", SWEEP_EVERY, e.toString());
      try {
        if (connection != null) {
          connection.rollback();
        }
      } catch (SQLException ignored) {
        closeConnection();
      }
    }
  }

  private void open() throws SQLException {
    if (connection != null && !connection.isClosed()) {
      return;
    }
    connection = database.connect();
    connection.setAutoCommit(false);
    insert = connection.prepareStatement(INSERT);
  }

  @Override
  protected void closeConnection() {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.debug("closing the audit log's connection: {}", e.toString());
    }
    connection = null;
  }

  /** {@link AuditQuery#matches} as SQL: the page newest first (time, then order of writing), and the count. */
  private Page query(AuditQuery q) throws SQLException {
    StringBuilder where = new StringBuilder(" WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    eq(where, args, "user_id", q.user());
    eq(where, args, "instance", q.instance());
    eq(where, args, "action", q.action());
    eq(where, args, "method", q.method());
    eq(where, args, "object_id", q.objectId());
    eq(where, args, "backend", q.backend());
    eq(where, args, "node", q.node());
    if (q.statusFrom() != null) {
      where.append(" AND \"status\" BETWEEN ? AND ?");
      args.add(q.statusFrom());
      args.add(q.statusTo());
    }
    if (q.since() != null) {
      where.append(" AND \"at_millis\" >= ?");
      args.add(ceilMillis(q.since()));
    }
    if (q.until() != null) {
      where.append(" AND \"at_millis\" < ?");
      args.add(ceilMillis(q.until()));
    }
    try (Connection c = database.connect()) {
      long total;
      try (PreparedStatement count = c.prepareStatement("SELECT COUNT(*) FROM \"lanes_audit\"" + where)) {
        set(count, args);
        try (ResultSet rs = count.executeQuery()) {
          rs.next();
          total = rs.getLong(1);
        }
      }
      List<AuditEntry> entries = new ArrayList<>();
      try (PreparedStatement page = c.prepareStatement("SELECT " + COLUMNS + " FROM \"lanes_audit\"" + where
          + " ORDER BY \"at_millis\" DESC, \"id\" DESC LIMIT ? OFFSET ?")) {
        List<Object> all = new ArrayList<>(args);
        all.add(q.limit());
        all.add((long) q.offset());
        set(page, all);
        try (ResultSet rs = page.executeQuery()) {
          while (rs.next()) {
            entries.add(new AuditEntry(Instant.ofEpochMilli(rs.getLong(1)), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getBoolean(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                rs.getString(10), rs.getInt(11), rs.getString(12)));
          }
        }
      }
      return new Page(List.copyOf(entries), total);
    }
  }

  /** The first whole millisecond not before {@code t}: entries are kept to the millisecond. */
  private static long ceilMillis(Instant t) {
    long ms = t.toEpochMilli();
    return Instant.ofEpochMilli(ms).isBefore(t) ? ms + 1 : ms;
  }

  private static void eq(StringBuilder where, List<Object> args, String column, String value) {
    if (value != null) {
      where.append(" AND \"").append(column).append("\" = ?");
      args.add(value);
    }
  }

  private static void set(PreparedStatement ps, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      Object a = args.get(i);
      if (a instanceof String s) {
        ps.setString(i + 1, s);
      } else if (a instanceof Integer n) {
        ps.setInt(i + 1, n);
      } else {
        ps.setLong(i + 1, (Long) a);
      }
    }
  }
}
