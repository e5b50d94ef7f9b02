package dev.taskwright.starter.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.GitRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code taskwright demo} runs one task through the whole pipeline in one process, with nothing but
 * a JDK and git, and touches nothing outside TASKWRIGHT_HOME. No Temporal address is configured
 * that it could use by mistake: it must bring its own server.
 */
class DemoTest {

  @TempDir Path temp;

  @Test
  void demoRunsATaskToCompletionInsideTheHomeFolder() throws Exception {
    Path home = temp.resolve("home");
    Path elsewhere = Files.createDirectories(temp.resolve("elsewhere"));
    // No git identity at all, and a dead Temporal address: the demo needs neither.
    CliRun cli =
        CliRun.with()
            .home(home)
            .in(elsewhere)
            .temporal("127.0.0.1:1")
            .env("HOME", elsewhere.toString())
            .env("GIT_CONFIG_GLOBAL", elsewhere.resolve("no-gitconfig").toString())
            .env("GIT_CONFIG_NOSYSTEM", "1");

    var result = cli.run("demo");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.OK);
    assertThat(result.err())
        .containsSubsequence(
            ": PREPARING", ": RUNNING - agent run 1", ": COMMITTING", ": COMPLETED");
    assertThat(result.out()).contains("COMPLETED", "Edited greeting.txt", "git -C ");
    assertThat(result.took()).as("the demo is quick").isLessThan(Duration.ofSeconds(60));

    Matcher branch = Pattern.compile("Branch +(taskwright/demo-[a-z0-9]+)").matcher(result.out());
    assertThat(branch.find()).as(result.out()).isTrue();
    Path repo = home.resolve("demo/project");
    assertThat(GitRepos.git(repo, "show", branch.group(1) + ":greeting.txt"))
        .contains("written by an agent");
    assertThat(GitRepos.git(repo, "show", branch.group(1) + ":REQUEST.md"))
        .contains("Make the greeting friendlier");
    assertThat(GitRepos.git(repo, "log", "--format=%s", "main.." + branch.group(1)))
        .startsWith("taskwright(");
    assertThat(GitRepos.git(repo, "config", "--local", "user.email"))
        .as("with no identity of the user's, the demo repository gets its own")
        .isEqualTo("demo@taskwright.invalid");
    assertThat(result.out())
        .contains(GitRepos.git(repo, "rev-parse", "--short=10", branch.group(1)));

    try (Stream<Path> files = Files.list(elsewhere)) {
      assertThat(files).as("nothing written outside TASKWRIGHT_HOME").isEmpty();
    }

    var again = cli.run("demo");
    assertThat(again.exitCode())
        .as("a second demo reuses the scratch repository: " + again)
        .isEqualTo(ExitCodes.OK);
  }
}
