package dev.taskwright.starter.task;

import dev.taskwright.starter.CliException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads the {@code --since} of the read commands: how far back from now ({@code 2d}, {@code 1d12h},
 * and anything {@link Durations} reads: {@code 12h}, {@code 90m}), a calendar day in this machine's
 * time zone ({@code 2026-11-01}, from its midnight), a local time ({@code 2026-11-01T09:30}), an
 * ISO-8601 instant with its offset ({@code 2026-11-01T09:30:00Z}), or {@code all}.
 */
public final class Since {
  private Since() {}

  /**
   * {@code 2d}, {@code 1d12h}: whole days, then optionally a duration as {@link Durations} reads
   * it.
   */
  private static final Pattern DAYS = Pattern.compile("(\\d{1,5})d(\\S*)");

  /** The instant {@code typed} names, or null for {@code all}; throws exit 2 when it names none. */
  public static Instant parse(String typed, Instant now, ZoneId zone) {
    String text = typed == null ? "" : typed.strip();
    if (text.equalsIgnoreCase("all")) {
      return null;
    }
    try {
      if (text.length() == 10 && text.charAt(4) == '-') {
        return LocalDate.parse(text).atStartOfDay(zone).toInstant();
      }
      if (text.contains("T") && Character.isDigit(text.charAt(0))) {
        if (text.endsWith("Z") || text.endsWith("z") || text.matches(".*[+-]\\d\\d:?\\d\\d$")) {
          return OffsetDateTime.parse(text.toUpperCase(Locale.ROOT)).toInstant();
        }
        return LocalDateTime.parse(text).atZone(zone).toInstant();
      }
      // How long ago: days first (they only make sense looking back), then what Durations reads.
      Matcher days = DAYS.matcher(text.toLowerCase(Locale.ROOT));
      if (days.matches()) {
        Duration rest = days.group(2).isEmpty() ? Duration.ZERO : Durations.parse(days.group(2));
        return now.minus(Duration.ofDays(Long.parseLong(days.group(1)))).minus(rest);
      }
      return now.minus(Durations.parse(text));
    } catch (DateTimeException | TypeConversionException e) {
      throw CliException.badInput(
          "--since '"
              + typed
              + "' is not a time: write how long ago (2d, 12h, 90m), a day (2026-11-01),"
              + " a time (2026-11-01T09:30, or 2026-11-01T09:30:00Z with its offset), or all");
    }
  }
}
