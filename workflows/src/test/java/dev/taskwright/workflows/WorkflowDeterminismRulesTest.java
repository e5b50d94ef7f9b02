package dev.taskwright.workflows;

import static dev.taskwright.workflows.WorkflowDeterminismRules.LOGS_THROUGH_WORKFLOW_GET_LOGGER;
import static dev.taskwright.workflows.WorkflowDeterminismRules.NO_HASH_ORDERED_COLLECTIONS;
import static dev.taskwright.workflows.WorkflowDeterminismRules.NO_HOST_ENVIRONMENT;
import static dev.taskwright.workflows.WorkflowDeterminismRules.NO_IO;
import static dev.taskwright.workflows.WorkflowDeterminismRules.NO_MUTABLE_STATIC_STATE_ELSEWHERE;
import static dev.taskwright.workflows.WorkflowDeterminismRules.NO_RANDOMNESS;
import static dev.taskwright.workflows.WorkflowDeterminismRules.NO_SYSTEM_TIME;
import static dev.taskwright.workflows.WorkflowDeterminismRules.NO_THREADS;
import static dev.taskwright.workflows.WorkflowDeterminismRules.NO_UNORDERED_ITERATION;
import static dev.taskwright.workflows.WorkflowDeterminismRules.STATIC_FIELDS_ARE_FINAL;
import static dev.taskwright.workflows.WorkflowDeterminismRules.STATIC_FIELDS_ARE_IMMUTABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The determinism rules can fail: each reports every violation planted in {@code
 * dev.taskwright.determinism.bad}, and none reports the deterministic alternatives in {@code
 * dev.taskwright.determinism.good}.
 */
class WorkflowDeterminismRulesTest {

  private static final JavaClasses BAD =
      new ClassFileImporter().importPackages("dev.taskwright.determinism.bad");
  private static final JavaClasses GOOD =
      new ClassFileImporter().importPackages("dev.taskwright.determinism.good");

  /**
   * For each rule, what it must report in the bad fixture: the call or field, as ArchUnit names it.
   */
  private static final List<Case> CASES =
      List.of(
          new Case(
              "NO_SYSTEM_TIME",
              NO_SYSTEM_TIME,
              List.of(
                  "calls method <java.lang.System.currentTimeMillis()>",
                  "calls method <java.time.Instant.now()>",
                  "calls constructor <java.util.Date.<init>()>",
                  "references method <java.lang.System.nanoTime()>")),
          new Case(
              "NO_RANDOMNESS",
              NO_RANDOMNESS,
              List.of(
                  "calls constructor <java.util.Random.<init>()>",
                  "calls method <java.lang.Math.random()>",
                  "calls method <java.util.UUID.randomUUID()>",
                  "calls method <java.util.concurrent.ThreadLocalRandom.current()>")),
          new Case(
              "NO_THREADS",
              NO_THREADS,
              List.of(
                  "calls method <java.lang.Thread.sleep(long)>",
                  "calls constructor <java.lang.Thread.<init>(java.lang.Runnable)>",
                  "calls method <java.lang.Thread.start()>",
                  "calls method <java.util.concurrent.Executors.newSingleThreadExecutor()>",
                  "calls method <java.util.List.parallelStream()>")),
          new Case(
              "NO_IO",
              NO_IO,
              List.of(
                  "calls method <java.nio.file.Files.readString(java.nio.file.Path)>",
                  "calls constructor <java.io.File.<init>(java.lang.String)>",
                  "calls method <java.io.File.exists()>",
                  "calls method <java.lang.ProcessBuilder.start()>")),
          new Case(
              "NO_HOST_ENVIRONMENT",
              NO_HOST_ENVIRONMENT,
              List.of(
                  "calls method <java.lang.System.getenv(java.lang.String)>",
                  "calls method <java.lang.System.getProperty(java.lang.String)>",
                  "calls method <java.lang.Integer.getInteger(java.lang.String)>",
                  "gets field <java.lang.System.out>")),
          new Case(
              "NO_UNORDERED_ITERATION",
              NO_UNORDERED_ITERATION,
              List.of(
                  "calls method <java.util.Set.iterator()>",
                  "calls method <java.util.HashMap.forEach(java.util.function.BiConsumer)>",
                  "calls method <java.util.Set.stream()>")),
          new Case(
              "NO_HASH_ORDERED_COLLECTIONS",
              NO_HASH_ORDERED_COLLECTIONS,
              List.of(
                  "calls constructor <java.util.HashMap.<init>()>",
                  "calls method <java.util.Set.of(java.lang.Object, java.lang.Object)>",
                  "calls method <java.util.stream.Collectors.toSet()>")),
          new Case(
              "STATIC_FIELDS_ARE_FINAL", STATIC_FIELDS_ARE_FINAL, List.of("BadWorkflowCode.runs>")),
          new Case(
              "STATIC_FIELDS_ARE_IMMUTABLE",
              STATIC_FIELDS_ARE_IMMUTABLE,
              List.of("BadWorkflowCode.SEEN> has type <java.util.List>")),
          new Case(
              "NO_MUTABLE_STATIC_STATE_ELSEWHERE",
              NO_MUTABLE_STATIC_STATE_ELSEWHERE,
              List.of(
                  "gets field <dev.taskwright.determinism.bad.BadWorkflowCode.runs>",
                  "sets field <dev.taskwright.determinism.bad.BadWorkflowCode.runs>")),
          new Case(
              "LOGS_THROUGH_WORKFLOW_GET_LOGGER",
              LOGS_THROUGH_WORKFLOW_GET_LOGGER,
              List.of("calls method <org.slf4j.LoggerFactory.getLogger(java.lang.Class)>")));

  /** A rule, by its field name, and what it must report in the bad fixture. */
  private record Case(String name, ArchRule rule, List<String> expected) {}

  static Stream<Arguments> cases() {
    return CASES.stream().map(c -> arguments(named(c.name(), c.rule()), c.expected()));
  }

  static Stream<Arguments> rules() {
    return CASES.stream().map(c -> arguments(named(c.name(), c.rule())));
  }

  @Test
  void everyRuleIsTriedOnTheBadFixture() {
    assertThat(CASES.stream().map(Case::rule))
        .containsExactlyInAnyOrderElementsOf(WorkflowDeterminismRules.ALL);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void eachRuleReportsEveryViolationPlantedInTheBadFixture(ArchRule rule, List<String> expected) {
    EvaluationResult result = rule.evaluate(BAD);

    assertThat(result.hasViolation()).isTrue();
    List<String> reported = result.getFailureReport().getDetails();
    for (String violation : expected) {
      assertThat(reported).as("reports %s", violation).anyMatch(line -> line.contains(violation));
    }
  }

  @ParameterizedTest
  @MethodSource("rules")
  void noRuleReportsTheDeterministicAlternatives(ArchRule rule) {
    EvaluationResult result = rule.evaluate(GOOD);

    assertThat(result.getFailureReport().getDetails()).isEmpty();
  }

  @Test
  void aViolationFailsTheTestWithTheCallTheLineAndTheReason() {
    assertThatThrownBy(() -> NO_SYSTEM_TIME.check(BAD))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(
            "calls method <java.lang.System.currentTimeMillis()> in (BadWorkflowCode.java:")
        .hasMessageContaining("because the clock differs when a history is replayed");
  }
}
