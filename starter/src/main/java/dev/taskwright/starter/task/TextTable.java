package dev.taskwright.starter.task;

import dev.taskwright.starter.Terminal;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table for people: a header row and rows of cells in columns two spaces apart, numbers aligned
 * right. Cells are one line each; {@link #cell} makes one from any text.
 */
public final class TextTable {

  private final String[] headers;
  private final boolean[] right;
  private final List<String[]> rows = new ArrayList<>();

  /**
   * Columns named {@code headers}; a header starting with {@code >} is aligned right (the mark is
   * not printed).
   */
  public TextTable(String... headers) {
    this.headers = new String[headers.length];
    this.right = new boolean[headers.length];
    for (int i = 0; i < headers.length; i++) {
      right[i] = headers[i].startsWith(">");
      this.headers[i] = right[i] ? headers[i].substring(1) : headers[i];
    }
  }

  /**
   * Adds a row; null cells print empty, and control characters in cells are made visible ({@link
   * Terminal#line}).
   */
  public TextTable add(String... cells) {
    if (cells.length != headers.length) {
      throw new IllegalArgumentException(
          "a row of " + cells.length + " cells in a table of " + headers.length + " columns");
    }
    rows.add(
        Arrays.stream(cells)
            .map(cell -> cell == null ? "" : Terminal.line(cell))
            .toArray(String[]::new));
    return this;
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  /** The header line, then one line per row, without trailing spaces. */
  public List<String> lines() {
    int[] widths = new int[headers.length];
    for (int i = 0; i < headers.length; i++) {
      widths[i] = headers[i].length();
      for (String[] row : rows) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    List<String> lines = new ArrayList<>();
    lines.add(line(headers, widths));
    for (String[] row : rows) {
      lines.add(line(row, widths));
    }
    return lines;
  }

  public void print(PrintWriter out) {
    lines().forEach(out::println);
  }

  private String line(String[] cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        line.append("  ");
      }
      String padding = " ".repeat(widths[i] - cells[i].length());
      line.append(right[i] ? padding + cells[i] : cells[i] + padding);
    }
    return line.toString().stripTrailing();
  }

  /**
   * {@code text} as one cell of at most {@code width} characters: its lines joined, every run of
   * whitespace one space, control characters made visible, cut with an ellipsis when longer; empty
   * for null.
   */
  public static String cell(String text, int width) {
    if (text == null) {
      return "";
    }
    String line = Terminal.line(text.strip().replaceAll("\\s+", " "));
    return line.length() <= width ? line : line.substring(0, width - 1).stripTrailing() + "…";
  }
}
