package dev.taskwright.starter.commands;

import static dev.taskwright.starter.support.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.CliRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Command lines that are wrong, on every command that takes them: unknown options, options without
 * their value, values that are not numbers, durations, times or formats. Each is exit 2 with one
 * line that names the option, and for picocli's own checks the {@code --help} to read, before the
 * command reaches anything: Temporal and the ledger point at a port where nothing listens, so a
 * command that got past its checks would say so with exit 5.
 */
class UsageErrorsTest {

  @TempDir static Path home;

  /** Every command, and the arguments it needs to get as far as its options. */
  private static final List<List<String>> COMMANDS =
      List.of(
          List.of("run", "do something"),
          List.of("status", "some-task"),
          List.of("answer", "some-task", "yes"),
          List.of("accept", "some-task"),
          List.of("reject", "some-task", "no"),
          List.of("retry", "some-task"),
          List.of("abandon", "some-task"),
          List.of("cancel", "some-task"),
          List.of("list"),
          List.of("show", "some-task"),
          List.of("logs", "some-task"),
          List.of("watch"),
          List.of("stats"),
          List.of("dev"),
          List.of("worker"),
          List.of("demo"));

  /** The commands that take a task ID. */
  private static final List<String> TAKE_AN_ID =
      List.of("status", "answer", "accept", "reject", "retry", "abandon", "cancel", "show", "logs");

  /** The commands with {@code --output}. */
  private static final List<List<String>> WITH_OUTPUT =
      List.of(
          List.of("status", "some-task"),
          List.of("list"),
          List.of("show", "some-task"),
          List.of("logs", "some-task"),
          List.of("watch"),
          List.of("stats"));

  private static CliRun cli() {
    return CliRun.with()
        .home(home)
        .temporal("127.0.0.1:1")
        .env("TASKWRIGHT_DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/taskwright")
        .env("TASKWRIGHT_CLAUDE_BIN", "/bin/true");
  }

  private static List<String> with(List<String> command, String... more) {
    List<String> args = new ArrayList<>(command);
    args.addAll(List.of(more));
    return args;
  }

  private static CliRun.Result run(List<String> args) {
    return cli().run(args.toArray(String[]::new));
  }

  static Stream<Arguments> unknownOptions() {
    return COMMANDS.stream().map(command -> Arguments.of(command.get(0), with(command, "--bogus")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unknownOptions")
  void anUnknownOptionIsNamedWithTheHelpToRead(String command, List<String> args) {
    assertRefused(
        run(args),
        ExitCodes.BAD_INPUT,
        "Unknown option: '--bogus'",
        "(see `taskwright " + command + " --help`)");
  }

  static Stream<Arguments> commandsThatTakeAnId() {
    return TAKE_AN_ID.stream().map(Arguments::of);
  }

  /** picocli finds the ID missing first; the mistake the user made is the option. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("commandsThatTakeAnId")
  void anUnknownOptionInsteadOfTheIdIsStillNamed(String command) {
    assertRefused(
        run(List.of(command, "--bogus")),
        ExitCodes.BAD_INPUT,
        "Unknown option: '--bogus'",
        "taskwright " + command + " --help");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commandsThatTakeAnId")
  void aMissingIdIsNamed(String command) {
    assertRefused(
        run(List.of(command)),
        ExitCodes.BAD_INPUT,
        "Missing required parameter",
        "'ID'",
        "taskwright " + command + " --help");
  }

  static Stream<Arguments> missingValues() {
    return Stream.of(
        Arguments.of(List.of("run", "do it", "--timeout"), "--timeout"),
        Arguments.of(List.of("run", "do it", "--id"), "--id"),
        Arguments.of(List.of("run", "do it", "--repo"), "--repo"),
        Arguments.of(List.of("run", "do it", "--base"), "--base"),
        Arguments.of(List.of("run", "do it", "--max-attempts"), "--max-attempts"),
        Arguments.of(List.of("run", "do it", "--max-budget-usd"), "--max-budget-usd"),
        Arguments.of(List.of("run", "do it", "--command"), "--command"),
        Arguments.of(List.of("run", "do it", "--depends-on"), "--depends-on"),
        Arguments.of(List.of("run", "-f"), "--file"),
        Arguments.of(List.of("status", "some-task", "-o"), "--output"),
        Arguments.of(List.of("answer", "some-task", "-f"), "--file"),
        Arguments.of(List.of("reject", "some-task", "--file"), "--file"),
        Arguments.of(List.of("list", "--limit"), "--limit"),
        Arguments.of(List.of("list", "--since"), "--since"),
        Arguments.of(List.of("list", "--state"), "--state"),
        Arguments.of(List.of("logs", "some-task", "--run"), "--run"),
        Arguments.of(List.of("watch", "--interval"), "--interval"),
        Arguments.of(List.of("stats", "--by"), "--by"),
        Arguments.of(List.of("dev", "--temporal"), "--temporal"),
        Arguments.of(List.of("worker", "--metrics-address"), "--metrics-address"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("missingValues")
  void anOptionWithoutItsValueIsNamed(List<String> args, String option) {
    assertRefused(
        run(args),
        ExitCodes.BAD_INPUT,
        "Missing required parameter for option '" + option + "'",
        "taskwright " + args.get(0) + " --help");
  }

  /** Each case: the command line, and what the one line must say. */
  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of(
            List.of("run", "--max-attempts", "two", "do it"),
            List.of("--max-attempts", "'two' is not an int", "--help")),
        Arguments.of(
            List.of("run", "--max-attempts", "99999999999", "do it"),
            List.of("--max-attempts", "is not an int")),
        Arguments.of(
            List.of("run", "--max-attempts", "-1", "do it"),
            List.of("--max-attempts must be 1 or more, not -1")),
        Arguments.of(
            List.of("run", "--max-budget-usd", "lots", "do it"),
            List.of("--max-budget-usd", "'lots' is not a double")),
        Arguments.of(
            List.of("run", "--max-budget-usd", "0", "do it"),
            List.of("--max-budget-usd 0.0 is not a spending limit")),
        Arguments.of(
            List.of("run", "--max-budget-usd", "NaN", "do it"),
            List.of("--max-budget-usd NaN is not a spending limit")),
        Arguments.of(
            List.of("run", "--max-budget-usd", "Infinity", "do it"),
            List.of("--max-budget-usd Infinity is not a spending limit")),
        Arguments.of(
            List.of("run", "--timeout", "10x", "do it"),
            List.of("--timeout", "'10x' is not a duration", "90s")),
        Arguments.of(
            List.of("run", "--timeout", "-5m", "do it"), List.of("--timeout", "is not a duration")),
        Arguments.of(
            List.of("run", "--agent", "codex", "do it"),
            List.of("unknown agent 'codex'", "claude or command")),
        Arguments.of(
            List.of("list", "--limit", "many"), List.of("--limit", "'many' is not an int")),
        Arguments.of(List.of("list", "--limit", "0"), List.of("--limit must be 1 or more, not 0")),
        Arguments.of(
            List.of("list", "--since", "soon"), List.of("--since 'soon' is not a time", "2d")),
        Arguments.of(List.of("list", "--state", "SLEEPING"), List.of("--state", "SLEEPING")),
        Arguments.of(List.of("list", "--plan", "Billing"), List.of("'Billing' is not a plan name")),
        Arguments.of(
            List.of("list", "--parent", "../x"), List.of("--parent '../x' is not a task ID")),
        Arguments.of(
            List.of("logs", "some-task", "--run", "two"), List.of("--run", "'two' is not an int")),
        Arguments.of(
            List.of("logs", "some-task", "--run", "0"), List.of("--run must be 1 or more, not 0")),
        Arguments.of(
            List.of("watch", "--interval", "0s"), List.of("--interval", "'0s' is not a duration")),
        Arguments.of(List.of("watch", "--interval", "500ms"), List.of("--interval")),
        Arguments.of(
            List.of("stats", "--by", "planet"), List.of("--by", "'planet'", "DAY, REPO, AGENT")),
        Arguments.of(
            List.of("stats", "--since", "yesterday"), List.of("--since 'yesterday' is not a time")),
        Arguments.of(
            List.of("worker", "--metrics-address", "not-a-port"),
            List.of("--metrics-address='not-a-port' is not a metrics address")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void aValueOfTheWrongKindIsNamed(List<String> args, List<String> phrases) {
    assertRefused(run(args), ExitCodes.BAD_INPUT, phrases.toArray(String[]::new));
  }

  static Stream<Arguments> badOutputs() {
    return WITH_OUTPUT.stream()
        .flatMap(
            command ->
                Stream.of("yaml", "JSON5", "")
                    .map(
                        value ->
                            Arguments.of(command.get(0), with(command, "--output", value), value)));
  }

  @ParameterizedTest(name = "{0} --output ''{2}''")
  @MethodSource("badOutputs")
  void anUnknownOutputFormatIsNamed(String command, List<String> args, String value) {
    assertRefused(
        run(args),
        ExitCodes.BAD_INPUT,
        "Invalid value for option '--output': expected text (or table) or json, not '"
            + value
            + "'",
        "taskwright " + command + " --help");
  }

  @Test
  void anUnknownCommandIsNamedWithTheNearestOne() {
    assertRefused(
        run(List.of("stauts", "some-task")),
        ExitCodes.BAD_INPUT,
        "'stauts' is not a taskwright command; did you mean status?",
        "taskwright --help");
    assertRefused(
        run(List.of("frobnicate")),
        ExitCodes.BAD_INPUT,
        "'frobnicate' is not a taskwright command; the commands are demo, dev, worker, run,"
            + " status");
    assertRefused(
        run(List.of("--bogus")),
        ExitCodes.BAD_INPUT,
        "Unknown option: '--bogus'",
        "taskwright --help");
  }

  @Test
  void aValueWithALineBreakOrAMegabyteStaysOneShortLine() {
    var newline = run(List.of("run", "--timeout", "10m\n--evil", "do it"));
    assertRefused(newline, ExitCodes.BAD_INPUT, "'10m\\n--evil' is not a duration");

    var huge = run(List.of("run", "--timeout", "9".repeat(1024 * 1024), "do it"));
    assertRefused(huge, ExitCodes.BAD_INPUT, "--timeout");
    assertThat(huge.err().strip().length())
        .as("cut, not a megabyte on the terminal")
        .isLessThan(400);
  }

  @Test
  void theRootCommandAloneShowsItsUsageAndIsExitTwo() {
    var result = run(List.of());
    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.err()).contains("Usage: taskwright", "Exit codes:").doesNotContain("\tat ");
  }
}
