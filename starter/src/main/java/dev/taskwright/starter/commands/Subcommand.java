package dev.taskwright.starter.commands;

import dev.taskwright.starter.CliEnvironment;
import dev.taskwright.starter.TaskwrightCommand;
import dev.taskwright.starter.temporal.TemporalConnection;
import dev.taskwright.starter.temporal.TemporalSettings;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every subcommand shares: the environment, the output writers picocli captures in tests, and the connection. */
abstract class Subcommand implements Callable<Integer> {

  @ParentCommand TaskwrightCommand root;

  @Spec CommandSpec spec;

  CliEnvironment environment() {
    return root.environment();
  }

  /** Results: what a script reads. */
  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Progress, hints and errors: what a person reads. */
  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  TemporalSettings temporalSettings() {
    return TemporalSettings.fromEnvironment(environment());
  }

  /** Connects to the configured server, or fails with exit code 5 and what to do. */
  TemporalConnection connect() {
    return TemporalConnection.connect(temporalSettings());
  }
}
