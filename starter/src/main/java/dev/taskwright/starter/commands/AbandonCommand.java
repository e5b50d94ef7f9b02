package dev.taskwright.starter.commands;

import dev.taskwright.workflows.Names;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code taskwright abandon ID [REASON]}: gives up on a blocked task; it ends FAILED. */
@Command(
    name = "abandon",
    mixinStandardHelpOptions = true,
    header = "Give up on a BLOCKED task: it ends FAILED (ABANDONED).",
    description = {
      "Give up on a task that waits for a person after a question, a failure or a merge conflict."
          + " It ends FAILED with reason ABANDONED; its worktree and branch are kept, and tasks"
          + " that depend on it fail.",
      "Valid while the task is BLOCKED; otherwise exit 4 with the task's state (a running task is"
          + " stopped with taskwright cancel)."
    })
public final class AbandonCommand extends TextActionCommand {

  @Parameters(
      index = "1..*",
      arity = "0..*",
      paramLabel = "REASON",
      description = "Optional reason, kept with the task (several words are joined with spaces).")
  List<String> words;

  public AbandonCommand() {
    super(Names.ABANDON, "the reason to give up", false);
  }

  @Override
  List<String> words() {
    return words;
  }
}
