package dev.taskwright.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwright.ledger.read.LedgerQueries;
import dev.taskwright.ledger.read.TaskFilter;
import dev.taskwright.ledger.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, item 1: the embedded PostgreSQL asks every local connection for a password, and the
 * ledger is no superuser.
 */
class EmbeddedPostgresSecurityTest {

  @TempDir Path home;

  private LedgerLocation location() {
    return LedgerLocation.embedded(home.resolve("postgres"), TestDatabase.binaryCache());
  }

  @Test
  void aConnectionWithoutThePasswordIsRefusedAndTheLedgerRoleCannotRunPrograms() throws Exception {
    try (LedgerDatabase database = LedgerDatabase.open(location())) {
      EmbeddedPostgres server = database.embedded();
      for (String user : new String[] {"postgres", "taskwright"}) {
        assertThatThrownBy(
                () -> DriverManager.getConnection(server.jdbcUrl("postgres"), user, "").close())
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("password");
      }
      assertThat(mode(home.resolve("postgres/superuser.password"))).isEqualTo("rw-------");
      assertThat(mode(home.resolve("postgres/ledger.password"))).isEqualTo("rw-------");
      assertThat(Files.readString(server.dataDirectory().resolve("pg_hba.conf")))
          .doesNotContain("trust");

      try (Connection ledger = database.dataSource().getConnection();
          Statement statement = ledger.createStatement()) {
        var who =
            statement.executeQuery(
                "SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user");
        who.next();
        assertThat(who.getString(1)).isEqualTo("taskwright");
        assertThat(who.getBoolean(2)).isFalse();
        assertThatThrownBy(
                () -> statement.execute("COPY (SELECT 1) TO PROGRAM 'touch /tmp/taskwright-pwned'"))
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("permission denied");
      }
    }
  }

  @Test
  void aDataFolderAnOlderTaskwrightMadeWithTrustIsUpgradedInPlace() throws Exception {
    Path root = home.resolve("postgres");
    try (LedgerDatabase database = LedgerDatabase.open(location())) {
      for (var entry : LedgerStoreTest.lifeOfATask("old")) {
        new LedgerStore(database).record(entry);
      }
      // Make it what an older taskwright left: everything owned by the superuser, no ledger role.
      EmbeddedPostgres server = database.embedded();
      try (Connection c =
              DriverManager.getConnection(
                  server.jdbcUrl("taskwright"), "postgres", server.superuserPassword());
          Statement s = c.createStatement()) {
        s.execute("REASSIGN OWNED BY taskwright TO postgres");
      }
      try (Connection c =
              DriverManager.getConnection(
                  server.jdbcUrl("postgres"), "postgres", server.superuserPassword());
          Statement s = c.createStatement()) {
        s.execute("DROP ROLE taskwright");
        s.execute("ALTER ROLE postgres PASSWORD NULL");
      }
    }
    Files.writeString(
        root.resolve("data/pg_hba.conf"),
        "local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n");
    Files.delete(root.resolve("superuser.password"));
    Files.delete(root.resolve("ledger.password"));

    try (LedgerDatabase database = LedgerDatabase.open(location())) {
      assertThat(new LedgerQueries(database).list(TaskFilter.newest(10)))
          .extracting(t -> t.id())
          .containsExactly("old");
      assertThat(Files.readString(root.resolve("data/pg_hba.conf"))).doesNotContain("trust");
      assertThat(mode(root.resolve("superuser.password"))).isEqualTo("rw-------");
      assertThatThrownBy(
              () ->
                  DriverManager.getConnection(
                          database.embedded().jdbcUrl("postgres"), "postgres", "")
                      .close())
          .isInstanceOf(SQLException.class);
    }
  }

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
