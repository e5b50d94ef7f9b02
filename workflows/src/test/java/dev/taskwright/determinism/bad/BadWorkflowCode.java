package dev.taskwright.determinism.bad;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Breaks each rule of {@code WorkflowDeterminismRules}, one method per violation, so {@code
 * WorkflowDeterminismRulesTest} can show that every rule fails when it should. Never run, only
 * analysed; it lives outside dev.taskwright.workflows and in the test sources, so the check of the
 * real workflow code never sees it.
 */
// Deliberately the code the determinism rules refuse; Error Prone would refuse some of it too.
@SuppressWarnings({"unused", "JavaUtilDate", "NonApiType"})
public class BadWorkflowCode {

  static int runs;

  static final List<String> SEEN = new ArrayList<>();

  private static final Logger log = LoggerFactory.getLogger(BadWorkflowCode.class);

  // Time

  long readsTheClock() {
    return System.currentTimeMillis();
  }

  Instant readsInstantNow() {
    return Instant.now();
  }

  Date makesADate() {
    return new Date();
  }

  LongSupplier readsTheClockByReference() {
    return System::nanoTime;
  }

  // Randomness

  int rollsADie() {
    return new Random().nextInt(6);
  }

  double callsMathRandom() {
    return Math.random();
  }

  UUID makesARandomUuid() {
    return UUID.randomUUID();
  }

  int usesThreadLocalRandom() {
    return ThreadLocalRandom.current().nextInt();
  }

  // Threads

  void sleeps() throws InterruptedException {
    Thread.sleep(10);
  }

  void startsAThread() {
    new Thread(() -> {}).start();
  }

  ExecutorService makesAnExecutor() {
    return Executors.newSingleThreadExecutor();
  }

  long countsInParallel(List<String> items) {
    return items.parallelStream().count();
  }

  // I/O

  String readsAFile(Path path) throws IOException {
    return Files.readString(path);
  }

  boolean checksAFile() {
    return new File("state.json").exists();
  }

  Process startsAProcess() throws IOException {
    return new ProcessBuilder("git", "status").start();
  }

  // The host's environment

  String readsAnEnvironmentVariable() {
    return System.getenv("HOME");
  }

  String readsASystemProperty() {
    return System.getProperty("user.home");
  }

  Integer readsASystemPropertyIndirectly() {
    return Integer.getInteger("taskwright.attempts");
  }

  void printsToStandardOutput() {
    System.out.println("hello");
  }

  // Iteration over hash order

  int iteratesAHashMap(Map<String, String> map) {
    int length = 0;
    for (Map.Entry<String, String> entry : map.entrySet()) {
      length += entry.getValue().length();
    }
    return length;
  }

  void walksAHashMapWithForEach(HashMap<String, String> map, List<String> out) {
    map.forEach((key, value) -> out.add(key));
  }

  long streamsASet(Set<String> set) {
    return set.stream().filter(String::isEmpty).count();
  }

  // Hash-ordered collections

  Map<String, String> makesAHashMap() {
    return new HashMap<>();
  }

  Set<String> makesASetOf() {
    return Set.of("a", "b");
  }

  Set<String> collectsToASet(List<String> items) {
    return items.stream().collect(Collectors.toSet());
  }

  // Shared static state

  int countsRuns() {
    return ++runs;
  }
}
