package dev.taskwright.activities.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The git runner: what it tells about failures, and that git never waits for a person. */
class GitTest {

  @TempDir Path tempDir;

  private final Git git =
      Git.withOverrides(Map.of("GIT_CONFIG_NOSYSTEM", "1"), Duration.ofSeconds(30));

  @Test
  void aFailedCommandCarriesItsCommandLineExitCodeAndStderr() {
    assertThatThrownBy(() -> git.run(tempDir, "rev-parse", "--verify", "no-such-ref"))
        .isInstanceOfSatisfying(
            GitCommandException.class,
            failure -> {
              assertThat(failure.commandLine())
                  .isEqualTo("git --no-pager -C " + tempDir + " rev-parse --verify no-such-ref");
              assertThat(failure.exitCode()).isEqualTo(128);
              assertThat(failure.stderr()).contains("not a git repository");
              assertThat(failure.getMessage())
                  .startsWith(failure.commandLine() + " failed with exit code 128: fatal:");
            });
  }

  @Test
  void aCommandThatHangsIsKilledAtTheTimeout() {
    Git impatient = Git.withOverrides(Map.of(), Duration.ofMillis(300));
    long started = System.nanoTime();

    assertThatThrownBy(() -> impatient.run(tempDir, "-c", "alias.wait=!sleep 30", "wait"))
        .isInstanceOf(GitCommandException.class)
        .hasMessageContaining("timed out after");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void gitRunsWithoutPromptsEditorsOrPagers() {
    String environment = git.run(tempDir, "-c", "alias.environment=!env", "environment").stdout();

    assertThat(environment.lines())
        .contains(
            "GIT_TERMINAL_PROMPT=0", "GIT_EDITOR=true", "GIT_PAGER=cat", "PAGER=cat", "LC_ALL=C")
        .noneMatch(line -> line.startsWith("GIT_WORK_TREE=") || line.startsWith("GIT_INDEX_FILE="));
  }

  @Test
  void gitConfinedToAFolderNeverFindsTheRepositoryAroundIt() {
    git.run(tempDir, "init", "--quiet");
    Path inner = tempDir.resolve("inner");
    inner.toFile().mkdirs();

    assertThat(git.tryRun(inner, "rev-parse", "--show-toplevel").out())
        .isEqualTo(tempDir.toString());
    assertThat(git.confinedTo(inner).tryRun(inner, "rev-parse", "--show-toplevel").succeeded())
        .isFalse();
  }
}
