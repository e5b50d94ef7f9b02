package dev.taskwright.activities;

/**
 * The user's input cannot work: a repository path that does not exist, a ref that names nothing, a
 * task ID that is not a safe path segment. The message is written for the user: one line that says
 * what was wrong and what to do about it, so the CLI can print it as is and the activities can pass
 * it on unchanged as a non-retryable {@code INVALID_INPUT} failure.
 *
 * <p>It is unchecked because it is raised deep inside helpers whose callers can do nothing but pass
 * it up; the CLI catches it once, at the top of a command, and exits with code 2.
 */
public class InvalidInputException extends RuntimeException {

  public InvalidInputException(String message) {
    super(message);
  }
}
