package dev.taskwright.starter;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * Logback's configuration when a command starts: no log lines at all (a CLI command prints its own
 * output and nothing else; {@link Logging} turns logging on for worker, dev, demo and --verbose).
 * Set in code rather than in a logback.xml because reading XML loads hundreds of classes (Joran and
 * the JDK's SAX parser), a cost every command paid at start-up (figures in bench/RESULTS.md,
 * `taskwright status` end to end). Found through {@code
 * META-INF/services/ch.qos.logback.classic.spi.Configurator}. Where a logback-test.xml is on the
 * class path (the tests), that file is used instead.
 */
public final class QuietLoggingConfigurator extends ContextAwareBase implements Configurator {

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (QuietLoggingConfigurator.class.getClassLoader().getResource("logback-test.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.OFF);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
