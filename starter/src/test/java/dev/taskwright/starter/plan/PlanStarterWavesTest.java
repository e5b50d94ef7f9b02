package dev.taskwright.starter.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwright.starter.task.PlannedTask;
import dev.taskwright.workflows.model.AgentConfig;
import dev.taskwright.workflows.model.TaskSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanStarterWavesTest {

  @Test
  void eachTaskStartsInAWaveAfterAllItsDependenciesAndInThePlansOrderWithinIt() {
    List<PlannedTask> plan =
        List.of(
            task("a"),
            task("b", "a"),
            task("c", "b"),
            task("d"),
            task("e", "a", "d"),
            task("f", "outside-the-plan"));

    assertThat(PlanStarter.waves(plan))
        .extracting(wave -> wave.stream().map(task -> task.spec().id()).toList())
        .containsExactly(List.of("a", "d", "f"), List.of("b", "e"), List.of("c"));
  }

  @Test
  void aPlanWithoutDependenciesIsOneWave() {
    assertThat(PlanStarter.waves(List.of(task("a"), task("b"), task("c")))).hasSize(1);
  }

  private static PlannedTask task(String id, String... dependsOn) {
    TaskSpec spec =
        TaskSpec.builder()
            .id(id)
            .title("Task " + id)
            .prompt("Do " + id)
            .repo("/tmp/repo")
            .baseRef("main")
            .agent(AgentConfig.claude(null))
            .autoAccept(true)
            .maxAttempts(1)
            .timeout(Duration.ofMinutes(30))
            .plan("plan")
            .dependsOn(List.of(dependsOn))
            .build();
    return new PlannedTask(spec, "c0ffee", null, null);
  }
}
