package dev.taskwright.starter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskwright.starter.CliEnvironment;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.GitRepos;
import dev.taskwright.starter.support.TemporalCliTool;
import dev.taskwright.workflows.Limits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, item 5, on the real Temporal server ({@code start-dev}, which enforces the 2 MB payload
 * limit the in-process test server does not): a 10 MB question file once made the activity result
 * too large; the result was lost, the activity retried, the agent ran a second time, and the
 * question vanished. Now the question arrives cut, with a note, and the agent runs once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OversizedControlFilesEndToEndTest {

  @TempDir Path temp;

  @Test
  void tenMegabyteQuestionFileBlocksWithABoundedQuestionAndTheAgentRunsOnce() throws Exception {
    Path home = temp.resolve("home");
    int port = TemporalCliTool.freePortWithFreeUiPort();
    Path repo = GitRepos.create(temp.resolve("repo"));
    Path runs = temp.resolve("runs.txt");
    Path asker = temp.resolve("asker.sh");
    Files.writeString(
        asker,
        "cat > /dev/null\necho ran >> '"
            + runs
            + "'\nhead -c 10485760 /dev/zero | tr '\\0' q > \"$TASKWRIGHT_QUESTION_FILE\"\n");
    CliRun cli =
        CliRun.with()
            .home(home)
            .temporal("127.0.0.1:" + port)
            .env("PATH", TemporalCliTool.pathWithoutTemporal(System.getenv("PATH")))
            .env(CliEnvironment.TEMPORAL_CLI, TemporalCliTool.locate().toString())
            .in(temp);
    CliRun.Background dev = cli.start("dev");
    try {
      dev.awaitErr("taskwright dev is ready", Duration.ofSeconds(30));

      var run =
          cli.run(
              "run",
              "--id",
              "big-question",
              "--repo",
              repo.toString(),
              "--wait",
              "--command",
              "bash " + asker,
              "Ask");

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.TASK_NOT_SUCCESSFUL);
      JsonNode status = cli.statusJson("big-question");
      assertThat(status.path("state").asText()).isEqualTo("BLOCKED");
      assertThat(status.path("reason").asText()).isEqualTo("QUESTION");
      String question = status.path("question").path("text").asText();
      assertThat(question)
          .startsWith("qqqq")
          .contains("[cut: ")
          .contains("more characters of the question");
      assertThat(question.length()).isLessThanOrEqualTo(Limits.QUESTION_CHARS);
      assertThat(Files.readAllLines(runs)).as("the agent ran once").containsExactly("ran");
    } finally {
      assertThat(dev.stop().exitCode()).isZero();
    }
  }
}
