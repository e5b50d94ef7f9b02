package dev.taskwright.starter.temporal;

import dev.taskwright.workflows.Names;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.common.SearchAttributeKey;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * Registers the task search attributes (DESIGN §7, all Keyword) with a server that lacks them: a
 * server refuses to start a workflow that sets an attribute it does not know.
 */
public final class SearchAttributeRegistration {
  private SearchAttributeRegistration() {}

  /** The task search attributes, every one a Keyword. */
  public static final List<SearchAttributeKey<String>> KEYS =
      List.of(Names.TASK_STATE, Names.TASK_REPO, Names.TASK_PARENT, Names.TASK_AGENT);

  /**
   * Adds those of the task search attributes the namespace does not have yet, one at a time, as the
   * in-process server cannot list them and a real server refuses a request that repeats one.
   * Returns the names added; throws the server's error when it refuses (Temporal Cloud manages them
   * elsewhere).
   */
  public static List<String> ensure(TemporalSettings settings) {
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder(settings.stubsOptions().build())
                .validateAndBuildWithDefaults());
    try {
      List<String> added = new ArrayList<>();
      for (SearchAttributeKey<String> key : KEYS) {
        try {
          operator
              .blockingStub()
              .addSearchAttributes(
                  AddSearchAttributesRequest.newBuilder()
                      .setNamespace(settings.namespace())
                      .putSearchAttributes(
                          key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
                      .build());
          added.add(key.getName());
        } catch (StatusRuntimeException e) {
          if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
            throw e;
          }
        }
      }
      return added;
    } finally {
      operator.shutdownNow();
    }
  }

  /** The one-line fix for a server that lacks them, for error messages. */
  public static String howToRegister() {
    return "register taskwright's search attributes once: run `taskwright dev` against the server,"
        + " or `temporal operator search-attribute create --type Keyword --name TaskState`"
        + " (and TaskRepo, TaskParent, TaskAgent)";
  }
}
