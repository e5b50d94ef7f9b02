package dev.taskwright.starter.commands;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The formats of read commands (DESIGN §8): text (tables) for people, JSON for programs. */
enum Output {
  text,
  json;

  /** Reads {@code --output}: {@code text}, or its other name {@code table}, or {@code json}. */
  static final class Converter implements ITypeConverter<Output> {
    @Override
    public Output convert(String value) {
      return switch (value.strip().toLowerCase(Locale.ROOT)) {
        case "text", "table" -> text;
        case "json" -> json;
        default ->
            throw new TypeConversionException(
                "expected text (or table) or json, not '" + value + "'");
      };
    }
  }
}
