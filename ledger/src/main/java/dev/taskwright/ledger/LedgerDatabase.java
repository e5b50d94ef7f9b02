package dev.taskwright.ledger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection pool on the ledger database, with its schema brought up to date by Flyway before the
 * first read or write. A server that is down when taskwright starts is not an error: the schema is
 * migrated on the first use that reaches it, so workers start and tasks run, and the ledger catches
 * up.
 */
public final class LedgerDatabase implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LedgerDatabase.class);

  /** The database taskwright creates on the embedded server. */
  static final String EMBEDDED_DATABASE = "taskwright";

  /**
   * How long a caller waits for a connection. Short, so a ledger write on a database that is down
   * fails fast and its activity retries, instead of holding a worker thread for Hikari's 30 s.
   */
  static final long CONNECTION_TIMEOUT_MILLIS = 5_000;

  private final HikariDataSource pool;
  private final EmbeddedPostgres embedded;
  private final LedgerLocation location;
  private volatile boolean migrated;

  private LedgerDatabase(
      HikariDataSource pool, EmbeddedPostgres embedded, LedgerLocation location) {
    this.pool = pool;
    this.embedded = embedded;
    this.location = location;
  }

  /**
   * Opens the ledger at {@code location}; an embedded server this starts stops when it closes or
   * the JVM exits.
   */
  public static LedgerDatabase open(LedgerLocation location) {
    return open(location, EmbeddedPostgres.Stop.ON_CLOSE_OR_EXIT);
  }

  /**
   * Opens the ledger at {@code location}, starting (or finding) the embedded server when it is the
   * embedded one; {@code stop} says when a server this starts is stopped.
   */
  public static LedgerDatabase open(LedgerLocation location, EmbeddedPostgres.Stop stop) {
    EmbeddedPostgres embedded = null;
    HikariConfig config = new HikariConfig();
    if (location.isEmbedded()) {
      embedded =
          EmbeddedPostgres.startOrAttach(location.embeddedRoot(), location.binaryCache(), stop);
      try {
        createDatabaseIfMissing(embedded);
      } catch (SQLException e) {
        embedded.close();
        throw new IllegalStateException(
            "cannot create the ledger database on the embedded PostgreSQL: " + e.getMessage(), e);
      }
      config.setJdbcUrl(embedded.jdbcUrl(EMBEDDED_DATABASE));
      config.setUsername(EmbeddedPostgres.LEDGER_ROLE);
      config.setPassword(embedded.ledgerPassword());
    } else {
      config.setJdbcUrl(location.url());
      if (location.user() != null) {
        config.setUsername(location.user());
      }
      if (location.password() != null) {
        config.setPassword(location.password());
      }
    }
    config.setPoolName("taskwright-ledger");
    config.setMaximumPoolSize(4);
    config.setMinimumIdle(0);
    config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
    // Start even when the server is down; each use reports it then, and retries find it back.
    config.setInitializationFailTimeout(-1);
    return new LedgerDatabase(new HikariDataSource(config), embedded, location);
  }

  /**
   * Creates the ledger role (no superuser: it cannot run programs on the server) and its database
   * when missing, and hands a ledger made by an older taskwright, as the superuser, to that role.
   */
  private static void createDatabaseIfMissing(EmbeddedPostgres server) throws SQLException {
    String role = EmbeddedPostgres.LEDGER_ROLE;
    String password = server.ledgerPassword();
    try (Connection connection =
            java.sql.DriverManager.getConnection(
                server.jdbcUrl("postgres"),
                EmbeddedPostgres.SUPERUSER,
                server.superuserPassword());
        Statement statement = connection.createStatement()) {
      if (!statement.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + role + "'").next()) {
        statement.execute(
            "CREATE ROLE "
                + role
                + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '"
                + password
                + "'");
      } else {
        statement.execute(
            "ALTER ROLE "
                + role
                + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '"
                + password
                + "'");
      }
      var exists =
          statement.executeQuery(
              "SELECT 1 FROM pg_database WHERE datname = '" + EMBEDDED_DATABASE + "'");
      if (!exists.next()) {
        statement.execute("CREATE DATABASE " + EMBEDDED_DATABASE + " OWNER " + role);
      } else {
        statement.execute("ALTER DATABASE " + EMBEDDED_DATABASE + " OWNER TO " + role);
      }
    }
    try (Connection connection =
            java.sql.DriverManager.getConnection(
                server.jdbcUrl(EMBEDDED_DATABASE),
                EmbeddedPostgres.SUPERUSER,
                server.superuserPassword());
        Statement statement = connection.createStatement()) {
      // Tables an older taskwright made as the superuser: the ledger role must own them to migrate
      // them.
      statement.execute("ALTER SCHEMA public OWNER TO " + role);
      statement.execute(
          "DO $$ DECLARE r record; BEGIN FOR r IN SELECT schemaname, tablename FROM pg_tables WHERE"
              + " schemaname = 'public' AND tableowner <> '"
              + role
              + "' LOOP "
              + "EXECUTE format('ALTER TABLE %I.%I OWNER TO "
              + role
              + "', r.schemaname, r.tablename); END LOOP; FOR r IN SELECT sequence_schema AS s,"
              + " sequence_name AS n FROM information_schema.sequences WHERE sequence_schema ="
              + " 'public' LOOP EXECUTE format('ALTER SEQUENCE %I.%I OWNER TO "
              + role
              + "', r.s, r.n); END LOOP; FOR r IN SELECT viewname FROM pg_views WHERE schemaname ="
              + " 'public' AND viewowner <> '"
              + role
              + "' LOOP "
              + "EXECUTE format('ALTER VIEW public.%I OWNER TO "
              + role
              + "', r.viewname); END LOOP; END $$");
    }
  }

  /**
   * The pool, with the schema migrated; throws {@link SQLException} when the server cannot be
   * reached.
   */
  public DataSource dataSource() throws SQLException {
    if (!migrated) {
      migrate();
    }
    return pool;
  }

  private synchronized void migrate() throws SQLException {
    if (migrated) {
      return;
    }
    try {
      var result =
          Flyway.configure().dataSource(pool).locations("classpath:db/ledger").load().migrate();
      if (result.migrationsExecuted > 0) {
        log.info(
            "Migrated the ledger schema to version {} ({} migrations)",
            result.targetSchemaVersion,
            result.migrationsExecuted);
      }
      migrated = true;
    } catch (FlywayException e) {
      Throwable cause = e;
      while (cause != null && !(cause instanceof SQLException)) {
        cause = cause.getCause();
      }
      if (cause instanceof SQLException sql) {
        throw sql;
      }
      throw e;
    }
  }

  public LedgerLocation location() {
    return location;
  }

  /** The embedded server, or null when the ledger is on a server people run. */
  public EmbeddedPostgres embedded() {
    return embedded;
  }

  @Override
  public void close() {
    pool.close();
    if (embedded != null) {
      embedded.close();
    }
  }
}
