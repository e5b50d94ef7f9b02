package dev.taskwright.starter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.starter.ExitCodes;
import dev.taskwright.starter.support.GitRepos;
import dev.taskwright.starter.support.RealClaudeSandbox;
import dev.taskwright.testing.ModelReply;
import dev.taskwright.testing.ModelRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A three-task plan end to end with the REAL Claude Code CLI: {@code schema}, then {@code api}
 * which depends on it and has one subtask {@code api.docs}. Each agent writes a file named after
 * its task; the dependent's agent must find its dependency's file in its own worktree.
 */
class PlanEndToEndTest {

  /** The control-file paths in the appended system prompt name the task. */
  private static final Pattern TASK_IN_PROMPT =
      Pattern.compile("/runs/([a-z0-9][a-z0-9.-]*)/question\\.json");

  @RegisterExtension final RealClaudeSandbox sandbox = new RealClaudeSandbox();

  /** For each task, whether its worktree held the schema file when its agent first ran. */
  private final Map<String, Boolean> sawSchema = new ConcurrentHashMap<>();

  private ModelReply reply(ModelRequest request) {
    Matcher task = TASK_IN_PROMPT.matcher(request.systemPrompt());
    if (!task.find()) {
      return ModelReply.text("no task named in the system prompt");
    }
    String id = task.group(1);
    if (request.assistantTurns() > 0) {
      return ModelReply.text("Done.\n\n## Summary\nWrote " + id + ".txt");
    }
    Path worktree = sandbox.worktree(id);
    sawSchema.put(id, Files.exists(worktree.resolve("schema.txt")));
    return ModelReply.write(worktree.resolve(id + ".txt"), "written by " + id + "\n");
  }

  @Test
  void aPlanWithADependencyAndASubtaskCommitsEveryTaskAndTheDependentBuildsOnItsDependency()
      throws Exception {
    sandbox.model().script(this::reply);
    Path plan = sandbox.home().getParent().resolve("plan.yaml");
    Files.writeString(
        plan,
        """
        repo: %s
        autoAccept: true
        tasks:
          - id: api
            prompt: Write api.txt, using the schema.
            dependsOn: [schema]
            subtasks:
              - id: docs
                prompt: Write api.docs.txt documenting the API.
          - id: schema
            prompt: Write schema.txt.
        """
            .formatted(sandbox.repo()));

    var run = sandbox.cli().run("run", "-f", plan.toString(), "--wait");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    Path repo = sandbox.repo();
    assertThat(GitRepos.git(repo, "show", "taskwright/schema:schema.txt"))
        .isEqualTo("written by schema");
    assertThat(GitRepos.git(repo, "show", "taskwright/api:api.txt")).isEqualTo("written by api");
    assertThat(GitRepos.git(repo, "show", "taskwright/api:schema.txt"))
        .as("the dependent built on its dependency")
        .isEqualTo("written by schema");
    assertThat(GitRepos.git(repo, "show", "taskwright/api:api.docs.txt"))
        .as("the subtask was merged into its parent")
        .isEqualTo("written by api.docs");
    assertThat(GitRepos.git(repo, "show", "taskwright/api.docs:api.docs.txt"))
        .isEqualTo("written by api.docs");
    assertThat(sawSchema)
        .containsEntry("schema", false)
        .containsEntry("api", true)
        .containsEntry("api.docs", true);
    for (String id : new String[] {"schema", "api", "api.docs"}) {
      var status = sandbox.cli().run("status", id);
      assertThat(status.out()).as(id).contains("COMPLETED");
    }
    var parentTable = sandbox.cli().run("status", "api");
    assertThat(parentTable.out())
        .containsPattern("Depends on +schema  COMPLETED")
        .containsPattern("Subtasks +api.docs  COMPLETED");
    assertThat(sandbox.cli().run("status", "api.docs").out()).containsPattern("Parent +api");
    var parent = sandbox.cli().run("status", "api", "--output", "json");
    assertThat(parent.out()).contains("\"api.docs\"", "\"schema\"");
  }
}
