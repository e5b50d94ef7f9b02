package dev.taskwright.activities.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.taskwright.workflows.model.SubtaskRequest;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubtasksFileTest {

  private static final String WHERE = "/runs/t1/subtasks.json";

  private static List<SubtaskRequest> parse(String json) throws SubtasksFile.Malformed {
    return SubtasksFile.parse(json, WHERE);
  }

  /** The message for a file that must be rejected. */
  private static String rejection(String json) {
    SubtasksFile.Malformed malformed =
        catchThrowableOfType(SubtasksFile.Malformed.class, () -> parse(json));
    assertThat(malformed).as("the file should have been rejected: %s", json).isNotNull();
    assertThat(malformed.getMessage())
        .startsWith("The subtasks file " + WHERE + " is not valid: ")
        .as("every rejection says how to write the file")
        .contains("Write the whole file again as a JSON array with one object per subtask");
    return malformed.getMessage();
  }

  @Test
  void readsEveryFieldAndIgnoresUnknownOnes() throws Exception {
    List<SubtaskRequest> subtasks =
        parse(
            """
            [
              {"name": "lexer", "title": "Write the lexer", "prompt": "Write a lexer in lexer.py", "note": "agents add things"},
              {"name": "parser", "title": "Write the parser", "prompt": "Write a parser", "dependsOn": ["lexer"]}
            ]
            """);

    assertThat(subtasks)
        .containsExactly(
            new SubtaskRequest("lexer", "Write the lexer", "Write a lexer in lexer.py", List.of()),
            new SubtaskRequest("parser", "Write the parser", "Write a parser", List.of("lexer")));
  }

  @Test
  void aSubtaskWithoutANameIsNamedByItsPositionAndWithoutATitleByItsPrompt() throws Exception {
    List<SubtaskRequest> subtasks =
        parse(
            """
            [{"name": "", "prompt": "First do this.\\nIn detail."},
             {"prompt": "Then that", "title": null, "dependsOn": [1]},
             {"name": "last", "prompt": "Finally", "dependsOn": ["2"]}]
            """);

    assertThat(subtasks)
        .containsExactly(
            new SubtaskRequest("1", "First do this.", "First do this.\nIn detail.", List.of()),
            new SubtaskRequest("2", "Then that", "Then that", List.of("1")),
            new SubtaskRequest("last", "Finally", "Finally", List.of("2")));
  }

  @Test
  void anEmptyFileOrAnEmptyArrayMeansNoSubtasks() throws Exception {
    assertThat(parse("  \n")).isEmpty();
    assertThat(parse("[]")).isEmpty();
  }

  @Test
  void aFileThatIsNotJsonSaysWhere() {
    assertThat(rejection("[{\"name\": \"a\", \"prompt\": \"x\""))
        .contains("it is not valid JSON")
        .contains("line 1");
  }

  @Test
  void textAfterTheArrayIsRejected() {
    assertThat(rejection("[{\"prompt\": \"x\"}] and more")).contains("it is not valid JSON");
  }

  @Test
  void anObjectInsteadOfAnArrayIsRejected() {
    assertThat(rejection("{\"subtasks\": []}")).contains("it holds an object, not a JSON array");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "[\"do this\"]                                             | subtask 1 is a string, not an"
            + " object",
        "[{\"name\": \"a\"}]                                       | subtask 1 (a) has no"
            + " \"prompt\"",
        "[{\"name\": \"a\", \"prompt\": \"  \"}]                   | subtask 1 (a) has no"
            + " \"prompt\"",
        "[{\"name\": 7, \"prompt\": \"x\"}]                        | subtask 1 has a \"name\" that"
            + " is a number, not a string",
        "[{\"prompt\": \"x\", \"dependsOn\": \"b\"}]               | subtask 1 (1) has a"
            + " \"dependsOn\" that is a string, not an array",
        "[{\"prompt\": \"x\", \"dependsOn\": [{}]}]                | subtask 1 (1) lists an object"
            + " in \"dependsOn\"",
        "[{\"name\": \"Parser\", \"prompt\": \"x\"}]               | subtask 1 has the name"
            + " \"Parser\"; use lower-case letters",
        "[{\"name\": \"-x\", \"prompt\": \"x\"}]                   | subtask 1 has the name \"-x\"",
        "[{\"name\": \"a.b\", \"prompt\": \"x\"}]                  | subtask 1 has the name"
            + " \"a.b\"",
        "[{\"name\": \"a\", \"prompt\": \"x\"}, {\"name\": \"a\", \"prompt\": \"y\"}] | subtasks 1"
            + " and 2 are both named \"a\"",
        "[{\"name\": \"2\", \"prompt\": \"x\"}, {\"prompt\": \"y\"}] | subtasks 1 and 2 are both"
            + " named \"2\"",
        "[{\"name\": \"a\", \"prompt\": \"x\", \"dependsOn\": [\"a\"]}] | subtask \"a\" depends on"
            + " itself",
        "[{\"name\": \"a\", \"prompt\": \"x\", \"dependsOn\": [\"zz\"]}] | subtask \"a\" depends on"
            + " \"zz\", which is not one of the subtasks (a)",
        "[{\"name\": \"a\", \"prompt\": \"x\", \"dependsOn\": [\"c\"]}, {\"name\": \"b\","
            + " \"prompt\": \"y\", \"dependsOn\": [\"a\"]}, {\"name\": \"c\", \"prompt\": \"z\","
            + " \"dependsOn\": [\"b\"]}] | in a cycle (a -> c -> b -> a)",
      })
  void aBrokenRuleIsNamed(String json, String problem) {
    assertThat(rejection(json)).contains(problem);
  }

  @Test
  void nameTooLongIsRejected() {
    String name = "a".repeat(64);
    assertThat(rejection("[{\"name\": \"" + name + "\", \"prompt\": \"x\"}]"))
        .contains("has the name \"" + name + "\"");
    assertThat(
            catchThrowableOfType(
                Exception.class,
                () -> parse("[{\"name\": \"" + name.substring(1) + "\", \"prompt\": \"x\"}]")))
        .as("63 characters are fine")
        .isNull();
  }

  @Test
  void everyProblemIsListedAtOnce() {
    String message = rejection("[{\"name\": \"A\", \"prompt\": \"x\"}, {\"name\": \"b\"}]");

    assertThat(message)
        .contains("subtask 1 has the name \"A\"")
        .contains("subtask 2 (b) has no \"prompt\"");
  }

  @Test
  void atMostFiftySubtasks() throws Exception {
    String fifty =
        IntStream.rangeClosed(1, 50)
            .mapToObj(i -> "{\"prompt\": \"p" + i + "\"}")
            .collect(Collectors.joining(",", "[", "]"));
    String fiftyOne = fifty.replace("]", ",{\"prompt\": \"one more\"}]");

    assertThat(parse(fifty)).hasSize(50);
    assertThat(rejection(fiftyOne)).contains("it lists 51 subtasks; at most 50 are allowed");
  }

  @Test
  void anOverlongPromptIsRejected() {
    String prompt = "x".repeat(SubtasksFile.MAX_PROMPT_CHARS + 1);

    assertThat(rejection("[{\"prompt\": \"" + prompt + "\"}]"))
        .contains("has a prompt of 10001 characters");
  }

  /**
   * Issue 13, item 5: every prompt may be under its own limit, and all of them together still too
   * much for history.
   */
  @Test
  void subtasksBeyondTheTotalLimitAreRefusedWithTheSizes() {
    String json =
        IntStream.rangeClosed(1, 30)
            .mapToObj(i -> "{\"name\": \"s" + i + "\", \"prompt\": \"" + "p".repeat(9_000) + "\"}")
            .collect(Collectors.joining(",", "[", "]"));

    assertThat(rejection(json))
        .contains("the subtasks take ")
        .contains("at most " + dev.taskwright.workflows.Limits.SUBTASKS_BYTES + " are allowed");
  }

  @Test
  void aSiblingListedTwiceInDependsOnCountsOnce() throws Exception {
    List<SubtaskRequest> subtasks =
        parse(
            "[{\"name\": \"a\", \"prompt\": \"x\"}, {\"name\": \"b\", \"prompt\": \"y\","
                + " \"dependsOn\": [\"a\", \"a\", \"a\"]}]");
    assertThat(subtasks.get(1).dependsOn()).containsExactly("a");
  }
}
