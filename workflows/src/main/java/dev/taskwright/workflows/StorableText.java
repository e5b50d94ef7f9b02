package dev.taskwright.workflows;

/**
 * Text that git (commit messages, refs) and PostgreSQL (text columns) can store, as the task
 * workflow checks it: a NUL character is refused by both, and a lone UTF-16 surrogate has no UTF-8
 * encoding. The CLI refuses such text before sending it; the workflow refuses it again for every
 * other client (the Web UI, the SDK), since a task that took it would fail to commit and to write
 * its ledger rows forever.
 */
public final class StorableText {
  private StorableText() {}

  /**
   * What in {@code text} cannot be stored, and where (1-based character), or null when all of it
   * can.
   */
  public static String problem(String text) {
    if (text == null) {
      return null;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 0) {
        return "a NUL character (\\0) at character " + (i + 1);
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return "a lone surrogate (\\u"
            + String.format(java.util.Locale.ROOT, "%04x", (int) c)
            + ") at character "
            + (i + 1);
      }
    }
    return null;
  }

  /**
   * {@code text} with what git and PostgreSQL cannot store made visible instead: NUL and lone
   * surrogates become U+FFFD. Null stays null.
   */
  public static String replacingWhatCannotBeStored(String text) {
    if (text == null || problem(text) == null) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
      } else if (c == 0 || Character.isSurrogate(c)) {
        out.append('\uFFFD');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
