package dev.taskwright.starter;

import dev.taskwright.activities.InvalidInputException;
import dev.taskwright.starter.plan.KeySuggestion;
import dev.taskwright.starter.task.Durations;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/**
 * Builds the picocli command line, with the error handling every command shares: a failure becomes
 * one line on stderr and a named exit code; stack traces only with {@code --verbose} or {@code
 * TASKWRIGHT_DEBUG}.
 */
public final class Cli {
  private Cli() {}

  public static CommandLine commandLine(CliEnvironment environment, StopSignal stopSignal) {
    TaskwrightCommand root = new TaskwrightCommand(environment, stopSignal);
    CommandLine commandLine = new CommandLine(root);
    commandLine.registerConverter(Duration.class, new Durations());
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.setParameterExceptionHandler(usageErrors(root));
    commandLine.setExecutionExceptionHandler(failures(root));
    commandLine.setExecutionStrategy(
        parseResult -> {
          if (root.verbose()) {
            Logging.verbose();
          }
          return new CommandLine.RunLast().execute(parseResult);
        });
    return commandLine;
  }

  private static IParameterExceptionHandler usageErrors(TaskwrightCommand root) {
    return (ParameterException e, String[] args) -> {
      CommandLine command = e.getCommandLine();
      PrintWriter err = command.getErr();
      err.println(
          "taskwright: "
              + oneLine(reason(e, command))
              + " (see `"
              + command.getCommandSpec().qualifiedName()
              + " --help`)");
      if (root.verbose()) {
        e.printStackTrace(err);
      }
      err.flush();
      return ExitCodes.BAD_INPUT;
    };
  }

  /**
   * The longest usage error printed: picocli repeats the wrong value, which may be a pasted
   * megabyte.
   */
  static final int MAX_USAGE_ERROR_LENGTH = 300;

  /**
   * What was wrong with the command line. picocli checks required parameters before it reports
   * unknown options, so {@code taskwright status --bogus} would say the ID is missing when the
   * mistake is the option; and an unknown command would be an "unmatched argument".
   */
  private static String reason(ParameterException e, CommandLine command) {
    if (e instanceof CommandLine.MissingParameterException) {
      for (String unmatched : command.getUnmatchedArguments()) {
        if (unmatched.startsWith("-")) {
          return "Unknown option: '" + unmatched + "'";
        }
      }
    }
    if (e instanceof CommandLine.UnmatchedArgumentException unmatched
        && command.getParent() == null
        && !unmatched.getUnmatched().isEmpty()
        && !unmatched.getUnmatched().get(0).startsWith("-")) {
      String word = unmatched.getUnmatched().get(0);
      // Our own "closest", as for task-file keys: picocli's suggestions name unrelated commands.
      String closest = KeySuggestion.closest(word, command.getSubcommands().keySet());
      return "'"
          + word
          + "' is not a taskwright command"
          + (closest == null
              ? "; the commands are " + String.join(", ", command.getSubcommands().keySet())
              : "; did you mean " + closest + "?");
    }
    return e.getMessage();
  }

  /**
   * One line, whatever the user typed: line breaks shown as {@code \n}, and cut at {@link
   * #MAX_USAGE_ERROR_LENGTH}.
   */
  static String oneLine(String message) {
    String line = Terminal.line(String.valueOf(message).replaceAll("\\R", "\\\\n"));
    return line.length() <= MAX_USAGE_ERROR_LENGTH
        ? line
        : line.substring(0, MAX_USAGE_ERROR_LENGTH - 1) + "…";
  }

  private static IExecutionExceptionHandler failures(TaskwrightCommand root) {
    return (Exception e, CommandLine command, CommandLine.ParseResult parseResult) -> {
      PrintWriter err = command.getErr();
      int exitCode;
      if (e instanceof CliException failure) {
        err.println("taskwright: " + Terminal.lines(failure.getMessage()));
        exitCode = failure.exitCode();
      } else if (e instanceof InvalidInputException invalid) {
        err.println("taskwright: " + Terminal.lines(invalid.getMessage()));
        exitCode = ExitCodes.BAD_INPUT;
      } else if (isConnectionLost(e)) {
        err.println(
            "taskwright: lost the connection to Temporal ("
                + Terminal.line(rootCause(e).getMessage())
                + "); check that the server is still running, then try again");
        exitCode = ExitCodes.UNREACHABLE;
      } else {
        err.println(
            "taskwright: internal error: "
                + Terminal.line(String.valueOf(e))
                + " (run again with --verbose for the details)");
        exitCode = ExitCodes.INTERNAL;
      }
      if (root.verbose()) {
        e.printStackTrace(err);
      }
      err.flush();
      return exitCode;
    };
  }

  private static boolean isConnectionLost(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof StatusRuntimeException status) {
        Status.Code code = status.getStatus().getCode();
        return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
      }
    }
    return false;
  }

  private static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }
}
