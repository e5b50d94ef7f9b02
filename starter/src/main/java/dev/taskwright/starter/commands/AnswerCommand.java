package dev.taskwright.starter.commands;

import dev.taskwright.workflows.Names;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code taskwright answer ID TEXT}: answers the agent's question; it carries on in the same
 * session.
 */
@Command(
    name = "answer",
    mixinStandardHelpOptions = true,
    header = "Answer the question a BLOCKED task's agent asked.",
    description = {
      "Answer the agent's question (see taskwright status ID). The agent resumes its session in the"
          + " same worktree with TEXT as its next prompt.",
      "Valid while the task is BLOCKED on a QUESTION; otherwise exit 4 with the task's state."
    })
public final class AnswerCommand extends TextActionCommand {

  @Parameters(
      index = "1..*",
      arity = "0..*",
      paramLabel = "TEXT",
      description = "The answer (several words are joined with spaces).")
  List<String> words;

  public AnswerCommand() {
    super(Names.ANSWER, "the answer to the agent's question", true);
  }

  @Override
  List<String> words() {
    return words;
  }
}
