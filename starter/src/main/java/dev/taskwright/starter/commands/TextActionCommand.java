package dev.taskwright.starter.commands;

import dev.taskwright.starter.CliException;
import dev.taskwright.starter.StorableText;
import dev.taskwright.workflows.model.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * An action that carries words (an answer, feedback, guidance, a reason): given as the words after
 * the ID, joined with spaces, or read with {@code -f FILE} ({@code -f -} for standard input). The
 * words are checked before anything is sent: present when required, at most {@link
 * Reply#MAX_LENGTH} characters.
 */
abstract class TextActionCommand extends ActionCommand {

  /**
   * The most bytes {@code -f} reads: {@link Reply#MAX_LENGTH} characters of at most 4 bytes each in
   * UTF-8.
   */
  static final int MAX_BYTES = Reply.MAX_LENGTH * 4;

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = "Read the text from FILE instead of the command line; - reads standard input.")
  String file;

  @Option(
      names = "--wait",
      description =
          "Then follow the task until it is READY, needs a person again, or has ended (exit 0 for"
              + " READY or COMPLETED, else 6).")
  boolean await;

  private final String meaning;
  private final boolean required;

  /**
   * @param action the update's name
   * @param meaning what the words are, for messages, e.g. "the answer to the agent's question"
   * @param required whether the action needs words
   */
  TextActionCommand(String action, String meaning, boolean required) {
    super(action);
    this.meaning = meaning;
    this.required = required;
  }

  /** The words given after the ID (declared by each command, with its own label). */
  abstract List<String> words();

  @Override
  boolean follows() {
    return await;
  }

  @Override
  Reply reply() {
    String text = text().strip();
    if (text.isEmpty()) {
      if (required) {
        throw CliException.badInput(
            action()
                + " needs "
                + meaning
                + ": give it after the task ID, or with -f FILE (-f - reads standard input)");
      }
      return Reply.empty();
    }
    if (text.length() > Reply.MAX_LENGTH) {
      throw tooLong(text.length() + " characters long");
    }
    StorableText.require(
        file == null
            ? meaning
            : meaning + " (" + (file.equals("-") ? "standard input" : file) + ")",
        text);
    return new Reply(text);
  }

  private CliException tooLong(String size) {
    return CliException.badInput(
        meaning
            + " is "
            + size
            + "; a task takes at most "
            + Reply.MAX_LENGTH
            + " characters, so nothing was sent: shorten it, or put the long part in a file in the"
            + " repository and refer to it");
  }

  private String text() {
    List<String> words = words() == null ? List.of() : words();
    if (file == null) {
      return String.join(" ", words);
    }
    if (!words.isEmpty()) {
      throw CliException.badInput(
          "give " + meaning + " either after the task ID or with -f, not both");
    }
    if (file.equals("-")) {
      try {
        return readAtMost(environment().stdin(), "standard input");
      } catch (IOException e) {
        throw CliException.badInput("cannot read standard input: " + e.getMessage());
      }
    }
    Path path;
    try {
      path = environment().workingDirectory().resolve(file);
    } catch (InvalidPathException e) {
      throw CliException.badInput(
          "'" + file + "' is not a valid path; give -f the file that holds " + meaning);
    }
    if (Files.isDirectory(path)) {
      throw CliException.badInput(file + " is a folder; give -f the file that holds " + meaning);
    }
    try (InputStream in = Files.newInputStream(path)) {
      return readAtMost(in, file);
    } catch (NoSuchFileException e) {
      throw CliException.badInput(
          "file "
              + file
              + " does not exist (looked for "
              + path
              + "); give -f the file that holds "
              + meaning);
    } catch (AccessDeniedException e) {
      throw CliException.badInput("file " + file + " cannot be read: permission denied");
    } catch (IOException e) {
      throw CliException.badInput("cannot read " + file + ": " + e.getMessage());
    }
  }

  /**
   * The text of {@code in}, read only as far as the limit allows: a megabyte pasted into a file, or
   * {@code -f /dev/zero}, is refused after {@link #MAX_BYTES} bytes instead of filling memory.
   */
  private String readAtMost(InputStream in, String source) throws IOException {
    byte[] bytes = in.readNBytes(MAX_BYTES + 1);
    if (bytes.length > MAX_BYTES) {
      throw tooLong("more than " + MAX_BYTES + " bytes long (" + source + ")");
    }
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      return utf8.decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw CliException.badInput(
          source + " is not UTF-8 text; save it as UTF-8 (" + meaning + " must be text)");
    }
  }
}
