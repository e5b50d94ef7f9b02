package dev.taskwright.starter;

/**
 * Refusals, at the CLI, of text that git and PostgreSQL cannot store ({@link
 * dev.taskwright.workflows.StorableText} says which), so that a task can never be started with text
 * its commits and ledger rows would fail on forever.
 */
public final class StorableText {
  private StorableText() {}

  /**
   * What in {@code text} cannot be stored, and where; the workflow's own check, which it repeats
   * for other clients.
   */
  public static String problem(String text) {
    return dev.taskwright.workflows.StorableText.problem(text);
  }

  /**
   * The sentence for a refusal of {@code what} (a flag, a key, "the answer"), or null when {@code
   * text} can be stored.
   */
  public static String refusal(String what, String text) {
    String problem = problem(text);
    return problem == null
        ? null
        : what + " holds " + problem + ", which git and PostgreSQL cannot store; remove it";
  }

  /**
   * {@code text}, or a usage error (exit 2) naming {@code what} when it cannot be stored.
   *
   * @param what how the user gave the text: {@code --title}, {@code PROMPT}, "the answer"
   */
  public static String require(String what, String text) {
    String refusal = refusal(what, text);
    if (refusal != null) {
      throw CliException.badInput(refusal + ", so nothing was started or sent");
    }
    return text;
  }
}
