package dev.taskwright.starter.commands;

import dev.taskwright.workflows.Names;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code taskwright reject ID FEEDBACK}: sends a READY task's work back with what to change. */
@Command(
    name = "reject",
    mixinStandardHelpOptions = true,
    header = "Send a READY task's work back to its agent with feedback.",
    description = {
      "Reject the work of a task waiting for review: the agent resumes its session with FEEDBACK as"
          + " its next prompt, and the task comes back to READY with new commits.",
      "Valid while the task is READY; otherwise exit 4 with the task's state."
    })
public final class RejectCommand extends TextActionCommand {

  @Parameters(
      index = "1..*",
      arity = "0..*",
      paramLabel = "FEEDBACK",
      description = "What to change (several words are joined with spaces).")
  List<String> words;

  public RejectCommand() {
    super(Names.REJECT, "feedback on what to change", true);
  }

  @Override
  List<String> words() {
    return words;
  }
}
