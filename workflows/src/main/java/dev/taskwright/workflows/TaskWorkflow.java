package dev.taskwright.workflows;

import dev.taskwright.workflows.model.ActionReceipt;
import dev.taskwright.workflows.model.DependencyOutcome;
import dev.taskwright.workflows.model.Reply;
import dev.taskwright.workflows.model.Subscription;
import dev.taskwright.workflows.model.TaskResult;
import dev.taskwright.workflows.model.TaskSpec;
import dev.taskwright.workflows.model.TaskView;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One task, top-level or subtask. Workflow ID = task ID.
 *
 * <p>Each action a person takes exists twice under one name: as an update, which is validated (a
 * rejected update leaves no trace in history) and answers the caller, and as a signal, which the
 * Temporal Web UI can send; a signal that does not fit the task's state is logged and ignored.
 */
@WorkflowInterface
public interface TaskWorkflow {

  @WorkflowMethod
  TaskResult run(TaskSpec spec);

  /** The task as it is now; answered from workflow state, also after the workflow closed. */
  @QueryMethod(name = Names.QUERY_VIEW)
  TaskView view();

  @UpdateMethod(name = Names.ANSWER)
  ActionReceipt answer(Reply answer);

  @UpdateValidatorMethod(updateName = Names.ANSWER)
  void validateAnswer(Reply answer);

  @SignalMethod(name = Names.ANSWER)
  void answerSignal(Reply answer);

  @UpdateMethod(name = Names.ACCEPT)
  ActionReceipt accept(Reply note);

  @UpdateValidatorMethod(updateName = Names.ACCEPT)
  void validateAccept(Reply note);

  @SignalMethod(name = Names.ACCEPT)
  void acceptSignal(Reply note);

  @UpdateMethod(name = Names.REJECT)
  ActionReceipt reject(Reply feedback);

  @UpdateValidatorMethod(updateName = Names.REJECT)
  void validateReject(Reply feedback);

  @SignalMethod(name = Names.REJECT)
  void rejectSignal(Reply feedback);

  @UpdateMethod(name = Names.RETRY)
  ActionReceipt retry(Reply guidance);

  @UpdateValidatorMethod(updateName = Names.RETRY)
  void validateRetry(Reply guidance);

  @SignalMethod(name = Names.RETRY)
  void retrySignal(Reply guidance);

  @UpdateMethod(name = Names.ABANDON)
  ActionReceipt abandon(Reply reason);

  @UpdateValidatorMethod(updateName = Names.ABANDON)
  void validateAbandon(Reply reason);

  @SignalMethod(name = Names.ABANDON)
  void abandonSignal(Reply reason);

  /**
   * Another task waits for this one: tell it with {@code dependencyFinished} when this task
   * finishes.
   */
  @SignalMethod(name = Names.SUBSCRIBE)
  void subscribe(Subscription subscription);

  /** A dependency of this task finished. */
  @SignalMethod(name = Names.DEPENDENCY_FINISHED)
  void dependencyFinished(DependencyOutcome outcome);
}
