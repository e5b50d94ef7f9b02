package dev.taskwright.starter.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.GitRepos;
import dev.taskwright.starter.support.TaskSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 13, item 12: an {@code answer} refused while the task commits once said "what fits now:
 * accept, reject" (the CLI read the task again after the refusal, by when it could be READY). It
 * now says that nothing can be done while it commits, and to wait until it is READY or BLOCKED.
 */
class BusyRefusalTest {

  @RegisterExtension static final TaskSandbox sandbox = TaskSandbox.withWorker();
  private final Path repo = sandbox.repo();

  private CliRun cli() {
    return sandbox.cli();
  }

  @Test
  void answerWhileCommittingSaysNothingCanBeDoneUntilItIsReadyOrBlocked() throws Exception {
    // The agent leaves git's index lock behind: the commit fails and is retried, and the task stays
    // COMMITTING until the lock is gone.
    Path lockRecord = sandbox.folder().resolve("lock-path.txt");
    String agent =
        sandbox.script(
            "leaves-a-lock",
            "cat > /dev/null\n"
                + "echo work > work.txt\n"
                + "lock=\"$(git rev-parse --absolute-git-dir)/index.lock\"\n"
                + "touch \"$lock\"\n"
                + "echo \"$lock\" > '"
                + lockRecord
                + "'\n");
    var run = cli().run("run", "--id", "busy-one", "--command", agent, "Work");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    cli().awaitState("busy-one", "COMMITTING", Duration.ofSeconds(30));

    var answer = cli().run("answer", "busy-one", "blue");

    Files.deleteIfExists(Path.of(Files.readString(lockRecord).strip()));
    assertThat(answer.exitCode()).as(answer.toString()).isEqualTo(ExitCodes.INVALID_STATE);
    assertThat(answer.err())
        .contains(
            "task busy-one is COMMITTING: nothing can be done while it commits; wait until it is"
                + " READY or BLOCKED")
        .doesNotContain("what fits now")
        .doesNotContain("accept");
    cli().awaitState("busy-one", "READY", Duration.ofSeconds(60));
    assertThat(GitRepos.git(repo, "show", "taskwright/busy-one:work.txt")).isEqualTo("work");
  }
}
