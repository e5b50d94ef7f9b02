package dev.taskwright.workflows;

/**
 * The one home of the sizes of what travels in workflow history from an agent run. The Temporal
 * server refuses a payload over 2 MiB (by default): an activity result over it is lost, the
 * activity retried, and the agent run a second time. Every text an agent run returns is cut to its
 * limit here, with a note saying what was cut, and the whole outcome is kept under {@link
 * #OUTCOME_BYTES} as serialised, far enough under the server's limit that the rest of the result
 * fits beside it.
 */
public final class Limits {
  private Limits() {}

  /** An agent's question, in characters. */
  public static final int QUESTION_CHARS = 64 * 1024;

  /** One option the agent offers with its question, in characters. */
  public static final int OPTION_CHARS = 1024;

  /** How many options of a question are kept. */
  public static final int OPTIONS = 20;

  /** A run's summary, in characters. */
  public static final int SUMMARY_CHARS = 64 * 1024;

  /** The error text of a failed run, in characters. */
  public static final int ERROR_CHARS = 8 * 1024;

  /** All the subtasks an agent writes, as serialised JSON bytes (prompts, titles, names). */
  public static final int SUBTASKS_BYTES = 256 * 1024;

  /**
   * The whole outcome of an agent run, as serialised JSON bytes: a text of control characters takes
   * six bytes a character once escaped, so the character limits alone do not bound it.
   */
  public static final int OUTCOME_BYTES = 1024 * 1024;

  /** The server's default limit on one payload, which nothing taskwright returns may come near. */
  public static final int SERVER_PAYLOAD_BYTES = 2 * 1024 * 1024;

  /**
   * {@code text} cut to at most {@code max} characters, the note included, with a note at its end
   * saying how much of {@code what} was cut: {@code [cut: 1234 more characters of the question
   * ...]}. Never splits a surrogate pair. Null stays null.
   */
  public static String cut(String text, int max, String what) {
    if (text == null || text.length() <= max) {
      return text;
    }
    // A few characters to spare: the note's numbers may grow by a digit once keep is known.
    int keep = Math.max(0, max - note(text.length(), max, what).length() - 4);
    if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) {
      keep--;
    }
    String note = note(text.length(), keep, what);
    return text.substring(0, keep) + note;
  }

  private static String note(int length, int keep, String what) {
    return "\n[cut: "
        + (length - keep)
        + " more characters of "
        + what
        + "; taskwright keeps at most "
        + keep
        + " of "
        + length
        + "]";
  }
}
