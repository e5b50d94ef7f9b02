package dev.taskwright.layerfixture.worker;

import dev.taskwright.layerfixture.commands.SomeCommand;

/** Breaks the second of StarterLayers' rules: worker code that uses a command. */
public final class WorkerUsingACommand {
  private WorkerUsingACommand() {}

  public static String name() {
    return SomeCommand.name();
  }
}
