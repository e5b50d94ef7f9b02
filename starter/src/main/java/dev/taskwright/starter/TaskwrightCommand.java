package dev.taskwright.starter;

import dev.taskwright.starter.commands.AbandonCommand;
import dev.taskwright.starter.commands.AcceptCommand;
import dev.taskwright.starter.commands.AnswerCommand;
import dev.taskwright.starter.commands.CancelCommand;
import dev.taskwright.starter.commands.DemoCommand;
import dev.taskwright.starter.commands.DevCommand;
import dev.taskwright.starter.commands.ListCommand;
import dev.taskwright.starter.commands.LogsCommand;
import dev.taskwright.starter.commands.RejectCommand;
import dev.taskwright.starter.commands.RetryCommand;
import dev.taskwright.starter.commands.RunCommand;
import dev.taskwright.starter.commands.ShowCommand;
import dev.taskwright.starter.commands.StatsCommand;
import dev.taskwright.starter.commands.StatusCommand;
import dev.taskwright.starter.commands.WatchCommand;
import dev.taskwright.starter.commands.WorkerCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code taskwright}: the root command. It holds what every subcommand shares: the environment, the
 * stop signal, verbosity.
 */
@Command(
    name = "taskwright",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Runs AI coding-agent tasks durably on Temporal.",
    subcommands = {
      DemoCommand.class,
      DevCommand.class,
      WorkerCommand.class,
      RunCommand.class,
      StatusCommand.class,
      ListCommand.class,
      ShowCommand.class,
      LogsCommand.class,
      WatchCommand.class,
      StatsCommand.class,
      AnswerCommand.class,
      AcceptCommand.class,
      RejectCommand.class,
      RetryCommand.class,
      AbandonCommand.class,
      CancelCommand.class
    },
    footer = {
      "",
      "Start with `taskwright demo`.",
      "",
      "Exit codes:",
      "  0  ok                          4  not valid in the task's current state",
      "  1  internal error              5  Temporal, a worker, the claude CLI or the",
      "  2  bad input                      task ledger's database unreachable",
      "  3  task not found              6  a followed task needs a person (BLOCKED,",
      "                                    READY after accept) or ended FAILED or",
      "                                    CANCELLED",
      "",
      "Environment:",
      "  TEMPORAL_ADDRESS (default 127.0.0.1:7233), TEMPORAL_NAMESPACE,",
      "  TEMPORAL_API_KEY, TEMPORAL_TLS_*, TEMPORAL_PROFILE: where Temporal is, as",
      "  for the temporal CLI.",
      "  TASKWRIGHT_HOME (default ~/.taskwright): worktrees, transcripts, logs.",
      "  TASKWRIGHT_CLAUDE_BIN: the Claude Code CLI, if not `claude` on PATH.",
      "  TASKWRIGHT_MAX_AGENTS (default 4): agents one worker runs at once.",
      "  TASKWRIGHT_DATABASE_URL (with _USER, _PASSWORD): the task ledger's",
      "  PostgreSQL, which list, show, watch and stats read; default: an embedded",
      "  one with its data in TASKWRIGHT_HOME/postgres."
    })
public final class TaskwrightCommand implements Callable<Integer> {

  private final CliEnvironment environment;
  private final StopSignal stopSignal;

  @Spec CommandSpec spec;

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description =
          "Show warnings from Temporal and stack traces of errors (also TASKWRIGHT_DEBUG=1).")
  boolean verbose;

  public TaskwrightCommand(CliEnvironment environment, StopSignal stopSignal) {
    this.environment = environment;
    this.stopSignal = stopSignal;
  }

  public CliEnvironment environment() {
    return environment;
  }

  public StopSignal stopSignal() {
    return stopSignal;
  }

  public boolean verbose() {
    return verbose || environment.debug();
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.BAD_INPUT;
  }
}
