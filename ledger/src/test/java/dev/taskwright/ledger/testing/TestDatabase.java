package dev.taskwright.ledger.testing;

import dev.taskwright.ledger.EmbeddedPostgres;
import dev.taskwright.ledger.LedgerDatabase;
import dev.taskwright.ledger.LedgerLocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL (the embedded one) per test JVM, and a fresh database on it for each caller,
 * so tests share the server's start-up cost but never each other's rows.
 */
public final class TestDatabase {

  private TestDatabase() {}

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres server;

  /** Where tests unpack the PostgreSQL binaries: once per machine, outside any test's home. */
  public static Path binaryCache() {
    return Path.of(System.getProperty("java.io.tmpdir"), "taskwright-test-postgres-binaries");
  }

  /** The shared server, started on first use and stopped when the JVM exits. */
  public static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        Path root = Files.createTempDirectory("taskwright-test-postgres");
        server = EmbeddedPostgres.startOrAttach(root, binaryCache());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return server;
  }

  /** Where a new, empty database is. */
  public static LedgerLocation freshLocation() {
    String name = "test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    try (Connection connection =
            DriverManager.getConnection(
                server().jdbcUrl("postgres"),
                EmbeddedPostgres.SUPERUSER,
                server().superuserPassword());
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot create test database " + name + ": " + e.getMessage(), e);
    }
    return LedgerLocation.server(
        server().jdbcUrl(name), EmbeddedPostgres.SUPERUSER, server().superuserPassword());
  }

  /** A ledger on a new, empty database (the schema is migrated on first use). */
  public static LedgerDatabase fresh() {
    return LedgerDatabase.open(freshLocation());
  }
}
