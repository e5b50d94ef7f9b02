package dev.taskwright.starter.plan;

import java.util.Collection;
import java.util.Locale;

/**
 * "Did you mean ...?" for a misspelt key, task ID or command: the closest known name, when one is
 * close.
 */
public final class KeySuggestion {
  private KeySuggestion() {}

  /**
   * Edits allowed between a typo and what was meant: enough for a slip, too few to suggest
   * something unrelated.
   */
  static final int MAX_DISTANCE = 2;

  /** The closest of {@code known} to {@code typed}, or null when none is close. */
  public static String closest(String typed, Collection<String> known) {
    String wanted = normalized(typed);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int distance = distance(wanted, normalized(candidate));
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return bestDistance <= Math.min(MAX_DISTANCE, Math.max(1, wanted.length() / 3)) ? best : null;
  }

  /** What to write instead of the unknown key {@code typed}. */
  static String hint(String typed, Collection<String> known) {
    String closest = closest(typed, known);
    if (closest != null) {
      return "did you mean '" + closest + "'?";
    }
    return "known keys here: " + String.join(", ", known);
  }

  /** Case, dashes and underscores don't count: {@code auto_accept} is one edit from nothing. */
  private static String normalized(String name) {
    return name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
  }

  /**
   * Edit distance where swapping two neighbouring letters counts as one edit (optimal string
   * alignment).
   */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
