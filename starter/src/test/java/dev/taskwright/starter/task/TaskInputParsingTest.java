package dev.taskwright.starter.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwright.workflows.TaskIds;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** The small parsers behind {@code run}: made-up task IDs, durations, the command driver's words. */
class TaskInputParsingTest {

  @Test
  void madeUpIdsAreValidSlugsOfTheTitleWithARandomSuffix() {
    Random random = new Random(42);
    assertThat(TaskIdSuggestion.from("Fix the login bug!", random)).matches("fix-the-login-bug-[a-z0-9]{5}");
    assertThat(TaskIdSuggestion.from("Ünïcödé   café -- déjà vu", random)).matches("unicode-cafe-deja-vu-[a-z0-9]{5}");
    assertThat(TaskIdSuggestion.from("!!!", random)).matches("task-[a-z0-9]{5}");
    assertThat(TaskIdSuggestion.from("日本語のタスク", random)).matches("task-[a-z0-9]{5}");
    String long_ = TaskIdSuggestion.from("Refactor the payment service so that every retry is idempotent and logged", random);
    assertThat(long_).matches("refactor-the-payment-service-so-that-[a-z0-9]{5}");
    assertThat(TaskIds.isValid(long_)).isTrue();
    assertThat(TaskIdSuggestion.from("same", random)).isNotEqualTo(TaskIdSuggestion.from("same", random));
  }

  @Test
  void durationsReadTheWayPeopleWriteThem() {
    assertThat(Durations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("15m")).isEqualTo(Duration.ofMinutes(15));
    assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("PT45M")).isEqualTo(Duration.ofMinutes(45));
    for (String bad : List.of("", "10", "1d", "h", "0m", "-1h", "1h 30m", "PTX")) {
      assertThatThrownBy(() -> Durations.parse(bad)).as(bad).isInstanceOf(TypeConversionException.class).hasMessageContaining("90s");
    }
  }

  @Test
  void commandWordsSplitLikeAShellWithoutOne() {
    assertThat(CommandWords.split("./fix.sh --all")).containsExactly("./fix.sh", "--all");
    assertThat(CommandWords.split("python3 'my script.py' \"a \\\"quoted\\\" arg\"")).containsExactly("python3", "my script.py", "a \"quoted\" arg");
    assertThat(CommandWords.split("echo $HOME *.txt; rm -rf /")).containsExactly("echo", "$HOME", "*.txt;", "rm", "-rf", "/");
    assertThat(CommandWords.split("a\\ b ''")).containsExactly("a b", "");
    assertThat(CommandWords.split("   ")).isEmpty();
    assertThatThrownBy(() -> CommandWords.split("say 'unfinished")).hasMessageContaining("unclosed");
  }

  @Test
  void titlesAreTheFirstLineCutToLength() {
    assertThat(TaskPlanner.title(null, "\n  Fix it\nMore detail")).isEqualTo("Fix it");
    assertThat(TaskPlanner.title("  Given title ", "prompt")).isEqualTo("Given title");
    assertThat(TaskPlanner.title(null, "x".repeat(100))).hasSize(TaskPlanner.TITLE_LENGTH).endsWith("…");
  }
}
