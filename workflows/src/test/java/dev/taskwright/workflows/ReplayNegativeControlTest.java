package dev.taskwright.workflows;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptorBase;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.NonDeterministicException;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.Workflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The negative control of {@link ReplayTest}, as samples-java's {@code HelloActivityReplayTest} has
 * one: the same recorded history, replayed against a workflow changed the way an unguarded edit
 * changes it, must fail. Without it, a replay that silently checked nothing (a wrong file, a
 * history the replayer skips) would pass {@link ReplayTest} too.
 *
 * <p>The change is made by a worker interceptor around today's {@link TaskWorkflowImpl}, so the
 * control needs no second copy of the workflow and always tracks the real one.
 */
class ReplayNegativeControlTest {

  private static final Path MAIN_PATH =
      Path.of("src/test/resources/histories/main-path-commits-summarises-and-completes.json");

  @Test
  void theUnchangedWorkflowReplaysTheHistory() throws Exception {
    try (TestWorkflowEnvironment environment = environment(new WorkerInterceptorBase())) {
      assertThatCode(
              () ->
                  WorkflowReplayer.replayWorkflowExecution(
                      history(), environment, TaskWorkflowImpl.class))
          .doesNotThrowAnyException();
    }
  }

  /** An edit that adds a step (here a timer) before what the workflow did when it ran. */
  @Test
  void aWorkflowThatAddsATimerFailsReplay() throws Exception {
    WorkerInterceptorBase addsATimer =
        new WorkerInterceptorBase() {
          @Override
          public WorkflowInboundCallsInterceptor interceptWorkflow(
              WorkflowInboundCallsInterceptor next) {
            return new WorkflowInboundCallsInterceptorBase(next) {
              @Override
              public WorkflowOutput execute(WorkflowInput input) {
                Workflow.sleep(Duration.ofSeconds(1));
                return super.execute(input);
              }
            };
          }
        };
    try (TestWorkflowEnvironment environment = environment(addsATimer)) {
      assertThatThrownBy(
              () ->
                  WorkflowReplayer.replayWorkflowExecution(
                      history(), environment, TaskWorkflowImpl.class))
          .hasMessageContaining("error=" + NonDeterministicException.class.getName())
          .hasMessageContaining("COMMAND_TYPE_START_TIMER");
    }
  }

  /** An edit that calls a different activity where the history has another one. */
  @Test
  void aWorkflowThatCallsAnotherActivityFailsReplay() throws Exception {
    WorkerInterceptorBase renamesActivities =
        new WorkerInterceptorBase() {
          @Override
          public WorkflowInboundCallsInterceptor interceptWorkflow(
              WorkflowInboundCallsInterceptor next) {
            return new WorkflowInboundCallsInterceptorBase(next) {
              @Override
              public void init(WorkflowOutboundCallsInterceptor outbound) {
                super.init(
                    new WorkflowOutboundCallsInterceptorBase(outbound) {
                      @Override
                      public <R> ActivityOutput<R> executeActivity(ActivityInput<R> activity) {
                        return super.executeActivity(
                            new ActivityInput<>(
                                activity.getActivityName() + "Elsewhere",
                                activity.getResultClass(),
                                activity.getResultType(),
                                activity.getArgs(),
                                activity.getOptions(),
                                activity.getHeader()));
                      }
                    });
              }
            };
          }
        };
    try (TestWorkflowEnvironment environment = environment(renamesActivities)) {
      assertThatThrownBy(
              () ->
                  WorkflowReplayer.replayWorkflowExecution(
                      history(), environment, TaskWorkflowImpl.class))
          .hasMessageContaining("error=" + NonDeterministicException.class.getName())
          .hasMessageContaining("PrepareElsewhere");
    }
  }

  private static WorkflowExecutionHistory history() throws Exception {
    return WorkflowExecutionHistory.fromJson(Files.readString(MAIN_PATH));
  }

  private static TestWorkflowEnvironment environment(WorkerInterceptorBase interceptor) {
    return TestWorkflowEnvironment.newInstance(
        TestEnvironmentOptions.newBuilder()
            .setWorkerFactoryOptions(
                WorkerFactoryOptions.newBuilder().setWorkerInterceptors(interceptor).build())
            .build());
  }
}
