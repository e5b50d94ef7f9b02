package dev.taskwright.starter.commands;

import dev.taskwright.workflows.Names;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code taskwright retry ID [GUIDANCE]}: resumes a task blocked by a failure or a merge conflict.
 */
@Command(
    name = "retry",
    mixinStandardHelpOptions = true,
    header = "Resume a task BLOCKED by a failure or a merge conflict.",
    description = {
      "Resume the agent's session in the same worktree: after a failure with GUIDANCE as its next"
          + " prompt (default: the error and \"try again\"); after a merge conflict it is told to"
          + " merge the base branch and resolve the conflicts, GUIDANCE added.",
      "Valid while the task is BLOCKED by AGENT_FAILED, TIMED_OUT, BUDGET_EXCEEDED or"
          + " MERGE_CONFLICT; otherwise exit 4 with the task's state."
    })
public final class RetryCommand extends TextActionCommand {

  @Parameters(
      index = "1..*",
      arity = "0..*",
      paramLabel = "GUIDANCE",
      description = "Optional words for the agent (several words are joined with spaces).")
  List<String> words;

  public RetryCommand() {
    super(Names.RETRY, "guidance for the agent", false);
  }

  @Override
  List<String> words() {
    return words;
  }
}
