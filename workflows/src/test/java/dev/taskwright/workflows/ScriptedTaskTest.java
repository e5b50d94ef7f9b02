package dev.taskwright.workflows;

import static dev.taskwright.workflows.WorkflowTestSupport.COMMITTED;
import static dev.taskwright.workflows.WorkflowTestSupport.HOST;
import static dev.taskwright.workflows.WorkflowTestSupport.MERGED;
import static dev.taskwright.workflows.WorkflowTestSupport.REMOVED;
import static dev.taskwright.workflows.WorkflowTestSupport.WORKSPACE;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.taskwright.workflows.model.TaskSpec;
import dev.taskwright.workflows.ports.WorkspaceActivities;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * One task {@value #ID} on a test server, with workspace activities mocked to succeed (prepare,
 * commit, merge and cleanup; a test re-stubs what it needs to fail) and a {@link ScriptedAgent}.
 * Its history is recorded into the replay corpus when asked ({@link HistoryRecorder}).
 */
abstract class ScriptedTaskTest {

  static final String ID = "t1";

  TestWorkflowEnvironment env;
  final RecordingLedger ledger = new RecordingLedger();
  WorkspaceActivities workspace;
  ScriptedAgent agent;
  WorkflowStub stub;
  TaskWorkflow task;

  @BeforeEach
  void setUpTaskEnvironment() {
    env = TestWorkflowEnvironment.newInstance();
    Worker shared = WorkflowTestSupport.sharedWorker(env, ledger);
    Worker host = env.newWorker(Names.hostQueue(HOST));
    Worker agents = env.newWorker(Names.agentQueue(HOST));
    workspace = mock(WorkspaceActivities.class, withSettings().withoutAnnotations());
    when(workspace.prepare(any())).thenReturn(WORKSPACE);
    when(workspace.commit(any())).thenReturn(COMMITTED);
    when(workspace.merge(any())).thenReturn(MERGED);
    when(workspace.cleanup(any())).thenReturn(REMOVED);
    shared.registerActivitiesImplementations(workspace);
    host.registerActivitiesImplementations(workspace);
    agent = new ScriptedAgent(env);
    agents.registerActivitiesImplementations(agent);
    env.start();
  }

  @AfterEach
  void tearDownTaskEnvironment(TestInfo test) throws Exception {
    HistoryRecorder.recordIfAsked(env, ID, test);
    env.close();
  }

  /** Starts the task as the CLI does, by workflow type, and keeps its stubs. */
  void start(TaskSpec spec) {
    stub =
        env.getWorkflowClient()
            .newUntypedWorkflowStub("TaskWorkflow", WorkflowTestSupport.options(ID));
    stub.start(spec);
    task = env.getWorkflowClient().newWorkflowStub(TaskWorkflow.class, ID);
  }
}
