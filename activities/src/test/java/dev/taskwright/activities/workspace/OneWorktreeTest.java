package dev.taskwright.activities.workspace;

import dev.taskwright.workflows.model.Workspace;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A sandbox repository and the prepared worktree of its task {@code t1}, for each test. */
abstract class OneWorktreeTest {

  @RegisterExtension final GitSandbox sandbox = new GitSandbox();
  Path repo;
  Workspace workspace;
  Path worktree;

  @BeforeEach
  void prepareTheWorktreeOfT1() {
    repo = sandbox.repo;
    workspace = sandbox.prepare("t1");
    worktree = Path.of(workspace.path());
  }
}
