package dev.taskwright.starter.task;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads durations the way people write them: {@code 90s}, {@code 15m}, {@code 2h}, {@code 1h30m}, or ISO-8601 {@code PT1H}. */
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

  private static long number(String digits) {
    return digits == null ? 0 : Long.parseLong(digits);
  }
}
