package dev.lanes.server;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Whether storage answers, for {@code GET /health/ready} (api.md, issue 6): every second, on its
 * own thread and its own connection, a round trip to the database ({@code Connection.isValid}).
 * The answer is the last probe's, so the health check itself never waits on the database.
 */
final class StorageProbe implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StorageProbe.class);
  static final int TIMEOUT_SECONDS = 2;

  private final Database database;
  private final String name;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "lanes-storage-probe");
    t.setDaemon(true);
    return t;
  });
  private volatile Optional<String> problem = Optional.of("storage not checked yet");
  private Connection connection;
  /** When storage last answered: an outage began after it. */
  private java.time.Instant lastAnswer;
  private final java.util.List<java.util.function.Consumer<java.time.Instant>> onReturn =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** The node's clock: when storage last answered is compared with when backends started. */
  private final java.time.Clock clock;
  /** Embedded storage's directory, checked for room and for being writable; null for PostgreSQL. */
  private final java.nio.file.Path dataDir;
  private final long minFreeBytes;

  /** Probes once now, then every {@code everyMillis}. */
  StorageProbe(Database database, long everyMillis, java.time.Clock clock) {
    this(database, everyMillis, clock, null, 0);
  }

  /**
   * As above; with a {@code dataDir} (embedded storage), storage also counts as away while that
   * directory is read-only or has less than {@code minFreeBytes} free (lanes.h2.min-free-space):
   * writes are then refused at once with that reason instead of failing half-way in the database.
   */
  StorageProbe(Database database, long everyMillis, java.time.Clock clock, java.nio.file.Path dataDir,
      long minFreeBytes) {
    this.database = database;
    this.clock = clock;
    this.dataDir = dataDir;
    this.minFreeBytes = minFreeBytes;
    name = database.name();
    probe();
    timer.scheduleWithFixedDelay(this::probe, everyMillis, everyMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * Told each time storage answers again after it did not (issue 8), with when it last answered
   * before: whatever ran since then may have lost writes.
   */
  void onReturn(java.util.function.Consumer<java.time.Instant> listener) {
    onReturn.add(listener);
  }

  /** Empty when the last probe got an answer; otherwise what went wrong. */
  Optional<String> problem() {
    return problem;
  }

  private void probe() {
    Optional<String> now;
    try {
      if (connection == null || connection.isClosed()) {
        DriverManager.setLoginTimeout(TIMEOUT_SECONDS);
        connection = database.connect();
      }
      now = connection.isValid(TIMEOUT_SECONDS) ? disk()
          : Optional.of("storage " + name + " did not answer within " + TIMEOUT_SECONDS + " s");
    } catch (SQLException e) {
      now = Optional.of("storage " + name + " does not answer: " + e.getMessage());
    }
    if (now.isPresent()) {
      closeConnection(); // reconnect on the next probe
    }
    boolean returned = false;
    if (!now.equals(problem)) {
      if (now.isPresent()) {
        LOG.warn("not ready: {}", now.get());
      } else if (problem.isPresent() && !problem.get().equals("storage not checked yet")) {
        LOG.info("storage {} answers again (it last answered at {})", name, lastAnswer);
        returned = true;
      }
    }
    java.time.Instant before = lastAnswer;
    if (now.isEmpty()) {
      lastAnswer = clock.instant();
    }
    problem = now;
    if (returned && before != null) {
      onReturn.forEach(l -> l.accept(before));
    }
  }

  /** Embedded storage: its directory must be writable and have room. */
  private Optional<String> disk() {
    if (dataDir == null) {
      return Optional.empty();
    }
    if (!java.nio.file.Files.isWritable(dataDir)) {
      return Optional.of("data dir " + dataDir + " is read-only: nothing can be written");
    }
    try {
      long free = java.nio.file.Files.getFileStore(dataDir).getUsableSpace();
      if (free < minFreeBytes) {
        return Optional.of("data dir " + dataDir + " has " + mib(free) + " free, less than lanes.h2.min-free-space ("
            + mib(minFreeBytes) + "): writes are refused until space is freed");
      }
      return Optional.empty();
    } catch (java.io.IOException e) {
      return Optional.of("data dir " + dataDir + " cannot be checked: " + e.getMessage());
    }
  }

  private static String mib(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // it is being replaced
      }
      connection = null;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeConnection();
  }
}
