package dev.taskwright.activities.workspace;

import static dev.taskwright.activities.workspace.GitSandbox.failureOf;
import static dev.taskwright.activities.workspace.GitSandbox.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.workflows.FailureType;
import dev.taskwright.workflows.model.CleanupInput;
import dev.taskwright.workflows.model.CleanupResult;
import dev.taskwright.workflows.model.CommitInput;
import dev.taskwright.workflows.model.CommitResult;
import dev.taskwright.workflows.model.MergeInput;
import dev.taskwright.workflows.model.MergeResult;
import dev.taskwright.workflows.model.MergeStatus;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Whatever the agent made, what a git activity returns stays far below the server's payload limit:
 * at most 100 entries in a list (the newest 100 commits) and 1000 characters in a string.
 */
class ResultBoundsTest extends OneWorktreeTest {

  private static final int MANY = 150;

  /** A relative path of about 1,200 characters: six folders of 200 characters and a file. */
  private static final String LONG_PATH = ("d".repeat(200) + "/").repeat(6) + "file.txt";

  private CommitResult commit() {
    return sandbox.activities.commit(new CommitInput("t1", "Bounds", workspace));
  }

  @Test
  void aBranchWithManyCommitsReportsTheNewest100EndingAtItsHead() {
    List<String> made = new ArrayList<>();
    for (int i = 0; i < MANY; i++) {
      sandbox.git(
          worktree,
          "-c",
          "user.name=Agent",
          "-c",
          "user.email=agent@example.com",
          "commit",
          "--quiet",
          "--allow-empty",
          "-m",
          "c" + i);
      made.add(sandbox.git(worktree, "rev-parse", "HEAD"));
    }

    CommitResult result = commit();

    assertThat(result.commits())
        .hasSize(Bounds.MAX_ENTRIES)
        .isEqualTo(made.subList(MANY - Bounds.MAX_ENTRIES, MANY));
    assertThat(result.head()).isEqualTo(made.get(MANY - 1));
  }

  @Test
  void manyLinksOutAreCutTo100AndALongTargetTo1000Characters() throws IOException {
    for (int i = 0; i < MANY; i++) {
      Files.createSymbolicLink(worktree.resolve("link-" + i), Path.of("/etc/passwd"));
    }
    String longTarget =
        "/"
            + "t".repeat(200)
            + "/"
            + "u".repeat(200)
            + "/"
            + ("v".repeat(200) + "/").repeat(4)
            + "end";
    Files.createSymbolicLink(worktree.resolve("a-long-one"), Path.of(longTarget));

    CommitResult result = commit();

    assertWithinBounds(result.outsideLinks());
    assertThat(result.outsideLinks()).hasSize(Bounds.MAX_ENTRIES);
    assertThat(result.outsideLinks().get(0))
        .startsWith("a-long-one -> /ttt")
        .endsWith("…")
        .hasSize(Bounds.MAX_CHARS);
  }

  @Test
  void manyConflictsAreCutTo100AndTheMessageCountsThemAll() {
    for (int i = 0; i < MANY; i++) {
      write(repo.resolve("f" + i + ".txt"), "main's line\n");
      write(worktree.resolve("f" + i + ".txt"), "the task's line\n");
    }
    write(repo.resolve(LONG_PATH), "main's line\n");
    write(worktree.resolve(LONG_PATH), "the task's line\n");
    sandbox.git(repo, "add", "--all");
    sandbox.commitStaged(repo, "main's files");
    commit();

    MergeResult result =
        sandbox.activities.merge(
            new MergeInput("t1", "Bounds", repo.toString(), "main", workspace));

    assertThat(result.status()).isEqualTo(MergeStatus.CONFLICT);
    assertWithinBounds(result.conflictFiles());
    assertThat(result.conflictFiles()).hasSize(Bounds.MAX_ENTRIES);
    assertThat(result.conflictFiles().get(0)).startsWith("ddd").endsWith("…");
    assertThat(result.message())
        .hasSizeLessThanOrEqualTo(Bounds.MAX_CHARS)
        .contains((MANY + 1) + " path(s)");
  }

  @Test
  void aKeptWorktreesReasonAndARepairMessageStayBounded() {
    for (int i = 0; i < MANY; i++) {
      write(worktree.resolve(LONG_PATH.replace("file.txt", "file-" + i + ".txt")), "left\n");
    }

    CleanupResult cleanup =
        sandbox.activities.cleanup(new CleanupInput("t1", repo.toString(), workspace));

    assertThat(cleanup.removed()).isFalse();
    assertThat(cleanup.keptBecause())
        .hasSizeLessThanOrEqualTo(Bounds.MAX_CHARS)
        .contains(MANY + " path(s)");

    for (int i = 0; i < 20; i++) {
      sandbox.newRepo(
          sandbox
              .root
              .relativize(worktree.resolve(LONG_PATH.replace("file.txt", "repo-" + i)))
              .toString());
    }
    ApplicationFailure failure = failureOf(this::commit);

    assertThat(failure.getType()).isEqualTo(FailureType.WORKSPACE_NEEDS_REPAIR.type());
    assertThat(failure.getOriginalMessage())
        .hasSizeLessThanOrEqualTo(Bounds.MAX_FAILURE_CHARS)
        .contains("20 path(s)");
  }

  private static void assertWithinBounds(List<String> entries) {
    assertThat(entries).hasSizeLessThanOrEqualTo(Bounds.MAX_ENTRIES);
    assertThat(entries)
        .allSatisfy(entry -> assertThat(entry).hasSizeLessThanOrEqualTo(Bounds.MAX_CHARS));
  }
}
