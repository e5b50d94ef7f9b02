package dev.taskwright.activities.agent;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A run's summary (DESIGN §6): the summary file if the agent wrote one; else the text after the
 * last {@code ## Summary} heading of the final result; else the final result, trimmed to 2,000
 * characters.
 */
final class Summaries {
  static final int MAX_CHARS = 2_000;

  private static final Pattern SUMMARY_HEADING = Pattern.compile("(?im)^##[ \\t]+Summary[ \\t]*$");

  private Summaries() {}

  static String choose(Optional<String> summaryFile, String finalResult) {
    if (summaryFile.isPresent()) {
      return trim(summaryFile.get());
    }
    if (finalResult == null || finalResult.isBlank()) {
      return null;
    }
    Matcher heading = SUMMARY_HEADING.matcher(finalResult);
    int after = -1;
    while (heading.find()) {
      after = heading.end();
    }
    if (after >= 0) {
      String section = finalResult.substring(after).strip();
      if (!section.isEmpty()) {
        return trim(section);
      }
    }
    return trim(finalResult.strip());
  }

  /** Keeps workflow history small: summaries travel in it. */
  static String trim(String text) {
    String stripped = text.strip();
    return stripped.length() <= MAX_CHARS ? stripped : stripped.substring(0, MAX_CHARS - 1) + "…";
  }
}
