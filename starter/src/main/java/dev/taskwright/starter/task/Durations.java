package dev.taskwright.starter.task;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations the way people write them: {@code 90s}, {@code 15m}, {@code 2h}, {@code 1h30m},
 * or ISO-8601 {@code PT1H}; and writes them as briefly ({@link #brief}).
 */
public final class Durations implements ITypeConverter<Duration> {

  private static final Pattern HUMAN = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  public static Duration parse(String value) {
    String text = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    Duration duration = null;
    if (text.startsWith("pt") || text.startsWith("p")) {
      try {
        duration = Duration.parse(text.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException ignored) {
        // Reported below in the same words as any other unreadable value.
      }
    } else {
      Matcher matcher = HUMAN.matcher(text);
      if (!text.isEmpty() && matcher.matches()) {
        duration =
            Duration.ofHours(number(matcher.group(1)))
                .plusMinutes(number(matcher.group(2)))
                .plusSeconds(number(matcher.group(3)));
      }
    }
    if (duration == null || duration.isZero() || duration.isNegative()) {
      throw new TypeConversionException(
          "'" + value + "' is not a duration: write it like 90s, 15m, 2h or 1h30m");
    }
    return duration;
  }

  /**
   * A duration in at most {@code units} of its largest units, the rest dropped: with 1, {@code
   * 45s}, {@code 12m}, {@code 3h}, {@code 5d}; with 2, {@code 1m 20s}, {@code 3h 05m}, {@code 5d
   * 4h}. Negative durations (clocks apart) read as zero.
   */
  public static String brief(Duration duration, int units) {
    long seconds = Math.max(0, duration.toSeconds());
    long[] amounts = {seconds / 86_400, seconds / 3_600 % 24, seconds / 60 % 60, seconds % 60};
    String[] names = {"d", "h", "m", "s"};
    int first = 0;
    while (first < amounts.length - 1 && amounts[first] == 0) {
      first++;
    }
    StringBuilder text = new StringBuilder().append(amounts[first]).append(names[first]);
    for (int i = first + 1; i < Math.min(amounts.length, first + units); i++) {
      text.append(' ')
          .append(
              i == 1 ? String.valueOf(amounts[i]) : String.format(Locale.ROOT, "%02d", amounts[i]))
          .append(names[i]);
    }
    return text.toString();
  }

  private static long number(String digits) {
    return digits == null ? 0 : Long.parseLong(digits);
  }
}
