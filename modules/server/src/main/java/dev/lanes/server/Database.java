package dev.lanes.server;

import com.typesafe.config.Config;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The database the journal uses, as {@link Storage#config} wrote it
 * ({@code akka-persistence-jdbc.shared-databases.slick.db}): for the schema, the writer of
 * {@link GroupCommitJournal} and the readiness probe, each on its own connection.
 */
record Database(String url, String user, String password) {

  static Database of(Config config) {
    Config db = config.getConfig("akka-persistence-jdbc.shared-databases.slick.db");
    return new Database(db.getString("url"), db.getString("user"), db.getString("password"));
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }

  /** The URL without its settings, for messages. */
  String name() {
    return url.split(";")[0];
  }
}
