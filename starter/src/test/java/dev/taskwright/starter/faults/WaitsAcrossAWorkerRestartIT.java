package dev.taskwright.starter.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.FaultSandbox;
import dev.taskwright.starter.support.GitRepos;
import dev.taskwright.starter.support.TaskInvariants;
import dev.taskwright.starter.support.WorkerProcess;
import dev.taskwright.testing.ModelReply;
import dev.taskwright.testing.ModelRequest;
import dev.taskwright.workflows.Prompts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tasks that wait hold no worker: one on a person's answer, one on another task, one on the durable
 * timer of a usage limit. The worker is killed with SIGKILL while all three wait, and a new one
 * started; the answer, the dependency and the timer each still wake their task, and all three
 * complete once, each in its own single session.
 */
class WaitsAcrossAWorkerRestartIT {

  /**
   * The usage limit's first backoff is one minute of real time; the rest is the work and a loaded
   * machine.
   */
  private static final Duration WITHIN = Duration.ofMinutes(4);

  @RegisterExtension final FaultSandbox sandbox = new FaultSandbox();

  @Test
  void aQuestionADependencyAndAUsageLimitTimerAllWakeTheirTasksAfterTheWorkerIsKilled()
      throws Exception {
    sandbox.model().script(this::reply);
    WorkerProcess first = sandbox.startWorker();
    String base = GitRepos.git(sandbox.repo(), "rev-parse", "HEAD");

    start("--id", "asks", "Task asks: write asks.txt in the tone the user picks");
    start("--id", "follows", "--depends-on", "asks", "Task follows: write follows.txt");
    start("--id", "limited", "Task limited: write limited.txt");
    sandbox.awaitState("asks", "BLOCKED", WITHIN);
    JsonNode limited = sandbox.awaitState("limited", "RATE_LIMITED", WITHIN);
    assertThat(sandbox.cli().statusJson("follows").path("state").asText()).isEqualTo("WAITING");

    first.kill();
    sandbox.startWorker();
    var answer = sandbox.cli().run("answer", "asks", "friendly");
    assertThat(answer.exitCode()).as(answer.toString()).isEqualTo(ExitCodes.OK);

    sandbox.awaitState("asks", "COMPLETED", WITHIN);
    sandbox.awaitState("follows", "COMPLETED", WITHIN);
    sandbox.awaitState("limited", "COMPLETED", WITHIN);
    TaskInvariants.assertFinishedOnce(sandbox, "asks", "COMPLETED", base, "asks.txt", "friendly\n");
    TaskInvariants.assertFinishedOnce(
        sandbox, "limited", "COMPLETED", base, "limited.txt", "limited\n");
    // The dependent's branch also holds what it waited for; its own commit is the one on top.
    TaskInvariants.assertFinishedOnce(
        sandbox,
        "follows",
        "COMPLETED",
        GitRepos.git(sandbox.repo(), "rev-parse", "taskwright/asks"),
        "follows.txt",
        "follows\n");
    assertThat(GitRepos.git(sandbox.repo(), "show", "taskwright/follows:asks.txt"))
        .isEqualTo("friendly");
    assertThat(limited.path("rateLimitResetAt").asText()).isNotBlank();
  }

  private void start(String... args) {
    String[] command = new String[args.length + 2];
    command[0] = "run";
    command[1] = "--auto-accept";
    System.arraycopy(args, 0, command, 2, args.length);
    var run = sandbox.cli().run(command);
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
  }

  /**
   * asks asks first; limited is rate limited until told to continue; each then writes its file and
   * sums up.
   */
  private ModelReply reply(ModelRequest request) {
    String id = TaskInvariants.taskOf(request);
    if (id == null) {
      return ModelReply.text("I was not given a task.");
    }
    // The answer comes as a prompt; the question's own options are in the conversation too.
    if (id.equals("asks")
        && request.userTexts().stream().noneMatch(text -> text.contains("friendly"))) {
      return request.assistantTurns() == 0
          ? ModelReply.askUserQuestion("Which tone?", "friendly", "formal")
          : ModelReply.text("Waiting for an answer.");
    }
    if (id.equals("limited") && !request.conversationContains(Prompts.CONTINUE_AFTER_USAGE_LIMIT)) {
      return ModelReply.rateLimited();
    }
    String file = id + ".txt";
    Path target = sandbox.worktree(id).resolve(file);
    String content = (id.equals("asks") ? "friendly" : id) + "\n";
    // A run stopped right after its write may not have seen the tool's answer; the file tells.
    if (!request.conversationContains("File created successfully") && !holds(target, content)) {
      return ModelReply.write(target, content);
    }
    return HeldAgent.summingUp(file);
  }

  private static boolean holds(Path file, String content) {
    try {
      return Files.isRegularFile(file) && Files.readString(file).equals(content);
    } catch (IOException e) {
      return false;
    }
  }
}
