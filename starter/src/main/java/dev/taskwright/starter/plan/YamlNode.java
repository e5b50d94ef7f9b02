package dev.taskwright.starter.plan;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.dataformat.yaml.JacksonYAMLParseException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A YAML value with the line and column it starts at, so every problem in a task file can point at
 * its place. Read with Jackson's YAML parser token by token instead of into a {@code JsonNode},
 * which keeps no locations and silently keeps the last of two equal keys.
 *
 * @param kind what the value is
 * @param text a scalar's text as written (numbers and booleans too); null for a mapping, list or
 *     null
 * @param entries a mapping's entries in file order, duplicates included; empty otherwise
 * @param items a list's items; empty otherwise
 * @param line 1-based line
 * @param column 1-based column
 */
record YamlNode(
    Kind kind, String text, List<Entry> entries, List<YamlNode> items, int line, int column) {

  enum Kind {
    MAPPING("a mapping"),
    LIST("a list"),
    TEXT("text"),
    NUMBER("a number"),
    BOOLEAN("true/false"),
    NULL("empty");

    final String description;

    Kind(String description) {
      this.description = description;
    }
  }

  /** One {@code key: value} of a mapping; {@code key} locates the key itself. */
  record Entry(String name, YamlNode key, YamlNode value) {}

  YamlNode {
    entries = List.copyOf(entries);
    items = List.copyOf(items);
  }

  boolean is(Kind expected) {
    return kind == expected;
  }

  /** How a problem names this value: its kind, and a scalar's text. */
  String describe() {
    return switch (kind) {
      case TEXT -> "text '" + text + "'";
      case NUMBER, BOOLEAN -> text;
      default -> kind.description;
    };
  }

  /**
   * The YAML text couldn't be read: where, and the parser's reason. {@code refused} is true when
   * the YAML is valid but uses what task files do not allow (an alias, nesting past the limit); the
   * message then says all there is to say.
   */
  static final class SyntaxError extends Exception {
    final int line;
    final int column;
    final boolean refused;

    SyntaxError(int line, int column, String message) {
      this(line, column, message, false);
    }

    SyntaxError(int line, int column, String message, boolean refused) {
      super(message, null, false, false);
      this.line = line;
      this.column = column;
      this.refused = refused;
    }
  }

  /**
   * The deepest nesting of mappings and lists read. A task file needs a few levels per level of
   * subtasks; Jackson's own default (1000) would let a hostile file spend the stack first.
   */
  static final int MAX_NESTING = 64;

  private static final YAMLFactory YAML =
      YAMLFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
          .build();

  /** An alias met where a value was expected: its name and place. */
  private static final class AliasFound extends IOException {
    final String name;
    final int line;
    final int column;

    AliasFound(String name, int line, int column) {
      super(name, null);
      this.name = name;
      this.line = line;
      this.column = column;
    }
  }

  /** The document's root value, or null when the text holds no document at all. */
  static YamlNode read(String text) throws SyntaxError {
    try (JsonParser parser = YAML.createParser(text)) {
      try {
        return root(parser);
      } catch (StreamConstraintsException e) {
        // A limit's exception carries no location; the parser is where it stopped.
        JsonLocation at = parser.currentLocation();
        throw new SyntaxError(
            at.getLineNr(), at.getColumnNr(), inUsersWords(e.getOriginalMessage()), true);
      }
    } catch (AliasFound e) {
      // Jackson reads an alias as the text of its name: '*p' would silently become the prompt "p".
      throw new SyntaxError(
          e.line,
          e.column,
          "aliases (*"
              + e.name
              + ") are not supported in task files: write the text out where it is used",
          true);
    } catch (JacksonYAMLParseException wrapped) {
      if (!(wrapped.getCause() instanceof MarkedYAMLException e)) {
        JsonLocation at = wrapped.getLocation();
        throw new SyntaxError(
            at == null ? 0 : at.getLineNr(),
            at == null ? 0 : at.getColumnNr(),
            firstLine(wrapped.getOriginalMessage()));
      }
      // SnakeYAML says what it found where (the problem) and what it was reading then (the
      // context).
      Mark at = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem =
          e.getProblem() != null ? e.getProblem() : firstLine(wrapped.getOriginalMessage());
      Mark context = e.getContextMark();
      if (e.getContext() != null
          && context != null
          && (at == null
              || context.getLine() != at.getLine()
              || context.getColumn() != at.getColumn())) {
        problem +=
            " ("
                + e.getContext()
                + " that starts at line "
                + (context.getLine() + 1)
                + ", column "
                + (context.getColumn() + 1)
                + ")";
      }
      throw new SyntaxError(
          at == null ? 0 : at.getLine() + 1, at == null ? 0 : at.getColumn() + 1, oneLine(problem));
    } catch (StreamReadException e) {
      JsonLocation at = e.getLocation();
      String message = firstLine(e.getOriginalMessage());
      throw new SyntaxError(
          at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(), message);
    } catch (IOException e) {
      throw new SyntaxError(0, 0, firstLine(e.getMessage()));
    }
  }

  /** The root value of the document the parser is at the start of. */
  private static YamlNode root(JsonParser parser) throws IOException, SyntaxError {
    if (parser.nextToken() == null) {
      return null;
    }
    YamlNode root = read(parser);
    JsonToken next = parser.nextToken();
    if (next != null) {
      JsonLocation at = parser.currentTokenLocation();
      throw new SyntaxError(
          at.getLineNr(),
          at.getColumnNr(),
          "a second YAML document starts here; a task file holds one");
    }
    return root;
  }

  /** Reads the value whose first token is the parser's current one. */
  private static YamlNode read(JsonParser parser) throws IOException {
    JsonLocation at = parser.currentTokenLocation();
    int line = at.getLineNr();
    int column = at.getColumnNr();
    JsonToken token = parser.currentToken();
    switch (token) {
      case START_OBJECT -> {
        List<Entry> entries = new ArrayList<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          JsonLocation keyAt = parser.currentTokenLocation();
          String name = parser.currentName();
          YamlNode key =
              new YamlNode(
                  Kind.TEXT, name, List.of(), List.of(), keyAt.getLineNr(), keyAt.getColumnNr());
          parser.nextToken();
          entries.add(new Entry(name, key, read(parser)));
        }
        return new YamlNode(Kind.MAPPING, null, entries, List.of(), line, column);
      }
      case START_ARRAY -> {
        List<YamlNode> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          items.add(read(parser));
        }
        return new YamlNode(Kind.LIST, null, List.of(), items, line, column);
      }
      case VALUE_STRING -> {
        if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
          throw new AliasFound(parser.getText(), line, column);
        }
        return scalar(Kind.TEXT, parser.getText(), line, column);
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return scalar(Kind.NUMBER, parser.getText(), line, column);
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return scalar(Kind.BOOLEAN, parser.getText(), line, column);
      }
      case VALUE_NULL -> {
        return scalar(Kind.NULL, null, line, column);
      }
      default -> throw new JsonParseException(parser, "unexpected YAML content (" + token + ")");
    }
  }

  /**
   * Jackson's limit messages name its internals ({@code
   * StreamReadConstraints.getMaxNestingDepth()}); say it as a user would.
   */
  private static final Pattern LIMIT =
      Pattern.compile(
          "^(.*?) \\((\\d+)\\) exceeds the maximum allowed \\((\\d+),.*$", Pattern.DOTALL);

  static String inUsersWords(String message) {
    Matcher limit = LIMIT.matcher(String.valueOf(message));
    if (!limit.matches()) {
      return firstLine(
          String.valueOf(message)
              .replaceAll("\\s*\\(?,?\\s*from `StreamReadConstraints[^`]*`\\)?", ""));
    }
    String what = limit.group(1).toLowerCase(java.util.Locale.ROOT);
    String most = limit.group(3);
    if (what.contains("nesting")) {
      return "nesting deeper than "
          + most
          + " levels of mappings and lists; a task file needs only a few (tasks, subtasks): flatten"
          + " it";
    }
    if (what.contains("name")) {
      return "a key longer than "
          + most
          + " characters; keys are short names like prompt or dependsOn";
    }
    if (what.contains("number")) {
      return "a number longer than " + most + " digits; quote it if it is text";
    }
    if (what.contains("string")) {
      return "a text longer than "
          + most
          + " characters; move it into a file in the repository and refer to it";
    }
    return what + " above the most a task file may have (" + most + ")";
  }

  private static YamlNode scalar(Kind kind, String text, int line, int column) {
    return new YamlNode(kind, text, List.of(), List.of(), line, column);
  }

  private static String oneLine(String message) {
    return message.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  private static String firstLine(String message) {
    if (message == null || message.isBlank()) {
      return "unreadable YAML";
    }
    return message.strip().lines().findFirst().orElse("").strip();
  }
}
