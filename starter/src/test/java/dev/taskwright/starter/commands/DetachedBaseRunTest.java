package dev.taskwright.starter.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.GitRepos;
import dev.taskwright.starter.support.TaskSandbox;
import dev.taskwright.starter.task.TaskClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 13, item 8: {@code run} in a repository whose HEAD is detached, without {@code --base}, is
 * refused, since accept would later have no branch to merge into; with {@code --base} it is not.
 */
class DetachedBaseRunTest {

  @RegisterExtension static final TaskSandbox sandbox = TaskSandbox.withoutWorker();

  @Test
  void aDetachedHeadWithoutBaseIsRefusedWithWhatToDo() throws Exception {
    Path repo = GitRepos.create(Files.createDirectories(sandbox.folder().resolve("detached")));
    String head = GitRepos.git(repo, "rev-parse", "HEAD").strip();
    GitRepos.git(repo, "checkout", "--quiet", "--detach");

    var result =
        sandbox
            .cli()
            .env("TASKWRIGHT_CLAUDE_BIN", "/bin/true")
            .run("run", "--id", "detached-base", "--repo", repo.toString(), "do something");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.err().strip().lines()).as(result.err()).hasSize(1);
    assertThat(result.err())
        .startsWith("taskwright: ")
        .contains(
            " has a detached HEAD ("
                + head
                + "): check out the branch to merge into, or pass --base BRANCH");
    assertThat(new TaskClient(sandbox.temporal().client()).describe("detached-base")).isEmpty();
  }
}
