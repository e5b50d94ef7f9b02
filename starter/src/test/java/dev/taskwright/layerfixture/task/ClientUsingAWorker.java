package dev.taskwright.layerfixture.task;

import dev.taskwright.layerfixture.worker.WorkerUsingACommand;

/** Breaks the first of StarterLayers' rules: client code that uses the worker. */
public final class ClientUsingAWorker {
  private ClientUsingAWorker() {}

  public static String name() {
    return WorkerUsingACommand.class.getSimpleName();
  }
}
