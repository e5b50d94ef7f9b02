package dev.taskwright.starter;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import dev.taskwright.activities.Home;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Where log lines go. By default ({@link QuietLoggingConfigurator}) nowhere: a CLI command prints
 * its own output and nothing else, so Temporal's and gRPC's chatter never reaches a user. A worker
 * is different: its operator wants to see tasks move, so {@code worker} and {@code dev} log
 * taskwright at INFO (and everyone else's warnings) to stderr and to {@code
 * <home>/logs/worker.log}; {@code demo} logs to the file only, so its own story stays readable.
 */
public final class Logging {
  private Logging() {}

  static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{30} - %msg%n";

  /** The worker's log file, under the home folder. */
  public static Path workerLog(Home home) {
    return home.root().resolve("logs").resolve("worker.log");
  }

  public static void workerToConsoleAndFile(Home home) {
    Logger root = reset();
    root.addAppender(console(root.getLoggerContext()));
    root.addAppender(file(root.getLoggerContext(), workerLog(home)));
  }

  public static void workerToFile(Home home) {
    Logger root = reset();
    root.addAppender(file(root.getLoggerContext(), workerLog(home)));
  }

  /** {@code --verbose}: warnings from everyone, and taskwright's own debugging, on stderr. */
  public static void verbose() {
    Logger root = reset();
    root.addAppender(console(root.getLoggerContext()));
    context().getLogger("dev.taskwright").setLevel(Level.DEBUG);
  }

  private static Logger reset() {
    LoggerContext context = context();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    root.setLevel(Level.WARN);
    context.getLogger("dev.taskwright").setLevel(Level.INFO);
    // The in-process server lacks worker heartbeats; the SDK says so once at start-up, as a warning
    // nobody can act on.
    context.getLogger("io.temporal.internal.worker.HeartbeatManager").setLevel(Level.ERROR);
    return root;
  }

  private static OutputStreamAppender<ILoggingEvent> console(LoggerContext context) {
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName("stderr");
    appender.setTarget("System.err");
    appender.setEncoder(encoder(context));
    appender.start();
    return appender;
  }

  private static OutputStreamAppender<ILoggingEvent> file(LoggerContext context, Path path) {
    FileAppender<ILoggingEvent> appender = new FileAppender<>();
    appender.setContext(context);
    appender.setName("worker-log");
    try {
      dev.taskwright.activities.OwnerOnly.createFile(path);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot create the worker log " + path, e);
    }
    appender.setFile(path.toString());
    appender.setAppend(true);
    appender.setEncoder(encoder(context));
    appender.start();
    return appender;
  }

  private static PatternLayoutEncoder encoder(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    return encoder;
  }

  private static LoggerContext context() {
    return (LoggerContext) LoggerFactory.getILoggerFactory();
  }
}
