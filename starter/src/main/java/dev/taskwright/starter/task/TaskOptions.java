package dev.taskwright.starter.task;

/**
 * The checks of a task's options that {@code run}'s flags and task-file keys share, so that each
 * value is judged in one place whichever way it came. {@code name} is how the user gave it: {@code
 * --max-budget-usd} or {@code maxBudgetUsd}.
 */
public final class TaskOptions {
  private TaskOptions() {}

  /** Above this, a "budget" is a typo, not a limit. */
  static final double MAX_BUDGET_USD = 1_000_000;

  /** Why {@code dollars} is no spending limit, or null when it is one. */
  public static String budgetProblem(String name, double dollars) {
    return dollars > 0 && dollars < MAX_BUDGET_USD
        ? null
        : name + " " + dollars + " is not a spending limit: give dollars above 0, e.g. 2.50";
  }
}
