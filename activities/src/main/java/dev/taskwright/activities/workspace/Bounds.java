package dev.taskwright.activities.workspace;

import java.util.List;

/**
 * Limits on what the workspace activities return, so that no result comes near the server's payload
 * limit however much the agent made: at most {@link #MAX_ENTRIES} entries in a list, at most {@link
 * #MAX_CHARS} characters in any one string. What a cut list leaves out is counted in the message
 * that goes with it (see {@link GitWorkspace#describePaths}).
 */
final class Bounds {

  static final int MAX_ENTRIES = 100;
  static final int MAX_CHARS = 1_000;

  /** Failure messages carry a command and git's stderr, so they get more room. */
  static final int MAX_FAILURE_CHARS = 4_000;

  private Bounds() {}

  /** {@code text} cut to {@link #MAX_CHARS}, ending in "…" when cut. */
  static String cut(String text) {
    return cut(text, MAX_CHARS);
  }

  static String cut(String text, int maxChars) {
    if (text == null || text.length() <= maxChars) {
      return text;
    }
    int end = maxChars - 1;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + "…";
  }

  /** The first {@link #MAX_ENTRIES} entries, each cut. */
  static List<String> first(List<String> entries) {
    return entries.stream().limit(MAX_ENTRIES).map(Bounds::cut).toList();
  }

  /** The last {@link #MAX_ENTRIES} entries (the newest, in a list kept oldest first), each cut. */
  static List<String> last(List<String> entries) {
    return entries.subList(Math.max(0, entries.size() - MAX_ENTRIES), entries.size()).stream()
        .map(Bounds::cut)
        .toList();
  }
}
