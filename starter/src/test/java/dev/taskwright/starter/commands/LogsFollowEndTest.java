package dev.taskwright.starter.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.starter.support.CliRun;
import dev.taskwright.starter.support.TaskSandbox;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code logs -f} ends by itself once the task has ended and its last run is printed, and keeps
 * following a task that is READY (or BLOCKED): it may run again.
 */
class LogsFollowEndTest {

  @RegisterExtension static final TaskSandbox sandbox = TaskSandbox.withWorker();

  private static String talker(String name) throws Exception {
    return sandbox.script(
        name, "cat > /dev/null\necho 'hello from the agent'\necho done > " + name + ".txt\n");
  }

  @Test
  void followingAnEndedTaskPrintsItsRunsAndExits() throws Exception {
    var run =
        sandbox
            .cli()
            .run(
                "run",
                "--id",
                "ended-task",
                "--auto-accept",
                "--wait",
                "--command",
                talker("ended"),
                "Say hello");
    assertThat(run.exitCode()).as(run.toString()).isZero();

    CliRun.Background logs = sandbox.cli().start("logs", "ended-task", "-f");
    CliRun.Result result = logs.result().get(30, TimeUnit.SECONDS);

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).contains("== run 1 ==", "hello from the agent");
    assertThat(result.err())
        .contains("Task ended-task has ended (COMPLETED); its last run is above.");
  }

  @Test
  void aReadyTaskIsFollowedUntilItEnds() throws Exception {
    var run =
        sandbox
            .cli()
            .run("run", "--id", "ready-task", "--wait", "--command", talker("ready"), "Say hello");
    assertThat(run.exitCode()).as(run.toString()).isZero();

    CliRun.Background logs = sandbox.cli().start("logs", "ready-task", "-f");
    logs.awaitOut("hello from the agent", Duration.ofSeconds(30));
    // Three end checks go by: READY may run again (reject, retry), so -f keeps following.
    Thread.sleep(3_000);
    assertThat(logs.result()).as("still following a READY task").isNotDone();

    var accept = sandbox.cli().run("accept", "ready-task");
    assertThat(accept.exitCode()).as(accept.toString()).isZero();
    CliRun.Result result = logs.result().get(30, TimeUnit.SECONDS);

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.err()).contains("Task ready-task has ended (COMPLETED)");
  }
}
