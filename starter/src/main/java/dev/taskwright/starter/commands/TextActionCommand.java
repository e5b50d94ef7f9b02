package dev.taskwright.starter.commands;

import dev.taskwright.starter.CliException;
import dev.taskwright.workflows.model.Reply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * An action that carries words (an answer, feedback, guidance, a reason): given as the words after
 * the ID, joined with spaces, or read with {@code -f FILE} ({@code -f -} for standard input). The
 * words are checked before anything is sent: present when required, at most
 * {@link Reply#MAX_LENGTH} characters.
 */
abstract class TextActionCommand extends ActionCommand {

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = "Read the text from FILE instead of the command line; - reads standard input.")
  String file;

  @Option(names = "--wait", description = "Then follow the task until it is READY, needs a person again, or has ended (exit 0 for READY or COMPLETED, else 6).")
  boolean await;

  private final String meaning;
  private final boolean required;

  /**
   * @param action the update's name
   * @param meaning what the words are, for messages, e.g. "the answer to the agent's question"
   * @param required whether the action needs words
   */
  TextActionCommand(String action, String meaning, boolean required) {
    super(action);
    this.meaning = meaning;
    this.required = required;
  }

  /** The words given after the ID (declared by each command, with its own label). */
  abstract List<String> words();

  @Override
  boolean follows() {
    return await;
  }

  @Override
  Reply reply() {
    String text = text().strip();
    if (text.isEmpty()) {
      if (required) {
        throw CliException.badInput(
            action() + " needs " + meaning + ": give it after the task ID, or with -f FILE (-f - reads standard input)");
      }
      return Reply.empty();
    }
    if (text.length() > Reply.MAX_LENGTH) {
      throw CliException.badInput(
          meaning + " is " + text.length() + " characters long; a task takes at most " + Reply.MAX_LENGTH);
    }
    return new Reply(text);
  }

  private String text() {
    List<String> words = words() == null ? List.of() : words();
    if (file == null) {
      return String.join(" ", words);
    }
    if (!words.isEmpty()) {
      throw CliException.badInput("give " + meaning + " either after the task ID or with -f, not both");
    }
    try {
      if (file.equals("-")) {
        return new String(environment().stdin().readAllBytes(), StandardCharsets.UTF_8);
      }
      return Files.readString(environment().workingDirectory().resolve(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CliException.badInput("cannot read " + (file.equals("-") ? "standard input" : file) + ": " + e);
    }
  }
}
