package dev.taskwright.starter.task;

import dev.taskwright.workflows.TaskIds;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Makes a task ID when the user gives none: a slug of the title (or prompt) that says what the task
 * is about, plus a short random suffix so the same prompt twice makes two tasks.
 */
public final class TaskIdSuggestion {
  private TaskIdSuggestion() {}

  /**
   * Long enough to recognise the task in a list, short enough to leave room in branch names and
   * paths.
   */
  static final int SLUG_LENGTH = 40;

  /**
   * Five base-36 characters: 60 million values, so a collision between one user's tasks is
   * unlikely.
   */
  static final int SUFFIX_LENGTH = 5;

  static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

  private static final RandomGenerator RANDOM = new SecureRandom();

  public static String from(String text) {
    return from(text, RANDOM);
  }

  static String from(String text, RandomGenerator random) {
    String slug = slug(text == null ? "" : text);
    StringBuilder id = new StringBuilder(slug.isEmpty() ? "task" : slug).append('-');
    for (int i = 0; i < SUFFIX_LENGTH; i++) {
      id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    String result = id.toString();
    if (!TaskIds.isValid(result)) {
      throw new IllegalStateException("made an invalid task ID: " + result);
    }
    return result;
  }

  /**
   * Lower-case ASCII letters and digits, words joined by single dashes, cut at a word boundary when
   * possible.
   */
  static String slug(String text) {
    String ascii = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
    String slug =
        ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    if (slug.length() > SLUG_LENGTH) {
      int cut = slug.lastIndexOf('-', SLUG_LENGTH);
      slug = slug.substring(0, cut > SLUG_LENGTH / 2 ? cut : SLUG_LENGTH).replaceAll("-+$", "");
    }
    return slug;
  }
}
