package dev.taskwright.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** Statistics and /proc readings shared by the benchmark mains. */
final class BenchFigures {

  private BenchFigures() {}

  /**
   * Nearest-rank percentile of {@code values}: of 10 values, p95 is the largest and p50 the fifth.
   */
  static double percentile(Collection<? extends Number> values, int percent) {
    double[] sorted = values.stream().mapToDouble(Number::doubleValue).sorted().toArray();
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  static double median(Collection<? extends Number> values) {
    return percentile(values, 50);
  }

  static double max(Collection<? extends Number> values) {
    return values.stream().mapToDouble(Number::doubleValue).max().orElse(Double.NaN);
  }

  static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }

  /** The resident set of one process in MiB, from /proc; 0 once it has exited. */
  static long rssMiB(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
        }
      }
    } catch (IOException | RuntimeException gone) {
      // The process has exited.
    }
    return 0;
  }

  /** Clock ticks per second of /proc's CPU figures; 100 on every Linux this runs on. */
  private static final double TICKS = 100.0;

  /**
   * CPU seconds one process has used itself (user + system), not counting its children; 0 once it
   * has exited.
   */
  static double ownCpuSeconds(long pid) {
    long[] fields = statFields(pid);
    return fields.length == 0 ? 0 : (fields[13] + fields[14]) / TICKS;
  }

  /** CPU seconds of the children a process has waited for (cutime + cstime). */
  static double childrenCpuSeconds(long pid) {
    long[] fields = statFields(pid);
    return fields.length == 0 ? 0 : (fields[15] + fields[16]) / TICKS;
  }

  /**
   * Busy CPU seconds of the whole machine since boot (every field of /proc/stat's cpu line but idle
   * and iowait).
   */
  static double machineBusySeconds() {
    try {
      String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
      long[] ticks =
          Arrays.stream(line.trim().split("\\s+")).skip(1).mapToLong(Long::parseLong).toArray();
      long busy = 0;
      for (int i = 0; i < Math.min(ticks.length, 8); i++) {
        if (i != 3 && i != 4) {
          busy += ticks[i];
        }
      }
      return busy / TICKS;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/stat", e);
    }
  }

  /**
   * The numeric fields of /proc/PID/stat after the command name, indexed as in proc(5) minus one;
   * empty once gone.
   */
  private static long[] statFields(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long[] fields = new long[rest.length + 2];
      for (int i = 0; i < rest.length; i++) {
        try {
          fields[i + 2] = Long.parseLong(rest[i]);
        } catch (NumberFormatException stateLetter) {
          fields[i + 2] = 0;
        }
      }
      return fields;
    } catch (IOException | RuntimeException gone) {
      return new long[0];
    }
  }

  /** The processes whose command line contains {@code text}, e.g. a data folder's path. */
  static List<ProcessHandle> processesMentioning(String text) {
    return ProcessHandle.allProcesses()
        .filter(
            process -> process.info().commandLine().map(line -> line.contains(text)).orElse(false))
        .toList();
  }
}
