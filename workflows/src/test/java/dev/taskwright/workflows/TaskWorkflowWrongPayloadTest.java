package dev.taskwright.workflows;

import static dev.taskwright.workflows.WorkflowTestSupport.HOST;
import static dev.taskwright.workflows.WorkflowTestSupport.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.taskwright.workflows.model.ActionReceipt;
import dev.taskwright.workflows.model.AgentConfig;
import dev.taskwright.workflows.model.AgentOutcome;
import dev.taskwright.workflows.model.AgentRun;
import dev.taskwright.workflows.model.AgentStatus;
import dev.taskwright.workflows.model.CleanupResult;
import dev.taskwright.workflows.model.CommitResult;
import dev.taskwright.workflows.model.DependencyLookup;
import dev.taskwright.workflows.model.PrepareInput;
import dev.taskwright.workflows.model.Question;
import dev.taskwright.workflows.model.Reply;
import dev.taskwright.workflows.model.TaskReason;
import dev.taskwright.workflows.model.TaskResult;
import dev.taskwright.workflows.model.TaskSpec;
import dev.taskwright.workflows.model.TaskState;
import dev.taskwright.workflows.model.Usage;
import dev.taskwright.workflows.model.Workspace;
import dev.taskwright.workflows.ports.TaskLookupActivities;
import dev.taskwright.workflows.ports.WorkspaceActivities;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Signals and updates with payloads the workflow does not expect, sent the way the Temporal Web UI
 * or a script would send them: straight to the workflow, with whatever JSON was typed. The task
 * must neither fail nor get stuck: a wrong update is refused with a message that says what was
 * wrong, a wrong signal is ignored, and a right one still works afterwards.
 */
class TaskWorkflowWrongPayloadTest {

  private static final String ID = "t1";
  private static final String QUESTION = "Which database?";

  /**
   * What the Web UI's input box might hold instead of {@code "text"} or {@code {"text": "..."}}.
   */
  private static final Map<String, Object> WRONG_TYPES = new LinkedHashMap<>();

  static {
    WRONG_TYPES.put("a number", 42);
    WRONG_TYPES.put("a boolean", true);
    WRONG_TYPES.put("a list", List.of("PostgreSQL"));
    WRONG_TYPES.put("text that is a number", Map.of("text", 5));
    WRONG_TYPES.put("text that is an object", Map.of("text", Map.of("value", "PostgreSQL")));
    WRONG_TYPES.put("text that is a list", Map.of("text", List.of("PostgreSQL")));
    WRONG_TYPES.put("an empty object", Map.of());
    WRONG_TYPES.put("an object without text", Map.of("answer", "PostgreSQL"));
  }

  /** Payloads that carry no words: right for accept or abandon, never for answer. */
  private static final Map<String, Object> NO_WORDS = new LinkedHashMap<>();

  static {
    NO_WORDS.put("null", null);
    NO_WORDS.put("an empty string", "");
    NO_WORDS.put("blank text", Map.of("text", "   "));
    NO_WORDS.put("text that is null", nullText());
  }

  private static Map<String, Object> nullText() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("text", null);
    return map;
  }

  private static final List<String> ACTIONS =
      List.of(Names.ANSWER, Names.ACCEPT, Names.REJECT, Names.RETRY, Names.ABANDON);

  private TestWorkflowEnvironment env;
  private final RecordingLedger ledger = new RecordingLedger();
  private final PlanAgent agent = new PlanAgent();

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    Worker shared = WorkflowTestSupport.sharedWorker(env, ledger);
    Worker host = env.newWorker(Names.hostQueue(HOST));
    Worker agents = env.newWorker(Names.agentQueue(HOST));

    WorkspaceActivities workspace =
        mock(WorkspaceActivities.class, withSettings().withoutAnnotations());
    when(workspace.prepare(any()))
        .thenAnswer(
            call -> {
              PrepareInput input = call.getArgument(0);
              return new Workspace(
                  "/wt/" + input.taskId(), Names.branch(input.taskId()), "base", HOST);
            });
    when(workspace.commit(any())).thenReturn(new CommitResult(List.of("c1"), "c1", List.of()));
    when(workspace.cleanup(any())).thenReturn(new CleanupResult(true, null));
    when(workspace.merge(any())).thenReturn(WorkflowTestSupport.MERGED);
    shared.registerActivitiesImplementations(workspace);
    host.registerActivitiesImplementations(workspace);
    agents.registerActivitiesImplementations(agent);
    TaskLookupActivities lookup =
        mock(TaskLookupActivities.class, withSettings().withoutAnnotations());
    when(lookup.lookup(anyString()))
        .thenAnswer(call -> new DependencyLookup(call.getArgument(0), false, false, null));
    shared.registerActivitiesImplementations(lookup);
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private static TaskSpec spec(String id, List<String> dependsOn) {
    return TaskSpec.builder()
        .id(id)
        .title("Task " + id)
        .prompt("Do " + id)
        .repo("/tmp/repo")
        .baseRef("main")
        .agent(AgentConfig.claude(null))
        .autoAccept(true)
        .maxAttempts(2)
        .timeout(Duration.ofMinutes(30))
        .idleTimeout(Duration.ofMinutes(15))
        .dependsOn(dependsOn)
        .build();
  }

  private static AgentOutcome asks(AgentRun run) {
    return new AgentOutcome(
        AgentStatus.QUESTION,
        run.sessionId(),
        null,
        null,
        new Question(QUESTION, List.of("PostgreSQL", "SQLite")),
        null,
        new Usage(1, 10, 1, 0, 0, 0.001),
        "/logs/run.jsonl",
        List.of());
  }

  private WorkflowStub start(TaskSpec spec) {
    WorkflowStub stub =
        env.getWorkflowClient()
            .newUntypedWorkflowStub("TaskWorkflow", WorkflowTestSupport.options(spec.id()));
    stub.start(spec);
    return stub;
  }

  private TaskWorkflow task(String id) {
    return env.getWorkflowClient().newWorkflowStub(TaskWorkflow.class, id);
  }

  /** A task whose agent asked a question: BLOCKED/QUESTION, where answer and abandon fit. */
  private WorkflowStub blockedOnAQuestion(String id) {
    agent.script(id, TaskWorkflowWrongPayloadTest::asks);
    WorkflowStub stub = start(spec(id, List.of()));
    awaitState(task(id), TaskState.BLOCKED);
    return stub;
  }

  private List<HistoryEvent> history(String id) {
    return env.getWorkflowClient().fetchHistory(id).getEvents();
  }

  /**
   * A workflow task that failed is how a workflow gets stuck: it is retried, and fails again,
   * forever.
   */
  private void assertNoWorkflowTaskFailed(String id) {
    assertThat(history(id))
        .extracting(HistoryEvent::getEventType)
        .doesNotContain(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
  }

  private void assertStillWaitsForTheAnswer(String id) {
    var view = task(id).view();
    assertThat(view.state()).isEqualTo(TaskState.BLOCKED);
    assertThat(view.reason()).isEqualTo(TaskReason.QUESTION);
    assertThat(view.question().text()).isEqualTo(QUESTION);
    assertThat(view.actions()).containsExactly(Names.ANSWER, Names.ABANDON);
    assertThat(agent.runsOf(id)).hasSize(1);
    assertNoWorkflowTaskFailed(id);
  }

  /**
   * Every signal a person can send, with every wrong payload, and for answer with no words either.
   */
  private void sendEveryWrongSignal(WorkflowStub stub) {
    for (String action : ACTIONS) {
      WRONG_TYPES.values().forEach(payload -> stub.signal(action, payload));
      if (!action.equals(Names.ABANDON)) {
        // Abandon needs no words, so these are right for it (and would end the task).
        NO_WORDS.values().forEach(payload -> stub.signal(action, payload));
        stub.signal(action);
      }
    }
  }

  @Test
  void signalsWithWrongPayloadsAreIgnoredAndTheRightAnswerStillResumesTheTask() {
    WorkflowStub stub = blockedOnAQuestion(ID);

    sendEveryWrongSignal(stub);

    // A query is answered only after every signal before it was handled.
    assertStillWaitsForTheAnswer(ID);
    // Fields the task does not know are ignored: what the Web UI adds does not spoil an answer.
    stub.signal(Names.ANSWER, Map.of("text", "PostgreSQL", "sentFrom", "web-ui"));
    assertThat(stub.getResult(TaskResult.class).state()).isEqualTo(TaskState.COMPLETED);
    assertThat(agent.runsOf(ID)).hasSize(2);
    assertThat(agent.runsOf(ID).get(1).prompt()).isEqualTo("PostgreSQL");
    assertNoWorkflowTaskFailed(ID);
  }

  @Test
  void updatesWithWrongPayloadsAreRefusedWithWhatWasWrongAndLeaveNoTrace() {
    blockedOnAQuestion(ID);
    WorkflowStub stub = env.getWorkflowClient().newUntypedWorkflowStub(ID);

    for (String action : ACTIONS) {
      for (var payload : WRONG_TYPES.entrySet()) {
        assertThatThrownBy(() -> stub.update(action, ActionReceipt.class, payload.getValue()))
            .as(action + " with " + payload.getKey())
            .isInstanceOf(WorkflowUpdateException.class)
            .rootCause()
            .hasMessageContaining("expected a JSON string or {\"text\": \"...\"}");
      }
    }
    for (var payload : NO_WORDS.entrySet()) {
      assertThatThrownBy(() -> stub.update(Names.ANSWER, ActionReceipt.class, payload.getValue()))
          .as("answer with " + payload.getKey())
          .isInstanceOf(WorkflowUpdateException.class)
          .rootCause()
          .hasMessageContaining("answer needs text");
      assertThatThrownBy(() -> stub.update(Names.ACCEPT, ActionReceipt.class, payload.getValue()))
          .as("accept with " + payload.getKey())
          .isInstanceOf(WorkflowUpdateException.class)
          .rootCause()
          .hasMessageContaining(
              "task t1 is BLOCKED/QUESTION; accept is valid only when the task is READY for"
                  + " review");
    }
    assertThatThrownBy(() -> stub.update(Names.ANSWER, ActionReceipt.class))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining("answer needs text");

    assertStillWaitsForTheAnswer(ID);
    assertThat(history(ID))
        .extracting(HistoryEvent::getEventType)
        .doesNotContain(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
    ActionReceipt receipt =
        stub.update(
            Names.ANSWER,
            ActionReceipt.class,
            Map.of("text", "PostgreSQL", "sentFrom", "a script"));
    assertThat(receipt.state()).isEqualTo(TaskState.BLOCKED);
    assertThat(stub.getResult(TaskResult.class).state()).isEqualTo(TaskState.COMPLETED);
    assertThat(agent.runsOf(ID).get(1).prompt()).isEqualTo("PostgreSQL");
  }

  @Test
  void aMegabyteAnswerIsRefusedAsAnUpdateAndIgnoredAsASignal() {
    WorkflowStub stub = blockedOnAQuestion(ID);
    String megabyte = "x".repeat(1024 * 1024);

    assertThatThrownBy(() -> task(ID).answer(new Reply(megabyte)))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining(
            "answer text is too long ("
                + megabyte.length()
                + " characters; at most "
                + Reply.MAX_LENGTH
                + ")");
    stub.signal(Names.ANSWER, megabyte);
    stub.signal(Names.ANSWER, Map.of("text", megabyte));

    assertStillWaitsForTheAnswer(ID);
    task(ID).answer(new Reply("PostgreSQL"));
    assertThat(stub.getResult(TaskResult.class).state()).isEqualTo(TaskState.COMPLETED);
    assertThat(agent.runsOf(ID).get(1).prompt()).isEqualTo("PostgreSQL");
  }

  @Test
  void dependencyFinishedWithAWrongPayloadLeavesTheDependentWaiting(TestInfo test)
      throws Exception {
    WorkflowStub dependency = blockedOnAQuestion("a");
    WorkflowStub dependent = start(spec("d", List.of("a")));
    awaitState(task("d"), TaskState.WAITING);

    List<Object> wrong = new ArrayList<>(WRONG_TYPES.values());
    wrong.addAll(NO_WORDS.values());
    wrong.add("a");
    // Not one of its dependencies, or about one but saying nothing of how it finished.
    wrong.add(Map.of("taskId", "b", "state", "COMPLETED"));
    wrong.add(Map.of("taskId", "a"));
    wrong.add(Map.of("taskId", "a", "state", "RUNNING"));
    wrong.add(Map.of("taskId", "a", "state", "BLOCKED", "detail", "made up"));
    wrong.add(Map.of("taskId", "a", "state", "NO_SUCH_STATE"));
    wrong.add(Map.of("taskId", 7, "state", "COMPLETED"));
    wrong.forEach(payload -> dependent.signal(Names.DEPENDENCY_FINISHED, payload));
    dependent.signal(Names.DEPENDENCY_FINISHED);

    var view = task("d").view();
    assertThat(view.state()).isEqualTo(TaskState.WAITING);
    assertThat(view.dependencies())
        .singleElement()
        .satisfies(link -> assertThat(link.state()).isNull());
    assertThat(agent.runsOf("d")).isEmpty();
    assertNoWorkflowTaskFailed("d");

    // The real news still arrives and is heard.
    task("a").answer(new Reply("PostgreSQL"));
    assertThat(dependency.getResult(TaskResult.class).state()).isEqualTo(TaskState.COMPLETED);
    assertThat(dependent.getResult(TaskResult.class).state()).isEqualTo(TaskState.COMPLETED);
    assertNoWorkflowTaskFailed("d");
    HistoryRecorder.recordIfAsked(env, "d", test);
  }

  @Test
  void subscribeWithAWrongPayloadNeitherFailsNorBlocksTheTaskWhenItFinishes(TestInfo test)
      throws Exception {
    WorkflowStub stub = blockedOnAQuestion(ID);

    List<Object> wrong = new ArrayList<>(WRONG_TYPES.values());
    wrong.addAll(NO_WORDS.values());
    wrong.add(Map.of("taskId", ""));
    wrong.add(Map.of("taskId", "../x"));
    wrong.add(Map.of("taskId", "-rf"));
    wrong.add(Map.of("taskId", "Has Spaces\nand a newline"));
    // Longer than any workflow ID the server accepts: telling it would be a command the server
    // refuses.
    wrong.add(Map.of("taskId", "x".repeat(2000)));
    wrong.add(Map.of("taskId", 5));
    wrong.forEach(payload -> stub.signal(Names.SUBSCRIBE, payload));
    stub.signal(Names.SUBSCRIBE);

    assertStillWaitsForTheAnswer(ID);
    task(ID).answer(new Reply("PostgreSQL"));
    assertThat(stub.getResult(TaskResult.class).state()).isEqualTo(TaskState.COMPLETED);
    assertNoWorkflowTaskFailed(ID);
    List<String> told =
        history(ID).stream()
            .filter(
                event ->
                    event.getEventType()
                        == EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED)
            .map(
                event ->
                    event
                        .getSignalExternalWorkflowExecutionInitiatedEventAttributes()
                        .getWorkflowExecution()
                        .getWorkflowId())
            .toList();
    // JSON's 5 reads as the ID "5"; telling a task that does not exist is logged and harmless.
    assertThat(told).as("only task IDs are told").containsExactly("5");
    HistoryRecorder.recordIfAsked(env, ID, test);
  }
}
