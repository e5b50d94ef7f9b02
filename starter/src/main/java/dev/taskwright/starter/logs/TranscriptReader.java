package dev.taskwright.starter.logs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the transcripts of one task's folder ({@code run-<n>.jsonl} from the {@code claude} driver,
 * {@code run-<n>.log} from the {@code command} driver) in run order, and on each {@link #poll} only
 * what was appended since the last one: whole lines only, so a line the agent is still writing
 * waits for its end (or for {@link #flush}).
 */
public final class TranscriptReader {

  /**
   * A transcript file: {@code run-<n>.jsonl} or {@code run-<n>.log}, never {@code
   * run-<n>.stderr.log}.
   */
  private static final Pattern RUN_FILE = Pattern.compile("run-(\\d+)\\.(jsonl|log)");

  private final Path folder;
  private final OptionalInt onlyRun;
  private final Map<Path, Long> offsets = new HashMap<>();
  private final Map<Path, ByteArrayOutputStream> partial = new HashMap<>();

  /**
   * @param onlyRun the one run to read, or empty for all of them
   */
  public TranscriptReader(Path folder, OptionalInt onlyRun) {
    this.folder = folder;
    this.onlyRun = onlyRun;
  }

  /** A transcript file and its run number. */
  public record RunFile(int run, Path path) {}

  /** The transcripts in the folder now, in run order. */
  public List<RunFile> runs() {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    List<RunFile> runs = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      files.forEach(
          file -> {
            Matcher name = RUN_FILE.matcher(file.getFileName().toString());
            if (name.matches()) {
              int run = Integer.parseInt(name.group(1));
              if (onlyRun.isEmpty() || onlyRun.getAsInt() == run) {
                runs.add(new RunFile(run, file));
              }
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder, e);
    }
    runs.sort(
        Comparator.comparingInt(RunFile::run)
            .thenComparing(file -> file.path().getFileName().toString()));
    return runs;
  }

  /**
   * Hands every whole line appended since the last poll to {@code lines}, file by file in run
   * order.
   *
   * @return how many lines it handed over
   */
  public int poll(LineConsumer lines) {
    int count = 0;
    for (RunFile file : runs()) {
      count += readNew(file, lines);
    }
    return count;
  }

  /** Hands over the unfinished last line of each file, for when nothing more will be read. */
  public int flush(LineConsumer lines) {
    int count = 0;
    for (RunFile file : runs()) {
      ByteArrayOutputStream rest = partial.remove(file.path());
      if (rest != null && rest.size() > 0) {
        lines.accept(file.run(), rest.toString(StandardCharsets.UTF_8));
        count++;
      }
    }
    return count;
  }

  private int readNew(RunFile file, LineConsumer lines) {
    long offset = offsets.getOrDefault(file.path(), 0L);
    ByteArrayOutputStream line =
        partial.computeIfAbsent(file.path(), path -> new ByteArrayOutputStream());
    int count = 0;
    try (FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.READ)) {
      if (channel.size() < offset) {
        offset = 0; // the file was replaced: read it again from the start
        line.reset();
      }
      channel.position(offset);
      ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
      int read;
      while ((read = channel.read(buffer)) > 0) {
        offset += read;
        buffer.flip();
        while (buffer.hasRemaining()) {
          byte b = buffer.get();
          if (b == '\n') {
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            lines.accept(
                file.run(), text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
            count++;
          } else {
            line.write(b);
          }
        }
        buffer.clear();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file.path(), e);
    }
    offsets.put(file.path(), offset);
    return count;
  }

  /** Receives transcript lines with their run number. */
  @FunctionalInterface
  public interface LineConsumer {
    void accept(int run, String line);
  }

  /** Adapts a consumer of rendered events: renders each line and hands on its events. */
  public static LineConsumer rendering(TranscriptRenderer renderer, Consumer<LogEvent> events) {
    return (run, line) -> renderer.render(run, line).forEach(events);
  }
}
