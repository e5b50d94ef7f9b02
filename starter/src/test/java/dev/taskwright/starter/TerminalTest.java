package dev.taskwright.starter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Every kind of control character is shown as an escape; ordinary text, also non-Latin, passes
 * unchanged.
 */
class TerminalTest {

  @Test
  void controlCharactersAreShown() {
    assertThat(Terminal.line("a\u001b[31mb\u0007c\rd\u007fe\u009bf\u0000g"))
        .isEqualTo("a\\e[31mb\\x07c\\rd\\x7fe\\x9bf\\x00g");
    assertThat(Terminal.line("\u202aL\u202eR\u2066I\u2069"))
        .isEqualTo("\\u202aL\\u202eR\\u2066I\\u2069");
  }

  @Test
  void lineShowsLineBreaksAndTabsLinesKeepsThem() {
    assertThat(Terminal.line("one\ntwo\tthree")).isEqualTo("one\\ntwo\\tthree");
    assertThat(Terminal.lines("one\ntwo\tthree\r")).isEqualTo("one\ntwo\tthree\\r");
  }

  @Test
  void ordinaryTextIsUnchanged() {
    String text = "Добавь таблицу — 表を追加 ✓ \"quotes\" and \\e as typed";
    assertThat(Terminal.line(text)).isSameAs(text);
    assertThat(Terminal.isSafe(text)).isTrue();
    assertThat(Terminal.isSafe("bell\u0007")).isFalse();
    assertThat(Terminal.line(null)).isNull();
  }
}
