package dev.taskwright.starter;

/** The {@code taskwright} executable. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int exitCode =
        Cli.commandLine(CliEnvironment.system(), StopSignal.onJvmShutdown()).execute(args);
    System.exit(exitCode);
  }
}
