package dev.taskwright.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pinned Claude Code CLI the tests drive, and the environment that points it at a scripted
 * model.
 */
public final class ClaudeCli {
  private ClaudeCli() {}

  /**
   * The CLI installed in the project's {@code .tools} folder (Surefire passes its location as
   * {@code taskwright.tools.dir}). Fails the test, never skips it, when it is missing.
   */
  public static Path locate() {
    String tools = System.getProperty("taskwright.tools.dir");
    if (tools == null || tools.isBlank()) {
      throw new AssertionError(
          "System property taskwright.tools.dir is not set; run the tests through Maven, after"
              + " bin/install-test-tools");
    }
    Path claude = Path.of(tools, "claude-code", "node_modules", ".bin", "claude");
    if (!Files.isExecutable(claude)) {
      throw new AssertionError(
          "Claude Code CLI not found at " + claude + ": run bin/install-test-tools");
    }
    return claude;
  }

  /**
   * Variables that make the CLI talk to the model at {@code baseUrl} with a dummy key, send no
   * telemetry and no other traffic, never update itself, and keep its settings and sessions under
   * {@code home} (one per test, so tests never see each other's sessions).
   */
  public static Map<String, String> environment(String baseUrl, Path home) {
    try {
      Files.createDirectories(home);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Map<String, String> env = new LinkedHashMap<>();
    env.put("ANTHROPIC_BASE_URL", baseUrl);
    env.put("ANTHROPIC_API_KEY", "sk-ant-scripted-test-key");
    env.put("DISABLE_TELEMETRY", "1");
    env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
    env.put("DISABLE_AUTOUPDATER", "1");
    env.put("HOME", home.toAbsolutePath().toString());
    return env;
  }
}
