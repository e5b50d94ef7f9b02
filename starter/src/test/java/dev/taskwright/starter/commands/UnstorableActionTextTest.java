package dev.taskwright.starter.commands;

import static dev.taskwright.starter.support.Refusals.assertRefused;

import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.LedgerSeed;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An answer, feedback, guidance or reason holding a NUL or a lone surrogate is refused with exit 2
 * before any server is asked (here there is none: sending would be exit 5), whether it comes as
 * words, from a file or from standard input.
 */
class UnstorableActionTextTest {

  @TempDir Path folder;

  private CliRun cli() {
    return CliRun.with().home(folder.resolve("home")).temporal(LedgerSeed.NO_TEMPORAL).in(folder);
  }

  @Test
  void answerWordsWithANulAreRefused() {
    assertRefused(
        cli().run("answer", "some-task", "use\0blue"),
        ExitCodes.BAD_INPUT,
        "the answer to the agent's question holds a NUL character (\\0) at character 4, which git"
            + " and PostgreSQL cannot store");
  }

  @Test
  void answerFromStandardInputWithANulIsRefused() {
    assertRefused(
        cli().stdin("blue\0\n").run("answer", "some-task", "-f", "-"),
        ExitCodes.BAD_INPUT,
        "(standard input) holds a NUL character (\\0) at character 5");
  }

  @Test
  void rejectRetryAndAbandonTextsFromAFileAreRefused() throws Exception {
    Files.writeString(folder.resolve("words.txt"), "try again\0");
    for (String action : new String[] {"reject", "retry", "abandon"}) {
      assertRefused(
          cli().run(action, "some-task", "-f", "words.txt"),
          ExitCodes.BAD_INPUT,
          "(words.txt) holds a NUL character (\\0)");
    }
  }

  @Test
  void aLoneSurrogateIsRefused() {
    assertRefused(
        cli().run("reject", "some-task", "bad \udc00 half"),
        ExitCodes.BAD_INPUT,
        "holds a lone surrogate (\\udc00) at character 5");
  }
}
