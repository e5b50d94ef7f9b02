package dev.taskwright.starter.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.starter.commands.RunCommand;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A task is the same whichever way it is started: every option of {@code run} has a task-file key
 * and every task-file key an option, so a setting added on one side only fails here. The options
 * and keys that have no counterpart on purpose are listed with the reason.
 */
class RunOptionsAndTaskFileKeysTest {

  /** run's options that are about this invocation, not about a task. */
  private static final Map<String, String> ONLY_RUN =
      Map.of(
          "--wait", "follows the task in this terminal",
          "--file", "names the task file itself",
          "--max-tasks", "a limit on how many tasks one file may start",
          "--help", "picocli's",
          "--version", "picocli's");

  /** Task-file keys that only a file can hold. */
  private static final Map<String, String> ONLY_FILE =
      Map.of(
          "plan", "names the file's plan; run starts one task",
          "tasks", "the file's list of tasks",
          "subtasks", "a task's children; run has no way to write them",
          "review", "the opposite of autoAccept, for a subtask that should wait for review",
          "prompt", "run's PROMPT parameter");

  /** The key an option stands for: {@code --max-budget-usd} is {@code maxBudgetUsd}. */
  private static String keyOf(String option) {
    StringBuilder key = new StringBuilder();
    boolean upper = false;
    for (char c : option.replaceFirst("^--", "").toCharArray()) {
      if (c == '-') {
        upper = true;
      } else {
        key.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return key.toString();
  }

  @Test
  void everyRunOptionIsATaskFileKeyAndEveryKeyARunOption() {
    CommandLine run = new CommandLine(new RunCommand());
    Set<String> optionsAsKeys = new TreeSet<>();
    for (OptionSpec option : run.getCommandSpec().options()) {
      String name = option.longestName();
      if (!ONLY_RUN.containsKey(name)) {
        optionsAsKeys.add(keyOf(name));
      }
    }
    Set<String> keys = new TreeSet<>(TaskFileReader.TASK_KEYS);
    keys.addAll(TaskFileReader.FILE_KEYS);
    keys.removeAll(ONLY_FILE.keySet());

    assertThat(optionsAsKeys).as("run's task options, as task-file keys").isEqualTo(keys);
  }

  @Test
  void theListsOfExceptionsNameOnlyWhatExists() {
    CommandLine run = new CommandLine(new RunCommand());
    Set<String> options = new TreeSet<>();
    run.getCommandSpec().options().forEach(option -> options.add(option.longestName()));
    Set<String> keys = new TreeSet<>(TaskFileReader.TASK_KEYS);
    keys.addAll(TaskFileReader.FILE_KEYS);

    assertThat(options).containsAll(ONLY_RUN.keySet());
    assertThat(keys).containsAll(ONLY_FILE.keySet());
  }
}
