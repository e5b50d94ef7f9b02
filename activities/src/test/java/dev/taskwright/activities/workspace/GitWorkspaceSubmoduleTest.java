package dev.taskwright.activities.workspace;

import static dev.taskwright.activities.workspace.GitSandbox.failureOf;
import static dev.taskwright.activities.workspace.GitSandbox.write;
import static dev.taskwright.activities.workspace.GitWorkspacePrepareTest.assertNeedsRepair;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.taskwright.workflows.FailureType;
import dev.taskwright.workflows.model.CleanupInput;
import dev.taskwright.workflows.model.CleanupResult;
import dev.taskwright.workflows.model.CommitInput;
import dev.taskwright.workflows.model.CommitResult;
import dev.taskwright.workflows.model.Workspace;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 13, item 4: work the agent left where git cannot see it (an uninitialised submodule's
 * folder, inside a submodule, a repository of its own) is named instead of lost, and new worktrees
 * have their submodules initialised.
 */
class GitWorkspaceSubmoduleTest {

  @RegisterExtension final GitSandbox sandbox = new GitSandbox();
  Path repo;
  Path lib;

  @BeforeEach
  void setUp() {
    repo = sandbox.repo;
    lib = sandbox.newRepo("lib");
    sandbox.addSubmodule(repo, lib, "libs/lib");
  }

  private CommitResult commit(Workspace workspace) {
    return sandbox.activities.commit(new CommitInput("t1", "Change the library", workspace));
  }

  private CleanupResult cleanup(Workspace workspace) {
    return sandbox.activities.cleanup(new CleanupInput("t1", repo.toString(), workspace));
  }

  /**
   * The worktree of t1 with its submodule initialised, local paths allowed as the user would allow
   * them.
   */
  private Workspace prepareAllowingLocalSubmodules() {
    sandbox.git(repo, "config", "protocol.file.allow", "always");
    return sandbox.prepare("t1");
  }

  @Test
  void prepareInitialisesTheSubmodulesOfTheNewWorktree() {
    Workspace workspace = prepareAllowingLocalSubmodules();

    Path worktree = Path.of(workspace.path());
    assertThat(worktree.resolve("libs/lib/README.md")).hasContent("hello\n");
    assertThat(sandbox.git.run(worktree, "submodule", "status").stdout())
        .as("initialised, at the recorded commit")
        .startsWith(" ");
  }

  @Test
  void localSubmodulesTheUserHasNotAllowedAreRefusedNotRetriedAndPrepareWorksOnceAllowed() {
    ApplicationFailure failure = failureOf(() -> sandbox.prepare("t1"));

    assertThat(failure.getType()).isEqualTo(FailureType.GIT_REFUSED.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("transport 'file' not allowed")
        .contains(
            "the submodules of " + repo + " (1 path(s): libs/lib) are cloned from local paths")
        .endsWith(
            "if you trust them, run 'git -C "
                + repo
                + " config protocol.file.allow always', then retry the task");

    sandbox.git(repo, "config", "protocol.file.allow", "always");
    Workspace workspace = sandbox.prepare("t1");

    assertThat(Path.of(workspace.path()).resolve("libs/lib/README.md")).hasContent("hello\n");
  }

  @Test
  void aSubmoduleThatAsksForALoginIsRefusedNotRetried() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"repos\"");
          exchange.sendResponseHeaders(401, -1);
          exchange.close();
        });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/lib.git";
      sandbox.git(repo, "config", "--file", ".gitmodules", "submodule.libs/lib.url", url);
      sandbox.git(
          repo,
          "-c",
          "user.name=Setup",
          "-c",
          "user.email=setup@example.com",
          "commit",
          "--quiet",
          "-am",
          "lib moved");
      // The URL a checkout initialised with; worktrees share that configuration.
      sandbox.git(repo, "config", "submodule.libs/lib.url", url);

      ApplicationFailure failure = failureOf(() -> sandbox.prepare("t1"));

      assertThat(failure.getType()).isEqualTo(FailureType.GIT_REFUSED.type());
      assertThat(failure.isNonRetryable()).isTrue();
      assertThat(failure.getOriginalMessage())
          .contains("terminal prompts disabled")
          .endsWith(
              "need a login the worker cannot give; set up credentials the worker's user can use"
                  + " without a prompt (a credential helper or an SSH key), then retry the task");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aFileWrittenIntoAnUninitialisedSubmoduleIsNamedAndItsWorktreeIsKept() {
    Workspace workspace = prepareAllowingLocalSubmodules();
    Path worktree = Path.of(workspace.path());
    // A worktree made before prepare initialised submodules, or a submodule deinitialised since.
    sandbox.git(worktree, "submodule", "deinit", "--quiet", "--force", "libs/lib");
    write(worktree.resolve("libs/lib/notes/plan.md"), "the agent's work\n");

    ApplicationFailure failure = failureOf(() -> commit(workspace));

    assertNeedsRepair(
        failure,
        "the agent changed files in "
            + worktree
            + " that a commit of taskwright/t1 cannot hold (1 path(s): "
            + "libs/lib/notes/plan.md (in submodule folder libs/lib, not initialised))");
    assertThat(sandbox.git(worktree, "rev-parse", "HEAD")).isEqualTo(workspace.baseCommit());

    CleanupResult cleanup = cleanup(workspace);

    assertThat(cleanup.removed()).isFalse();
    assertThat(cleanup.keptBecause()).contains("libs/lib/notes/plan.md");
    assertThat(worktree.resolve("libs/lib/notes/plan.md")).hasContent("the agent's work\n");
  }

  @Test
  void changesInsideAnInitialisedSubmoduleAreNamedAndItsWorktreeIsKept() {
    Workspace workspace = prepareAllowingLocalSubmodules();
    Path worktree = Path.of(workspace.path());
    write(worktree.resolve("libs/lib/fix.txt"), "the agent's fix\n");

    ApplicationFailure failure = failureOf(() -> commit(workspace));

    assertNeedsRepair(
        failure,
        "the agent changed files in "
            + worktree
            + " that a commit of taskwright/t1 cannot hold (1 path(s): libs/lib (changes inside the"
            + " submodule))");

    CleanupResult cleanup = cleanup(workspace);

    assertThat(cleanup.removed()).isFalse();
    assertThat(cleanup.keptBecause()).contains("libs/lib (changes inside the submodule)");
    assertThat(worktree.resolve("libs/lib/fix.txt")).exists();
  }

  @Test
  void aRepositoryOfItsOwnInsideTheWorktreeIsNamed() {
    Workspace workspace = prepareAllowingLocalSubmodules();
    Path worktree = Path.of(workspace.path());
    sandbox.newRepo(sandbox.root.relativize(worktree.resolve("vendor/tool")).toString());

    ApplicationFailure failure = failureOf(() -> commit(workspace));

    assertNeedsRepair(
        failure,
        "the agent changed files in "
            + worktree
            + " that a commit of taskwright/t1 cannot hold (1 path(s): vendor/tool/ (a repository"
            + " of its own))");
    assertThat(sandbox.git(worktree, "rev-parse", "HEAD")).isEqualTo(workspace.baseCommit());
  }

  @Test
  void aWorktreeWithCleanSubmodulesIsCommittedAndRemoved() {
    Workspace workspace = prepareAllowingLocalSubmodules();
    Path worktree = Path.of(workspace.path());
    write(worktree.resolve("main.txt"), "the agent's work\n");

    assertThat(commit(workspace).commits()).hasSize(1);
    CleanupResult cleanup = cleanup(workspace);

    assertThat(cleanup).isEqualTo(new CleanupResult(true, null));
    assertThat(worktree).doesNotExist();
  }

  @Test
  void aSubmoduleCommitOnlyTheWorktreeHoldsKeepsTheWorktree() {
    Workspace workspace = prepareAllowingLocalSubmodules();
    Path worktree = Path.of(workspace.path());
    Path submodule = worktree.resolve("libs/lib");
    write(submodule.resolve("fix.txt"), "the agent's fix\n");
    sandbox.git(submodule, "add", "fix.txt");
    sandbox.git(
        submodule,
        "-c",
        "user.name=agent",
        "-c",
        "user.email=agent@example.com",
        "commit",
        "-q",
        "-m",
        "Fix");
    String agentCommit = sandbox.git(submodule, "rev-parse", "HEAD");

    assertThat(commit(workspace).commits())
        .as("the task records the submodule's new commit")
        .hasSize(1);
    CleanupResult cleanup = cleanup(workspace);

    assertThat(cleanup.removed()).isFalse();
    assertThat(cleanup.keptBecause())
        .contains(
            "libs/lib (records submodule commit "
                + agentCommit.substring(0, 12)
                + ", which only this worktree holds");
    assertThat(sandbox.git(submodule, "cat-file", "-t", agentCommit)).isEqualTo("commit");
  }
}
