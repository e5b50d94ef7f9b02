package dev.taskwright.workflows;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.base.DescribedPredicate.or;
import static com.tngtech.archunit.core.domain.JavaAccess.Predicates.target;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.AccessTarget.CodeUnitAccessTarget;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.List;
import java.util.Set;

/**
 * What code that runs inside a workflow must not do, as ArchUnit rules over the compiled classes.
 * They carry over the list of invalid calls of Temporal's workflowcheck (its default {@code
 * workflowcheck.properties}: random, time, collection iteration, disk, network and OS, threads,
 * non-final static fields), which is not published to Maven Central (see docs/decisions.md). Unlike
 * workflowcheck, ArchUnit does not follow calls into the JDK or other libraries, so each rule also
 * names the library calls that workflowcheck would only find by following them (ThreadLocalRandom,
 * Integer.getInteger, ProcessBuilder, parallel streams, ...).
 *
 * <p>The rules select nothing by package: {@link WorkflowDeterminismTest} runs them over the
 * workflow code, {@link WorkflowDeterminismRulesTest} over fixtures that break each of them.
 *
 * <p>Only the static type at each call is known, not where a collection came from: iterating {@code
 * map.values()} is reported even when {@code map} is a LinkedHashMap. Iterate a List, a
 * LinkedHashMap/LinkedHashSet/SortedMap/SortedSet typed as such, or the keys in a List.
 */
final class WorkflowDeterminismRules {
  private WorkflowDeterminismRules() {}

  @ArchTest
  static final ArchRule NO_SYSTEM_TIME =
      noClasses()
          .should()
          .accessTargetWhere(
              target(
                  or(
                      anyMemberOf(java.time.Clock.class),
                      anyMemberOf(java.time.InstantSource.class),
                      member(System.class, "currentTimeMillis", "nanoTime"),
                      nowInJavaTime(),
                      member(java.util.Calendar.class, "getInstance"),
                      noArgConstructorOf(java.util.Date.class))))
          .because(
              "the clock differs when a history is replayed; use Workflow.currentTimeMillis() (the"
                  + " time of the workflow task, recorded in history) or Workflow.sleep/newTimer"
                  + " for waiting");

  @ArchTest
  static final ArchRule NO_RANDOMNESS =
      noClasses()
          .should()
          .accessTargetWhere(
              target(
                  or(
                      member(Math.class, "random"),
                      member(StrictMath.class, "random"),
                      noArgConstructorOf(java.util.Random.class),
                      noArgConstructorOf(java.util.SplittableRandom.class),
                      anyMemberOf(java.security.SecureRandom.class),
                      anyMemberOf(java.util.concurrent.ThreadLocalRandom.class),
                      member(java.util.UUID.class, "randomUUID"),
                      member(System.class, "identityHashCode"),
                      shuffleWithoutARandom())))
          .because(
              "a replay must make the same choices as the first run; use Workflow.newRandom() or"
                  + " Workflow.randomUUID(), whose seed is recorded in history");

  @ArchTest
  static final ArchRule NO_THREADS =
      noClasses()
          .should()
          .accessTargetWhere(
              target(
                  or(
                      threadExceptCurrentThreadAndInterrupt(),
                      objectMonitorMethods(),
                      anyMemberOf(java.util.concurrent.CompletableFuture.class),
                      anyMemberOf(java.util.concurrent.CountDownLatch.class),
                      anyMemberOf(java.util.concurrent.CyclicBarrier.class),
                      anyMemberOf(java.util.concurrent.Executor.class),
                      anyMemberOf(java.util.concurrent.Executors.class),
                      anyMemberOf(java.util.concurrent.Future.class),
                      anyMemberOf(java.util.concurrent.Phaser.class),
                      anyMemberOf(java.util.concurrent.Semaphore.class),
                      anyMemberOf(java.util.Timer.class),
                      member(java.util.Collection.class, "parallelStream"),
                      member(java.util.stream.BaseStream.class, "parallel"))))
          .because(
              "the SDK runs workflow code on its own threads, one at a time, and replays it in the"
                  + " same order; use Async.function/procedure, Promise, Workflow.await,"
                  + " Workflow.sleep and WorkflowQueue");

  @ArchTest
  static final ArchRule NO_IO =
      noClasses()
          .should()
          .accessTargetWhere(
              target(
                  or(
                      anyMemberOf(java.io.File.class),
                      anyMemberOf(java.io.FileInputStream.class),
                      anyMemberOf(java.io.FileOutputStream.class),
                      anyMemberOf(java.io.FileReader.class),
                      anyMemberOf(java.io.FileWriter.class),
                      anyMemberOf(java.io.RandomAccessFile.class),
                      member(ClassLoader.class, "getResourceAsStream"),
                      anyMemberOf(java.nio.file.Files.class),
                      anyMemberOf(java.nio.file.FileSystem.class),
                      anyMemberOf(java.nio.file.WatchService.class),
                      member(java.nio.file.Path.class, "toAbsolutePath", "toRealPath"),
                      anyMemberOf(java.nio.channels.AsynchronousChannel.class),
                      anyMemberOf(java.nio.channels.FileChannel.class),
                      anyMemberOf(java.nio.channels.NetworkChannel.class),
                      anyMemberOf(java.net.Socket.class),
                      anyMemberOf(java.net.ServerSocket.class),
                      anyMemberOf(java.net.DatagramSocket.class),
                      member(java.net.URL.class, "openConnection", "openStream"),
                      anyMemberOf(java.net.InetAddress.class),
                      anyMemberOf(java.net.http.HttpClient.class),
                      anyMemberOf(ProcessBuilder.class),
                      anyMemberOf(ProcessHandle.class),
                      anyMemberOf(Runtime.class))))
          .because(
              "files, the network and other processes answer differently on replay, and workflow"
                  + " code may run on any worker; do it in an activity (see"
                  + " dev.taskwright.workflows.ports)");

  @ArchTest
  static final ArchRule NO_HOST_ENVIRONMENT =
      noClasses()
          .should()
          .accessTargetWhere(
              target(
                  or(
                      member(
                          System.class,
                          "getenv",
                          "getProperty",
                          "getProperties",
                          "setProperty",
                          "setProperties",
                          "clearProperty",
                          "console",
                          "exit",
                          "load",
                          "loadLibrary",
                          "mapLibraryName",
                          "in",
                          "out",
                          "err",
                          "setIn",
                          "setOut",
                          "setErr",
                          "getLogger"),
                      member(Integer.class, "getInteger"),
                      member(Long.class, "getLong"),
                      member(Boolean.class, "getBoolean"),
                      member(java.util.Locale.class, "getDefault", "setDefault"),
                      member(java.util.TimeZone.class, "getDefault", "setDefault"),
                      member(java.time.ZoneId.class, "systemDefault"),
                      member(java.nio.charset.Charset.class, "defaultCharset"))))
          .because(
              "environment variables, system properties, default locale, time zone and charset"
                  + " differ from worker to worker, and a history may be replayed on any of them;"
                  + " pass what the workflow needs in its input, and log with Workflow.getLogger,"
                  + " which is quiet during replay");

  @ArchTest
  static final ArchRule NO_UNORDERED_ITERATION =
      noClasses()
          .should()
          .accessTargetWhere(target(unorderedIteration()))
          .because(
              "the order of a HashMap, HashSet or Set.of is not fixed from one JVM to the next, so"
                  + " a replay could issue commands in another order; iterate a List, or a"
                  + " LinkedHashMap, LinkedHashSet, SortedMap or SortedSet held in a variable of"
                  + " that type");

  @ArchTest
  static final ArchRule NO_HASH_ORDERED_COLLECTIONS =
      noClasses()
          .should()
          .accessTargetWhere(target(createsHashOrderedCollection()))
          .because(
              "hash order leaks out through JDK methods that iterate where this check cannot see"
                  + " (new ArrayList<>(set), String.join, toString), and Set.of/Map.of are salted"
                  + " anew in every JVM; use LinkedHashMap, LinkedHashSet, TreeMap, TreeSet or"
                  + " List");

  @ArchTest
  static final ArchRule STATIC_FIELDS_ARE_FINAL =
      fields()
          .that()
          .areStatic()
          .and()
          .doNotHaveModifier(JavaModifier.SYNTHETIC)
          .should()
          .beFinal()
          .allowEmptyShould(true)
          .because(
              "a static field is shared by every workflow on the worker and survives from one"
                  + " workflow task to the next, so a replay would start from whatever an earlier"
                  + " workflow left there");

  @ArchTest
  static final ArchRule STATIC_FIELDS_ARE_IMMUTABLE =
      fields()
          .that()
          .areStatic()
          .and()
          .doNotHaveModifier(JavaModifier.SYNTHETIC)
          .should(holdAnImmutableType())
          .allowEmptyShould(true)
          .because(
              "a final field holding a mutable object (a list, a map, an array, a counter) is still"
                  + " state shared by every workflow on the worker; keep constants to primitives,"
                  + " strings, enums, records, java.time values and the SDK's immutable options");

  @ArchTest
  static final ArchRule NO_MUTABLE_STATIC_STATE_ELSEWHERE =
      noClasses()
          .should()
          .accessFieldWhere(targetIsAMutableStaticField())
          .because(
              "a non-final static field of any class, ours or a library's, is state shared across"
                  + " workflows and with the rest of the JVM, which a replay cannot reproduce");

  @ArchTest
  static final ArchRule LOGS_THROUGH_WORKFLOW_GET_LOGGER =
      noClasses()
          .should()
          .accessTargetWhere(
              target(
                  or(
                      anyMemberOf(org.slf4j.LoggerFactory.class),
                      member(
                          java.util.logging.Logger.class,
                          "getLogger",
                          "getGlobal",
                          "getAnonymousLogger"))))
          .because(
              "Workflow.getLogger returns a logger that stays quiet while a history is replayed, so"
                  + " each line is logged once (DESIGN.md §10)");

  /** Every rule, for the fixture test. */
  static final List<ArchRule> ALL =
      List.of(
          NO_SYSTEM_TIME,
          NO_RANDOMNESS,
          NO_THREADS,
          NO_IO,
          NO_HOST_ENVIRONMENT,
          NO_UNORDERED_ITERATION,
          NO_HASH_ORDERED_COLLECTIONS,
          STATIC_FIELDS_ARE_FINAL,
          STATIC_FIELDS_ARE_IMMUTABLE,
          NO_MUTABLE_STATIC_STATE_ELSEWHERE,
          LOGS_THROUGH_WORKFLOW_GET_LOGGER);

  // ---- Predicates ----

  /**
   * Any method, constructor or field of {@code owner} or of a subtype, as workflowcheck matches a
   * class.
   */
  private static DescribedPredicate<AccessTarget> anyMemberOf(Class<?> owner) {
    return describe(owner.getName(), target -> target.getOwner().isAssignableTo(owner));
  }

  /** The members named {@code names} (any overload) of {@code owner} or of a subtype. */
  private static DescribedPredicate<AccessTarget> member(Class<?> owner, String... names) {
    Set<String> wanted = Set.of(names);
    return describe(
        owner.getName() + "." + String.join("|", names),
        target -> wanted.contains(target.getName()) && target.getOwner().isAssignableTo(owner));
  }

  /**
   * {@code new Owner()} with no arguments (seeded from the clock or the OS); a seeded one is fine.
   */
  private static DescribedPredicate<AccessTarget> noArgConstructorOf(Class<?> owner) {
    return describe(
        "new " + owner.getName() + "()",
        target ->
            target.getName().equals("<init>")
                && target.getOwner().isEquivalentTo(owner)
                && ((CodeUnitAccessTarget) target).getRawParameterTypes().isEmpty());
  }

  /**
   * {@code now()} of any java.time type (Instant, LocalDate, ZonedDateTime, Year, ...) and {@code
   * Chronology.dateNow}.
   */
  private static DescribedPredicate<AccessTarget> nowInJavaTime() {
    return describe(
        "java.time.*.now|dateNow",
        target ->
            (target.getName().equals("now") || target.getName().equals("dateNow"))
                && target.getOwner().getPackageName().startsWith("java.time"));
  }

  /** {@code Collections.shuffle(list)}, which draws from a Random seeded by the clock. */
  private static DescribedPredicate<AccessTarget> shuffleWithoutARandom() {
    return describe(
        "java.util.Collections.shuffle(List)",
        target ->
            target.getName().equals("shuffle")
                && target.getOwner().isEquivalentTo(java.util.Collections.class)
                && ((CodeUnitAccessTarget) target).getRawParameterTypes().size() == 1);
  }

  /**
   * Thread, but not currentThread and interrupt, which libraries use to re-interrupt (as
   * workflowcheck allows).
   */
  private static DescribedPredicate<AccessTarget> threadExceptCurrentThreadAndInterrupt() {
    return describe(
        "java.lang.Thread except currentThread|interrupt",
        target ->
            target.getOwner().isAssignableTo(Thread.class)
                && !target.getName().equals("currentThread")
                && !target.getName().equals("interrupt"));
  }

  /** Object.wait, notify and notifyAll, on any object (they are final, so the name is enough). */
  private static DescribedPredicate<AccessTarget> objectMonitorMethods() {
    Set<String> names = Set.of("wait", "notify", "notifyAll");
    return describe(
        "java.lang.Object.wait|notify|notifyAll",
        target ->
            target instanceof CodeUnitAccessTarget codeUnit
                && names.contains(target.getName())
                && codeUnit.getRawParameterTypes().stream().allMatch(JavaClass::isPrimitive));
  }

  /**
   * Iterating an Iterable, or a Map with forEach, whose static type does not promise an order:
   * workflowcheck's Iterable.forEach/iterator/spliterator and
   * Collection.stream/parallelStream/toArray, with Map.forEach added.
   */
  private static DescribedPredicate<AccessTarget> unorderedIteration() {
    Set<String> iterating =
        Set.of("iterator", "spliterator", "forEach", "stream", "parallelStream", "toArray");
    // Collections whose iteration order is fixed by what was put in them (workflowcheck's
    // exceptions).
    List<Class<?>> ordered =
        List.of(
            java.util.List.class,
            java.util.LinkedHashMap.class,
            java.util.LinkedHashSet.class,
            java.util.SortedMap.class,
            java.util.SortedSet.class,
            java.util.ArrayDeque.class);
    return describe(
        "iteration over a collection not typed as ordered (List, LinkedHashMap, LinkedHashSet,"
            + " SortedMap, SortedSet, ArrayDeque)",
        target -> {
          JavaClass owner = target.getOwner();
          boolean iterates =
              (iterating.contains(target.getName()) && owner.isAssignableTo(Iterable.class))
                  || (target.getName().equals("forEach")
                      && owner.isAssignableTo(java.util.Map.class));
          return iterates
              && target instanceof CodeUnitAccessTarget
              && !owner.getPackageName().startsWith("io.temporal.workflow")
              && ordered.stream().noneMatch(owner::isAssignableTo);
        });
  }

  /** Creating a collection whose order follows hash codes. */
  private static DescribedPredicate<AccessTarget> createsHashOrderedCollection() {
    List<Class<?>> hashed =
        List.of(
            java.util.HashMap.class,
            java.util.HashSet.class,
            java.util.Hashtable.class,
            java.util.IdentityHashMap.class,
            java.util.WeakHashMap.class,
            java.util.concurrent.ConcurrentHashMap.class);
    return or(
        describe(
            "new HashMap|HashSet|Hashtable|IdentityHashMap|WeakHashMap|ConcurrentHashMap",
            target ->
                target.getName().equals("<init>")
                    && hashed.stream().anyMatch(target.getOwner()::isEquivalentTo)),
        member(java.util.Set.class, "of", "copyOf"),
        member(java.util.Map.class, "of", "ofEntries", "copyOf"),
        member(
            java.util.stream.Collectors.class,
            "toSet",
            "toUnmodifiableSet",
            "toUnmodifiableMap",
            "toConcurrentMap",
            "groupingByConcurrent"),
        describe(
            "java.util.stream.Collectors.toMap|groupingBy without a map factory",
            target ->
                target.getOwner().isEquivalentTo(java.util.stream.Collectors.class)
                    && ((target.getName().equals("toMap") && parameterCount(target) < 4)
                        || (target.getName().equals("groupingBy") && parameterCount(target) < 3))));
  }

  private static int parameterCount(AccessTarget target) {
    return target instanceof CodeUnitAccessTarget codeUnit
        ? codeUnit.getRawParameterTypes().size()
        : -1;
  }

  /** Reading or writing a static field that is not final, of any class. */
  private static DescribedPredicate<JavaFieldAccess> targetIsAMutableStaticField() {
    return describe(
        "target is a static field that is not final",
        access ->
            access
                .getTarget()
                .resolveMember()
                .map(
                    field ->
                        field.getModifiers().contains(JavaModifier.STATIC)
                            && !field.getModifiers().contains(JavaModifier.FINAL))
                .orElse(false));
  }

  /** Types whose instances cannot change: what a static field may hold. */
  private static ArchCondition<JavaField> holdAnImmutableType() {
    Set<String> immutable =
        Set.of(
            String.class.getName(),
            Integer.class.getName(),
            Long.class.getName(),
            Short.class.getName(),
            Byte.class.getName(),
            Character.class.getName(),
            Boolean.class.getName(),
            Double.class.getName(),
            Float.class.getName(),
            java.util.regex.Pattern.class.getName(),
            org.slf4j.Logger.class.getName(),
            io.temporal.common.RetryOptions.class.getName(),
            io.temporal.common.SearchAttributeKey.class.getName(),
            io.temporal.activity.ActivityOptions.class.getName());
    DescribedPredicate<JavaClass> immutableType =
        describe(
            "primitive, String, boxed primitive, enum, record, java.time value, Pattern, Logger or"
                + " SDK options",
            type ->
                type.isPrimitive()
                    || type.isEnum()
                    || type.isRecord()
                    || immutable.contains(type.getName())
                    || (type.getPackageName().equals("java.time")
                        && !type.isAssignableTo(java.time.Clock.class)));
    return new ArchCondition<>("hold an immutable type (" + immutableType.getDescription() + ")") {
      @Override
      public void check(JavaField field, ConditionEvents events) {
        boolean ok = immutableType.test(field.getRawType());
        String message =
            "Field <"
                + field.getFullName()
                + "> has type <"
                + field.getRawType().getName()
                + ">, which "
                + (ok ? "is" : "is not")
                + " known to be immutable, in "
                + field.getSourceCodeLocation();
        events.add(new SimpleConditionEvent(field, ok, message));
      }
    };
  }
}
