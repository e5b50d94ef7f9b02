package dev.taskwright.starter.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwright.starter.CliEnvironment;
import dev.taskwright.starter.support.GitRepos;
import dev.taskwright.starter.task.PlannedTask;
import dev.taskwright.workflows.model.AgentConfig;
import dev.taskwright.workflows.model.TaskSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A good task file becomes the specs the workflows get: IDs, nesting, defaults, overrides,
 * repositories, start order.
 */
class TaskFilePlanTest {

  @TempDir Path folder;
  private Path repo;
  private Path home;
  private Path otherRepo;

  @BeforeEach
  void repositories() throws Exception {
    repo = GitRepos.create(folder.resolve("app")).toRealPath();
    home = Files.createDirectories(folder.resolve("home"));
    otherRepo = GitRepos.create(home.resolve("other")).toRealPath();
    GitRepos.git(otherRepo, "branch", "release");
  }

  private CliEnvironment environment() {
    return new CliEnvironment(
        Map.of("HOME", home.toString(), "TASKWRIGHT_CLAUDE_BIN", "/bin/true"), folder);
  }

  private static void copy(String resource, Path target) throws IOException {
    try (InputStream in = TaskFilePlanTest.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      Files.createDirectories(target.getParent());
      Files.write(target, in.readAllBytes());
    }
  }

  @Test
  void turnsAGoodFileIntoSpecsInDependencyOrder() throws Exception {
    copy("/taskfiles/good/billing-refactor.yaml", repo.resolve("billing-refactor.yaml"));

    Plan plan = TaskFiles.load("app/billing-refactor.yaml", environment());

    assertThat(plan.name()).isEqualTo("billing-refactor");
    assertThat(plan.tasks())
        .extracting(task -> task.spec().id())
        .containsExactly("schema", "api", "docs", "client");
    String main = GitRepos.git(repo, "rev-parse", "main");

    PlannedTask schema = plan.tasks().get(0);
    assertThat(schema.baseCommit()).isEqualTo(main);
    assertThat(schema.staticSummary()).isEqualTo("Add the invoices table");
    assertThat(schema.staticDetails())
        .contains(repo.toString(), "main", main, "./scripts/codemod.sh --all");
    assertThat(schema.spec())
        .isEqualTo(
            TaskSpec.builder()
                .id("schema")
                .title("Add the invoices table")
                .prompt("Add the invoices table with a migration.")
                .repo(repo.toString())
                .baseRef("main")
                .agent(AgentConfig.command(List.of("./scripts/codemod.sh", "--all")))
                .maxAttempts(3)
                .timeout(Duration.ofMinutes(30))
                .plan("billing-refactor")
                .build());

    TaskSpec api = plan.tasks().get(1).spec();
    AgentConfig sonnet = AgentConfig.claude("claude-sonnet-4-5");
    TaskSpec handlers =
        TaskSpec.builder()
            .id("api.handlers")
            .title("Handlers for the endpoints")
            .prompt("Handlers for the endpoints")
            .repo(repo.toString())
            .baseRef("main")
            .agent(sonnet)
            .autoAccept(true)
            .maxAttempts(1)
            .timeout(Duration.ofHours(2))
            .parentId("api")
            .plan("billing-refactor")
            .build();
    TaskSpec tests =
        TaskSpec.builder()
            .id("api.tests")
            .title("Tests for the endpoints")
            .prompt("Tests for the endpoints")
            .repo(repo.toString())
            .baseRef("main")
            .agent(sonnet)
            .maxAttempts(3)
            .timeout(Duration.ofHours(2))
            .parentId("api")
            .plan("billing-refactor")
            .dependsOn(List.of("api.handlers"))
            .build();
    assertThat(api)
        .isEqualTo(
            TaskSpec.builder()
                .id("api")
                .title("Invoice endpoints")
                .prompt("Invoice endpoints\nGET and POST /invoices, with validation.")
                .repo(repo.toString())
                .baseRef("main")
                .agent(sonnet)
                .maxAttempts(3)
                .timeout(Duration.ofHours(2))
                .plan("billing-refactor")
                .dependsOn(List.of("schema"))
                .subtasks(List.of(handlers, tests))
                .build());

    TaskSpec docs = plan.tasks().get(2).spec();
    assertThat(docs.title()).isEqualTo("Document the invoice API");
    assertThat(docs.autoAccept()).isTrue();
    assertThat(docs.dependsOn()).containsExactly("api");
    assertThat(docs.agent()).isEqualTo(sonnet);

    PlannedTask client = plan.tasks().get(3);
    assertThat(client.spec().repo()).isEqualTo(otherRepo.toString());
    assertThat(client.spec().baseRef()).isEqualTo("release");
    assertThat(client.baseCommit()).isEqualTo(GitRepos.git(otherRepo, "rev-parse", "release"));
    assertThat(client.spec().agent()).isEqualTo(AgentConfig.claude("claude-opus-4"));
    assertThat(client.spec().title()).isEqualTo("Bump the billing client");
  }

  @Test
  void aFileWithoutRepoWorksInTheRepositoryThatHoldsItFromItsCurrentBranch() throws Exception {
    GitRepos.git(repo, "checkout", "-q", "-b", "feature");
    Path file = repo.resolve("plans/q3 Billing.yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        """
        tasks:
          - id: one
            prompt: First
          - id: two
            prompt: Second
            dependsOn: [one]
        """);

    Plan plan = TaskFiles.load(file.toString(), environment());

    assertThat(plan.name()).as("made from the file name").isEqualTo("q3-billing");
    assertThat(plan.tasks()).extracting(task -> task.spec().repo()).containsOnly(repo.toString());
    assertThat(plan.tasks()).extracting(task -> task.spec().baseRef()).containsOnly("feature");
    assertThat(plan.tasks())
        .extracting(task -> task.spec().agent())
        .containsOnly(AgentConfig.claude(null));
    assertThat(plan.tasks())
        .extracting(task -> task.spec().maxAttempts())
        .containsOnly(TaskSpec.DEFAULT_MAX_ATTEMPTS);
    assertThat(plan.tasks())
        .extracting(task -> task.spec().timeout())
        .containsOnly(TaskSpec.DEFAULT_TIMEOUT);
    assertThat(plan.tasks()).extracting(task -> task.spec().autoAccept()).containsOnly(false);
  }

  @Test
  void aCommandOfItsOwnMakesATaskACommandTaskAndSubtasksInheritFromTheirParent() throws Exception {
    Path file = repo.resolve("plan.yaml");
    Files.writeString(
        file,
        """
        plan: nightly
        tasks:
          - id: codemod
            prompt: Run the codemod
            command: [./codemod.sh, "--all files"]
            autoAccept: true
            subtasks:
              - id: part-1
                prompt: First half
              - id: part-2
                prompt: Second half
                command: ./other.sh
                autoAccept: false
        """);

    TaskSpec codemod = TaskFiles.load(file.toString(), environment()).tasks().get(0).spec();

    assertThat(codemod.plan()).isEqualTo("nightly");
    assertThat(codemod.agent())
        .isEqualTo(AgentConfig.command(List.of("./codemod.sh", "--all files")));
    assertThat(codemod.subtasks())
        .extracting(TaskSpec::id)
        .containsExactly("codemod.part-1", "codemod.part-2");
    assertThat(codemod.subtasks().get(0).agent()).isEqualTo(codemod.agent());
    assertThat(codemod.subtasks().get(0).autoAccept())
        .as("subtasks skip review by default")
        .isTrue();
    assertThat(codemod.subtasks().get(1).agent())
        .isEqualTo(AgentConfig.command(List.of("./other.sh")));
    assertThat(codemod.subtasks().get(1).autoAccept()).isFalse();
  }

  /**
   * Issue 13, item 15: the old auto-accept (complete, keep the work on its branch) under a name
   * that says so.
   */
  @Test
  void completeWithoutMergeIsReadFromTheFileAndATaskThatAsksForReviewDoesNotInheritIt()
      throws Exception {
    Path file = repo.resolve("keep.yaml");
    Files.writeString(
        file,
        """
        completeWithoutMerge: true
        tasks:
          - id: kept
            prompt: Keep it on the branch
          - id: reviewed
            prompt: Review this one
            review: true
          - id: merged
            prompt: Merge this one
            autoAccept: true
        """);

    List<TaskSpec> specs =
        TaskFiles.load(file.toString(), environment()).tasks().stream()
            .map(task -> task.spec())
            .toList();

    assertThat(specs)
        .extracting(TaskSpec::completeWithoutMerge)
        .containsExactly(true, false, false);
    assertThat(specs).extracting(TaskSpec::autoAccept).containsExactly(false, false, true);
  }

  /** Issue 14: a task file sets every option run does, the idle timeout and budget included. */
  @Test
  void theIdleTimeoutAndTheBudgetAreSetInTheFileAndOverriddenByATask() throws Exception {
    Path file = repo.resolve("limits.yaml");
    Files.writeString(
        file,
        """
        idleTimeout: 5m
        maxBudgetUsd: 2.5
        tasks:
          - id: one
            prompt: First
          - id: two
            prompt: Second
            idleTimeout: 90s
            maxBudgetUsd: 0.75
        """);

    Plan plan = TaskFiles.load(file.toString(), environment());

    assertThat(plan.tasks())
        .extracting(task -> task.spec().idleTimeout())
        .containsExactly(Duration.ofMinutes(5), Duration.ofSeconds(90));
    assertThat(plan.tasks())
        .extracting(task -> task.spec().agent().maxBudgetUsd())
        .containsExactly(2.5, 0.75);
  }

  @Test
  void aBudgetThatIsNoLimitOrIsGivenToACommandAgentIsRefusedWhereItIsWritten() throws Exception {
    Path file = repo.resolve("bad-limits.yaml");
    Files.writeString(
        file,
        """
        tasks:
          - id: one
            prompt: First
            maxBudgetUsd: 0
          - id: two
            prompt: Second
            command: ./script.sh
            maxBudgetUsd: 1
        """);

    assertThatThrownBy(() -> TaskFiles.load(file.toString(), environment()))
        .isInstanceOfSatisfying(
            TaskFileException.class,
            refused ->
                assertThat(refused.problems())
                    .anySatisfy(
                        problem ->
                            assertThat(problem)
                                .contains(
                                    "bad-limits.yaml:4:19: tasks[0] (one): maxBudgetUsd 0.0 is not"
                                        + " a spending limit"))
                    .anySatisfy(
                        problem ->
                            assertThat(problem)
                                .contains(
                                    "tasks[1] (two): maxBudgetUsd is for agent claude, and this"
                                        + " task's agent is command")));
  }
}
