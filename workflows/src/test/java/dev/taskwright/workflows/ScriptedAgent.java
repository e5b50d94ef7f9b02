package dev.taskwright.workflows;

import dev.taskwright.workflows.model.AgentOutcome;
import dev.taskwright.workflows.model.AgentRun;
import dev.taskwright.workflows.ports.AgentActivities;
import io.temporal.testing.TestWorkflowEnvironment;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An agent port for workflow tests that plays its outcomes in order and records each run with the
 * (possibly skipped) workflow-environment time at which it started.
 */
final class ScriptedAgent implements AgentActivities {

  /** One run as the agent saw it, and when. */
  record SeenRun(AgentRun run, long atMillis) {}

  private final TestWorkflowEnvironment env;
  private final ConcurrentLinkedDeque<Function<AgentRun, AgentOutcome>> script =
      new ConcurrentLinkedDeque<>();
  private final List<SeenRun> seen = new CopyOnWriteArrayList<>();

  ScriptedAgent(TestWorkflowEnvironment env) {
    this.env = env;
  }

  @SafeVarargs
  final ScriptedAgent then(Function<AgentRun, AgentOutcome>... outcomes) {
    for (Function<AgentRun, AgentOutcome> outcome : outcomes) {
      script.add(outcome);
    }
    return this;
  }

  @Override
  public AgentOutcome run(AgentRun run) {
    seen.add(new SeenRun(run, env.currentTimeMillis()));
    Function<AgentRun, AgentOutcome> next = script.pollFirst();
    if (next == null) {
      throw new AssertionError("the test scripted no outcome for run " + run.runNumber());
    }
    return next.apply(run);
  }

  List<SeenRun> seen() {
    return seen;
  }

  AgentRun run(int index) {
    return seen.get(index).run();
  }
}
