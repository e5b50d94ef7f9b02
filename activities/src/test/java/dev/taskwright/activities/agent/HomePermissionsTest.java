package dev.taskwright.activities.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.activities.Home;
import dev.taskwright.workflows.model.AgentProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13, item 2: nothing under the home is readable by other local users. */
class HomePermissionsTest {
  @TempDir Path temp;

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  @Test
  void anExistingHomeMadeWorldReadableIsTightenedWithOneLine() throws Exception {
    Path root = temp.resolve("home");
    Home home = new Home(root);
    Files.createDirectories(home.logs("t1"));
    Files.createDirectories(root.resolve("runs/t1"));
    Path transcript = Files.writeString(home.logs("t1").resolve("run-1.jsonl"), "{}\n");
    Path db = Files.writeString(root.resolve("temporal.db"), "prompts");
    Path userFile = Files.createDirectories(home.worktree("repo", "t1")).resolve("README");
    Files.writeString(userFile, "the user's own file");
    for (Path p :
        List.of(
            root,
            root.resolve("logs"),
            home.logs("t1"),
            root.resolve("runs"),
            root.resolve("runs/t1"),
            home.worktrees())) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    for (Path p : List.of(transcript, db, userFile)) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
    }

    String line = home.makeOwnerOnly();

    assertThat(line).contains(root.toString()).contains("owner only");
    assertThat(mode(root)).isEqualTo("rwx------");
    assertThat(mode(root.resolve("logs"))).isEqualTo("rwx------");
    assertThat(mode(home.logs("t1"))).isEqualTo("rwx------");
    assertThat(mode(root.resolve("runs/t1"))).isEqualTo("rwx------");
    assertThat(mode(home.worktrees())).isEqualTo("rwx------");
    assertThat(mode(transcript)).isEqualTo("rw-------");
    assertThat(mode(db)).isEqualTo("rw-------");
    // A checkout of the user's repository keeps its modes: the folders above it already shut others
    // out.
    assertThat(mode(userFile)).isEqualTo("rw-r--r--");
    // Nothing left to change: no line.
    assertThat(home.makeOwnerOnly()).isNull();
  }

  @Test
  void newTranscriptsRunFoldersAndPidRecordsAreOwnerOnlyWhateverTheUmask() throws Exception {
    Home home = new Home(temp.resolve("home"));
    Path logs = home.logs("t2");
    ControlFiles.of(home, "t2").prepare();
    AgentProcess.Spec spec =
        new AgentProcess.Spec(
            List.of("sh", "-c", "echo out; echo err >&2"),
            temp.toFile().toPath(),
            Map.of(),
            "",
            logs.resolve("run-1.jsonl"),
            logs.resolve("run-1.stderr"),
            logs.resolve("agent.pid"),
            1,
            Duration.ofSeconds(30),
            Duration.ofSeconds(30));
    new AgentProcess(ProcessTimings.DEFAULT)
        .run(
            spec,
            new AgentProcess.OutputWatcher() {
              @Override
              public void onLine(String line) {}

              @Override
              public AgentProgress progress() {
                return new AgentProgress(null, 0, 0, 0, null);
              }
            },
            progress -> {});

    assertThat(Files.readString(logs.resolve("run-1.jsonl"))).contains("out");
    assertThat(mode(logs.resolve("run-1.jsonl"))).isEqualTo("rw-------");
    assertThat(mode(logs.resolve("run-1.stderr"))).isEqualTo("rw-------");
    assertThat(mode(logs)).isEqualTo("rwx------");
    assertThat(mode(home.root().resolve("logs"))).isEqualTo("rwx------");
    assertThat(mode(home.runDir("t2"))).isEqualTo("rwx------");
    if (Files.exists(logs.resolve("agent.pid"))) {
      assertThat(mode(logs.resolve("agent.pid"))).isEqualTo("rw-------");
    }
  }
}
