package dev.taskwright.determinism.good;

import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;

/**
 * The deterministic way to do what {@code BadWorkflowCode} does, which no rule of {@code
 * WorkflowDeterminismRules} may report: the rules are not so broad that workflow code could not be
 * written. Never run, only analysed.
 */
// Takes the concrete map types on purpose: the rules tell ordered maps from unordered ones by type.
@SuppressWarnings({"unused", "NonApiType"})
public class GoodWorkflowCode {

  private static final Logger log = Workflow.getLogger(GoodWorkflowCode.class);

  static final Duration TIMEOUT = Duration.ofMinutes(1);

  static final String NAME = "good";

  static final Colour DEFAULT_COLOUR = Colour.RED;

  static final Point ORIGIN = new Point(0, 0);

  enum Colour {
    RED,
    GREEN
  }

  record Point(int x, int y) {}

  Instant readsWorkflowTime() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }

  int rollsADieFromHistory() {
    return Workflow.newRandom().nextInt(6);
  }

  int usesASeededRandom() {
    return new Random(42).nextInt(6);
  }

  UUID makesAUuidFromHistory() {
    return Workflow.randomUUID();
  }

  void sleepsOnATimer() {
    Workflow.sleep(TIMEOUT);
  }

  void reinterrupts() {
    Thread.currentThread().interrupt();
  }

  String names(Colour colour) {
    // A switch on an enum compiles to a synthetic class with a static array, which is not state.
    return switch (colour) {
      case RED -> "red";
      case GREEN -> "green";
    };
  }

  int iteratesAList(List<String> items) {
    int length = 0;
    for (String item : items) {
      length += item.length();
    }
    items.forEach(log::info);
    return length + (int) items.stream().filter(String::isEmpty).count();
  }

  List<String> walksOrderedMaps(
      LinkedHashMap<String, String> linked, TreeMap<String, String> sorted) {
    List<String> keys = new ArrayList<>();
    linked.forEach((key, value) -> keys.add(key));
    sorted.forEach((key, value) -> keys.add(key));
    return keys;
  }

  List<String> copiesALinkedHashSet() {
    LinkedHashSet<String> seen = new LinkedHashSet<>(List.of("b", "a"));
    seen.forEach(log::info);
    return new ArrayList<>(seen);
  }

  void logs() {
    log.info("logged once, not again on replay");
  }
}
