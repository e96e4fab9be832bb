package dev.lanes.server;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.lanes.actors.LanesSettings;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * Storage selection (architecture.md "server"): the journal of akka-persistence-jdbc on an
 * embedded H2 file under {@code lanes.data-dir}, or on PostgreSQL for a cluster.
 */
final class Storage {
  static final String LOCK_FILE = "lanes.lock";

  private Storage() {}

  /** The akka-persistence-jdbc configuration for the selected storage. */
  static Config config(LanesSettings settings, Config lanes) {
    String profile, driver, url, user, password;
    switch (settings.storage()) {
      case "h2" -> {
        profile = "slick.jdbc.H2Profile$";
        driver = "org.h2.Driver";
        url = h2Url(Path.of(settings.dataDir()));
        user = "lanes";
        password = "";
      }
      case "postgres" -> {
        profile = "slick.jdbc.PostgresProfile$";
        driver = "org.postgresql.Driver";
        url = lanes.getString("postgres.url");
        user = lanes.getString("postgres.user");
        password = lanes.getString("postgres.password");
      }
      default -> throw new com.typesafe.config.ConfigException.BadValue("lanes.storage",
          "must be \"h2\" or \"postgres\", got \"" + settings.storage() + "\"");
    }
    Map<String, Object> db = Map.of("url", url, "user", user, "password", password, "driver", driver,
        "numThreads", 4, "maxConnections", 4, "minConnections", 1);
    Config config = ConfigFactory.parseMap(Map.of(
            "akka-persistence-jdbc.shared-databases.slick.profile", profile))
        .withValue("akka-persistence-jdbc.shared-databases.slick.db", ConfigValueFactory.fromMap(db));
    if (settings.storage().equals("h2")) {
      // the plugin's reads, Lanes' group-commit writes (GroupCommitJournal says why)
      config = config.withValue("jdbc-journal.class", ConfigValueFactory.fromAnyRef(GroupCommitJournal.class.getName()));
    } else {
      // A cluster's nodes follow each other's events through the read journal (ReadSide): it
      // looks for new events, and for the newest gap-free one, every 200 ms (default 1 s each).
      config = config
          .withValue("jdbc-read-journal.refresh-interval", ConfigValueFactory.fromAnyRef("200ms"))
          .withValue("jdbc-read-journal.journal-sequence-retrieval.query-delay", ConfigValueFactory.fromAnyRef("200ms"));
    }
    return config.withFallback(ConfigFactory.parseResources("lanes-persistence.conf"));
  }

  /**
   * WRITE_DELAY=0: every commit reaches the file before the journal confirms it, so an accepted
   * job survives kill -9. DB_CLOSE_ON_EXIT=FALSE: the actor system closes the pool on shutdown.
   */
  static String h2Url(Path dataDir) {
    return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("lanes") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
  }

  /**
   * H2 is one process only: a second node on the same data dir must fail fast with a clear
   * message, not corrupt or wait. The OS frees the lock when the process dies, even by kill -9.
   */
  static FileLock lockDataDir(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
      Path lock = dataDir.resolve(LOCK_FILE);
      FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock l;
      try {
        l = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        l = null;
      }
      if (l == null) {
        ch.close();
        throw new StartupException("data dir " + dataDir.toAbsolutePath() + " is in use by another Lanes node "
            + "(lock " + lock.toAbsolutePath() + " is held): embedded H2 storage allows one process; "
            + "stop the other node or give this one another lanes.data-dir");
      }
      return l;
    } catch (IOException e) {
      throw new StartupException("cannot lock data dir " + dataDir.toAbsolutePath() + ": " + e.getMessage());
    }
  }

  /**
   * Creates the journal's tables from Lanes' own DDL ({@code schema/h2.sql} or
   * {@code schema/postgres.sql}, each saying how it differs from the plugin's), failing with the
   * statement and the database's message on any error. Run again on an existing database it
   * changes nothing. On PostgreSQL the statements run under an advisory lock, so that nodes
   * starting together do not race on the catalogue.
   */
  static void createSchema(LanesSettings settings, Config config) {
    String resource = "/schema/" + settings.storage() + ".sql";
    String script;
    try (var in = Storage.class.getResourceAsStream(resource)) {
      script = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new StartupException("the schema resource " + resource + " is missing from the server jar");
    }
    boolean postgres = settings.storage().equals("postgres");
    Database db = Database.of(config);
    try (Connection c = db.connect(); var st = c.createStatement()) {
      if (postgres) {
        st.execute("SELECT pg_advisory_lock(" + SCHEMA_LOCK + ")");
      }
      try {
        for (String statement : statements(script)) {
          try {
            st.execute(statement);
          } catch (SQLException e) {
            throw new StartupException("creating the storage schema failed at: "
                + statement.lines().findFirst().orElse("") + " … : " + e.getMessage());
          }
        }
      } finally {
        if (postgres) {
          st.execute("SELECT pg_advisory_unlock(" + SCHEMA_LOCK + ")");
        }
      }
    } catch (SQLException e) {
      throw new StartupException("cannot open storage " + db.name() + ": " + e.getMessage());
    }
  }

  /** The advisory lock key of schema creation on PostgreSQL ("LANESDDL" in ASCII). */
  static final long SCHEMA_LOCK = 0x4c414e455344444cL;

  /** The statements of a DDL script: {@code --} comment lines dropped, split at each {@code ;}. */
  static java.util.List<String> statements(String script) {
    String code = script.lines().filter(l -> !l.strip().startsWith("--")).collect(java.util.stream.Collectors.joining("\n"));
    return java.util.Arrays.stream(code.split(";")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  /** The bundled DDL hides its errors (stack.md pitfall 6): check the journal table is really there. */
  static void verifySchema(Config config) {
    Database db = Database.of(config);
    try (Connection c = db.connect();
         var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM \"event_journal\" WHERE 1 = 0")) {
      rs.next();
    } catch (SQLException e) {
      throw new StartupException("storage schema is missing or unreadable (" + db.name()
          + "): " + e.getMessage());
    }
  }

  static final class StartupException extends RuntimeException {
    StartupException(String message) {
      super(message);
    }
  }
}
