package dev.taskwright.layerfixture.commands;

/** A command, for StarterLayersTest's fixture. */
public final class SomeCommand {
  private SomeCommand() {}

  public static String name() {
    return "some";
  }
}
