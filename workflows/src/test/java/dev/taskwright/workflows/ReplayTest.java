package dev.taskwright.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays recorded histories of every workflow path against the current code. A failure here means
 * tasks already running would break on upgrade: guard the change with {@code Workflow.getVersion}.
 * Re-record with {@code -Dtaskwright.recordHistories=true} only for paths that did not exist
 * before.
 */
class ReplayTest {

  private static final Path HISTORIES = Path.of("src/test/resources/histories");

  /**
   * Every recorded history, those of today's code and, under {@code before-ledger/}, those recorded
   * before tasks wrote a ledger: those must still replay, through the ledger's version gate.
   */
  static Stream<Path> histories() throws IOException {
    try (Stream<Path> files = Files.walk(HISTORIES)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList().stream();
    }
  }

  @Test
  void everyWorkflowPathHasARecordedHistory() throws IOException {
    List<String> names =
        histories()
            .filter(p -> p.getParent().equals(HISTORIES))
            .map(p -> p.getFileName().toString())
            .toList();
    assertThat(names)
        .contains(
            "main-path-commits-summarises-and-completes.json",
            "failed-run-is-retried-by-resuming-the-same-session-with-the-failure-text.json",
            "agent-still-failing-after-its-automatic-retries-waits-for-a-decision-and-abandon-ends-it-failed.json",
            "question-answered-three-days-later-resumes-the-same-session-with-the-answer.json",
            "reject-resumes-with-the-feedback-then-accept-merges-and-completes.json",
            "merge-conflict-blocks-then-retry-asks-the-agent-to-resolve-and-returns-to-ready.json",
            "usage-limit-without-a-reset-time-backs-off-from-one-minute-doubling.json",
            "cancelling-a-task-that-waits-for-a-person-ends-it-cancelled-and-keeps-the-worktree.json",
            "diamond-completes-in-dependency-order-and-each-dependent-starts-from-what-it-waited-for.json",
            "dependency-that-finished-before-its-dependent-started-is-read-from-its-result.json",
            "abandoned-dependency-fails-its-dependents-and-their-dependents.json",
            "spec-subtasks-run-as-children-in-dependency-order-and-are-merged-into-the-parent.json",
            "abandoned-child-blocks-the-parent-and-retry-restarts-the-child-in-its-session.json",
            "cancelling-the-parent-cancels-every-child-and-kills-their-agents.json",
            "activity-retried-after-worker-death-keeps-the-same-run-and-session.json",
            "cancellation-stops-the-agent-keeps-the-worktree-and-ends-cancelled.json",
            "dependency-finished-with-a-wrong-payload-leaves-the-dependent-waiting.json",
            "subscribe-with-a-wrong-payload-neither-fails-nor-blocks-the-task-when-it-finishes.json",
            "ledger-writes-that-fail-locally-are-retried-in-the-background-while-the-task-goes-on.json",
            "branch-deleted-before-the-merge-blocks-for-repair-and-retry-merges-once-repaired.json",
            "commit-that-needs-repair-resumes-the-agent-with-the-retry-words-then-commits.json",
            "git-that-refuses-blocks-too-and-abandon-ends-the-task-with-the-reason.json",
            "worktree-that-cannot-be-prepared-yet-blocks-and-retry-prepares-it.json",
            "answer-signal-with-a-nul-is-ignored-and-the-task-waits-on.json",
            "auto-accept-merges-as-accept-does.json",
            "auto-accept-that-conflicts-blocks-as-accept-does-and-merges-after-the-agent-resolves.json",
            "complete-without-merge-keeps-the-work-on-its-branch.json",
            "links-out-of-the-worktree-are-warned-in-the-view-and-the-web-ui-details.json");
  }

  /**
   * Histories from before ledger writes were tried as local activities first: each write was an
   * activity.
   */
  @Test
  void historiesFromBeforeLocalLedgerWritesAreKept() throws IOException {
    assertThat(histories().filter(p -> p.getParent().endsWith("before-local-ledger-writes")))
        .hasSizeGreaterThanOrEqualTo(32);
  }

  /**
   * Histories in which a wrong payload was taken, from before the changes that ignore it: they
   * replay as they ran.
   */
  @Test
  void historiesFromBeforeThePayloadGuardsAreKept() throws IOException {
    assertThat(
            histories()
                .filter(p -> p.getParent().endsWith("before-payload-guards"))
                .map(p -> p.getFileName().toString()))
        .containsExactlyInAnyOrder(
            "dependency-finished-naming-no-end-failed-the-dependent.json",
            "subscriber-that-is-no-task-id-was-told-when-the-task-finished.json");
  }

  /**
   * Histories recorded before the hardening of issue 13 (repairs block, auto-accept merges,
   * unstorable signals ignored): tasks running on the old code keep replaying through its version
   * gates.
   */
  @Test
  void historiesFromBeforeTheHardeningAreKept() throws IOException {
    assertThat(histories().filter(p -> p.getParent().endsWith("before-hardening")))
        .hasSizeGreaterThanOrEqualTo(33);
  }

  @Test
  void historiesFromBeforeTheLedgerAreKept() throws IOException {
    assertThat(histories().filter(p -> p.getParent().endsWith("before-ledger")))
        .hasSizeGreaterThanOrEqualTo(29);
  }

  @ParameterizedTest
  @MethodSource("histories")
  void recordedHistoryReplaysWithoutNondeterminism(Path history) throws Exception {
    WorkflowReplayer.replayWorkflowExecution(history.toFile(), TaskWorkflowImpl.class);
  }
}
