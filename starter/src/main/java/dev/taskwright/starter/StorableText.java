package dev.taskwright.starter;

/**
 * Text that git (commit messages, refs) and PostgreSQL (text columns) can store. A NUL character
 * is refused by both, and a lone UTF-16 surrogate has no UTF-8 encoding; text holding either is
 * accepted nowhere, so a task can never be started with text its commits and ledger rows would
 * fail on forever.
 */
public final class StorableText {
  private StorableText() {}

  /** What in {@code text} cannot be stored, and where (1-based character), or null when all of it can. */
  public static String problem(String text) {
    if (text == null) {
      return null;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 0) {
        return "a NUL character (\\0) at character " + (i + 1);
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
          continue;
        }
        return "a lone surrogate (\\u" + String.format("%04x", (int) c) + ") at character " + (i + 1);
      }
      if (Character.isLowSurrogate(c)) {
        return "a lone surrogate (\\u" + String.format("%04x", (int) c) + ") at character " + (i + 1);
      }
    }
    return null;
  }

  /** The sentence for a refusal of {@code what} (a flag, a key, "the answer"), or null when {@code text} can be stored. */
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
