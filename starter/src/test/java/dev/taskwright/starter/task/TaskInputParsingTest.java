package dev.taskwright.starter.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwright.starter.CliException;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.workflows.TaskIds;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/**
 * The small parsers behind {@code run}: made-up task IDs, durations, the command driver's words.
 */
class TaskInputParsingTest {

  @Test
  void madeUpIdsAreValidSlugsOfTheTitleWithARandomSuffix() {
    Random random = new Random(42);
    assertThat(TaskIdSuggestion.from("Fix the login bug!", random))
        .matches("fix-the-login-bug-[a-z0-9]{5}");
    assertThat(TaskIdSuggestion.from("Ünïcödé   café -- déjà vu", random))
        .matches("unicode-cafe-deja-vu-[a-z0-9]{5}");
    assertThat(TaskIdSuggestion.from("!!!", random)).matches("task-[a-z0-9]{5}");
    assertThat(TaskIdSuggestion.from("日本語のタスク", random)).matches("task-[a-z0-9]{5}");
    String long_ =
        TaskIdSuggestion.from(
            "Refactor the payment service so that every retry is idempotent and logged", random);
    assertThat(long_).matches("refactor-the-payment-service-so-that-[a-z0-9]{5}");
    assertThat(TaskIds.isValid(long_)).isTrue();
    assertThat(TaskIdSuggestion.from("same", random))
        .isNotEqualTo(TaskIdSuggestion.from("same", random));
  }

  @Test
  void durationsReadTheWayPeopleWriteThem() {
    assertThat(Durations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("15m")).isEqualTo(Duration.ofMinutes(15));
    assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("PT45M")).isEqualTo(Duration.ofMinutes(45));
    for (String bad : List.of("", "10", "1d", "h", "0m", "-1h", "1h 30m", "PTX")) {
      assertThatThrownBy(() -> Durations.parse(bad))
          .as(bad)
          .isInstanceOf(TypeConversionException.class)
          .hasMessageContaining("90s");
    }
  }

  @Test
  void durationsAreWrittenBrieflyInTheirLargestUnits() {
    assertThat(Durations.brief(Duration.ofSeconds(45), 2)).isEqualTo("45s");
    assertThat(Durations.brief(Duration.ofSeconds(80), 2)).isEqualTo("1m 20s");
    assertThat(Durations.brief(Duration.ofSeconds(65), 2)).isEqualTo("1m 05s");
    assertThat(Durations.brief(Duration.ofMinutes(185), 2)).isEqualTo("3h 05m");
    assertThat(Durations.brief(Duration.ofHours(52), 2)).isEqualTo("2d 4h");
    assertThat(Durations.brief(Duration.ofHours(52), 1)).isEqualTo("2d");
    assertThat(Durations.brief(Duration.ofMinutes(59).plusSeconds(59), 1)).isEqualTo("59m");
    assertThat(Durations.brief(Duration.ZERO, 1)).isEqualTo("0s");
    assertThat(Durations.brief(Duration.ofSeconds(-5), 2)).as("clocks apart").isEqualTo("0s");
  }

  @Test
  void sinceReadsHowLongAgoADayATimeOrAll() {
    Instant now = Instant.parse("2026-11-20T12:00:00Z");
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    assertThat(Since.parse("2d", now, berlin)).isEqualTo(Instant.parse("2026-11-18T12:00:00Z"));
    assertThat(Since.parse("1d12h", now, berlin)).isEqualTo(Instant.parse("2026-11-19T00:00:00Z"));
    assertThat(Since.parse("90m", now, berlin)).isEqualTo(Instant.parse("2026-11-20T10:30:00Z"));
    assertThat(Since.parse("PT1H", now, berlin)).isEqualTo(Instant.parse("2026-11-20T11:00:00Z"));
    assertThat(Since.parse("2026-11-01", now, berlin))
        .as("midnight in the zone")
        .isEqualTo(Instant.parse("2026-10-31T23:00:00Z"));
    assertThat(Since.parse("2026-11-01T09:30", now, berlin))
        .isEqualTo(Instant.parse("2026-11-01T08:30:00Z"));
    assertThat(Since.parse("2026-11-01T09:30:00Z", now, berlin))
        .isEqualTo(Instant.parse("2026-11-01T09:30:00Z"));
    assertThat(Since.parse("2026-11-01T09:30:00+05:00", now, berlin))
        .isEqualTo(Instant.parse("2026-11-01T04:30:00Z"));
    assertThat(Since.parse("all", now, berlin)).isNull();
    for (String bad :
        List.of("", "yesterday", "2d 3h", "d", "2026-13-01", "2026-11-01T25:00", "12")) {
      assertThatThrownBy(() -> Since.parse(bad, now, berlin))
          .as(bad)
          .isInstanceOf(CliException.class)
          .hasMessageContaining("is not a time")
          .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(ExitCodes.BAD_INPUT));
    }
  }

  @Test
  void tableCellsAreOneLineCutWithAnEllipsis() {
    assertThat(TextTable.cell("short", 10)).isEqualTo("short");
    assertThat(TextTable.cell("Which one?\n- a\n- b", 40)).isEqualTo("Which one? - a - b");
    assertThat(TextTable.cell("0123456789abc", 10)).isEqualTo("012345678…");
    assertThat(TextTable.cell(null, 10)).isEmpty();
    assertThat(new TextTable("NAME", ">N").add("a", "1").add("bbb", "100").lines())
        .containsExactly("NAME    N", "a       1", "bbb   100");
  }

  @Test
  void commandWordsSplitLikeAShellWithoutOne() {
    assertThat(CommandWords.split("./fix.sh --all")).containsExactly("./fix.sh", "--all");
    assertThat(CommandWords.split("python3 'my script.py' \"a \\\"quoted\\\" arg\""))
        .containsExactly("python3", "my script.py", "a \"quoted\" arg");
    assertThat(CommandWords.split("echo $HOME *.txt; rm -rf /"))
        .containsExactly("echo", "$HOME", "*.txt;", "rm", "-rf", "/");
    assertThat(CommandWords.split("a\\ b ''")).containsExactly("a b", "");
    assertThat(CommandWords.split("   ")).isEmpty();
    assertThatThrownBy(() -> CommandWords.split("say 'unfinished"))
        .hasMessageContaining("unclosed");
  }

  @Test
  void titlesAreTheFirstLineCutToLength() {
    assertThat(TaskPlanner.title(null, "\n  Fix it\nMore detail")).isEqualTo("Fix it");
    assertThat(TaskPlanner.title("  Given title ", "prompt")).isEqualTo("Given title");
    assertThat(TaskPlanner.title(null, "x".repeat(100)))
        .hasSize(TaskPlanner.TITLE_LENGTH)
        .endsWith("…");
  }
}
