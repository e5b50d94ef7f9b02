package dev.taskwright.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwright.ledger.read.LedgerQueries;
import dev.taskwright.ledger.read.TaskFilter;
import dev.taskwright.ledger.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL of a taskwright home: kept across restarts, shared by the processes of
 * one home.
 */
class EmbeddedPostgresTest {

  @TempDir Path home;

  @Test
  void tasksWrittenBeforeARestartAreThereAfterIt() throws Exception {
    LedgerLocation location =
        LedgerLocation.embedded(home.resolve("postgres"), TestDatabase.binaryCache());
    try (LedgerDatabase database = LedgerDatabase.open(location)) {
      assertThat(database.embedded().ownedByThisProcess()).isTrue();
      for (var entry : LedgerStoreTest.lifeOfATask("kept")) {
        new LedgerStore(database).record(entry);
      }
    }
    assertThat(home.resolve("postgres/data/postmaster.pid")).doesNotExist();

    try (LedgerDatabase database = LedgerDatabase.open(location)) {
      assertThat(new LedgerQueries(database).list(TaskFilter.newest(10)))
          .extracting(t -> t.id())
          .containsExactly("kept");
    }
  }

  @Test
  void aSecondUserOfTheSameHomeAttachesToTheRunningServerAndLeavesItRunning() throws Exception {
    Path root = home.resolve("postgres");
    try (EmbeddedPostgres first =
        EmbeddedPostgres.startOrAttach(root, TestDatabase.binaryCache())) {
      try (EmbeddedPostgres second =
          EmbeddedPostgres.startOrAttach(root, TestDatabase.binaryCache())) {
        assertThat(second.ownedByThisProcess()).isFalse();
        assertThat(second.port()).isEqualTo(first.port());
      }
      // Closing the attached one did not stop the server the first one owns.
      assertThat(EmbeddedPostgres.runningPort(root.resolve("data"))).isEqualTo(first.port());
    }
    assertThat(EmbeddedPostgres.runningPort(root.resolve("data"))).isNull();
  }

  @Test
  void aServerWhoseStarterDiedIsAdoptedByTheNextProcessAndStoppedByIt() throws Exception {
    Path root = home.resolve("postgres");
    EmbeddedPostgres orphaned =
        EmbeddedPostgres.startOrAttach(
            root, TestDatabase.binaryCache(), EmbeddedPostgres.Stop.ON_CLOSE);
    // Its starter was killed outright: the owner file names a process that no longer runs.
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(root.resolve("owner.pid"), Long.toString(gone.pid()));

    try (EmbeddedPostgres adopter =
        EmbeddedPostgres.startOrAttach(root, TestDatabase.binaryCache())) {
      assertThat(adopter.ownedByThisProcess()).isTrue();
      assertThat(adopter.port()).isEqualTo(orphaned.port());
    }
    assertThat(EmbeddedPostgres.runningPort(root.resolve("data")))
        .as("the adopter stopped it")
        .isNull();
  }

  @Test
  void aDataFolderThatIsNotPostgresIsLeftAloneWithAClearError() throws Exception {
    Path data = home.resolve("postgres/data");
    Files.createDirectories(data);
    Files.writeString(data.resolve("notes.txt"), "mine");

    assertThatThrownBy(
            () ->
                EmbeddedPostgres.startOrAttach(
                    home.resolve("postgres"), TestDatabase.binaryCache()))
        .hasMessageContaining("is not empty but holds no PostgreSQL data")
        .hasMessageContaining("TASKWRIGHT_DATABASE_URL");
    assertThat(data.resolve("notes.txt")).hasContent("mine");
  }
}
