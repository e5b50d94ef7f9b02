package dev.taskwright.workflows;

import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.TestInfo;

/**
 * Writes the history of a test's workflow to {@code src/test/resources/histories/} when the build
 * is run with {@code -Dtaskwright.recordHistories=true}. {@link ReplayTest} replays the committed
 * files on every build, so a change to the workflow that breaks running tasks fails the build.
 */
final class HistoryRecorder {
  private HistoryRecorder() {}

  static void recordIfAsked(TestWorkflowEnvironment env, String workflowId, TestInfo test)
      throws Exception {
    if (!Boolean.getBoolean("taskwright.recordHistories")) {
      return;
    }
    String name = test.getTestMethod().orElseThrow().getName();
    String json = env.getWorkflowClient().fetchHistory(workflowId).toJson(true);
    Path file = Path.of("src/test/resources/histories", kebab(name) + ".json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, json, StandardCharsets.UTF_8);
  }

  private static String kebab(String camel) {
    return camel
        .replaceAll("([A-Z])([A-Z][a-z])", "$1-$2")
        .replaceAll("([a-z0-9])([A-Z])", "$1-$2")
        .toLowerCase(Locale.ROOT);
  }
}
