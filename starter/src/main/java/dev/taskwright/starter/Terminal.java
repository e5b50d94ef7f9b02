package dev.taskwright.starter;

/**
 * Makes text from agents and people safe to print on a terminal: control characters (C0, DEL, C1),
 * which can move the cursor, clear the screen, ring the bell or overwrite a line, and the
 * bidirectional overrides, which reorder what is read, are shown as visible escapes ({@code \e},
 * {@code \r}, {@code \x07}, {@code \u202e}) instead of acting. JSON output keeps the raw text.
 */
public final class Terminal {
  private Terminal() {}

  /**
   * {@code text} as one line: every control character, line breaks included, made visible; null
   * stays null.
   */
  public static String line(String text) {
    return text == null ? null : visible(text, false);
  }

  /**
   * {@code text} with its line breaks ({@code \n}) and tabs kept and every other control character
   * made visible; null stays null.
   */
  public static String lines(String text) {
    return text == null ? null : visible(text, true);
  }

  /** True when printing {@code text} as {@link #lines} would change nothing. */
  public static boolean isSafe(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '\n' && c != '\t' && isControl(c)) {
        return false;
      }
    }
    return true;
  }

  /**
   * C0 (but not here tab or newline), DEL, C1, and the bidi embedding, override and isolate
   * characters.
   */
  static boolean isControl(char c) {
    return c < 0x20
        || (c >= 0x7f && c <= 0x9f)
        || (c >= 0x202a && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069);
  }

  private static String visible(String text, boolean multiLine) {
    StringBuilder shown = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean keep = !isControl(c) || (multiLine && (c == '\n' || c == '\t'));
      if (keep) {
        if (shown != null) {
          shown.append(c);
        }
        continue;
      }
      if (shown == null) {
        shown = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      shown.append(escape(c));
    }
    return shown == null ? text : shown.toString();
  }

  private static String escape(char c) {
    return switch (c) {
      case 0x1b -> "\\e";
      case '\r' -> "\\r";
      case '\n' -> "\\n";
      case '\t' -> "\\t";
      default -> c <= 0xff ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c);
    };
  }
}
