package dev.taskwright.starter.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading a task's transcript folder: run order, both drivers' files, and only whole new lines on
 * each poll.
 */
class LogsReaderTest {

  @TempDir Path folder;

  private final List<String> seen = new ArrayList<>();

  private int poll(TranscriptReader reader) {
    return reader.poll((run, line) -> seen.add(run + ":" + line));
  }

  private void append(String file, String text) throws IOException {
    Files.writeString(
        folder.resolve(file),
        text,
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  @Test
  void readsRunsInNumericOrderAndSkipsStderrAndPidFiles() throws IOException {
    append("run-10.jsonl", "ten\n");
    append("run-2.log", "two\n");
    append("run-2.stderr.log", "noise\n");
    append("agent.pid", "123\n");

    poll(new TranscriptReader(folder, OptionalInt.empty()));

    assertThat(seen).containsExactly("2:two", "10:ten");
  }

  @Test
  void eachPollHandsOverOnlyWholeLinesAppendedSinceTheLast() throws IOException {
    TranscriptReader reader = new TranscriptReader(folder, OptionalInt.empty());
    append("run-1.jsonl", "first\nsec");

    assertThat(poll(reader)).isEqualTo(1);
    append("run-1.jsonl", "ond\r\n");
    append("run-2.jsonl", "héllo\nunfinished");
    assertThat(poll(reader)).isEqualTo(2);
    assertThat(poll(reader)).isZero();
    reader.flush((run, line) -> seen.add(run + ":" + line));

    assertThat(seen).containsExactly("1:first", "1:second", "2:héllo", "2:unfinished");
  }

  @Test
  void oneRunOnly() throws IOException {
    append("run-1.jsonl", "one\n");
    append("run-2.jsonl", "two\n");

    poll(new TranscriptReader(folder, OptionalInt.of(2)));

    assertThat(seen).containsExactly("2:two");
  }
}
