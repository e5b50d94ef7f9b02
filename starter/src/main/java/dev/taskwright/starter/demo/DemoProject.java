package dev.taskwright.starter.demo;

import dev.taskwright.activities.Home;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The demo's scratch material, all under {@code <home>/demo}: a small git repository to work on,
 * and the script that plays the agent. Nothing outside the home folder is read or written, apart
 * from git reading the user's own configuration.
 */
public final class DemoProject {

  static final String SCRIPT_RESOURCE = "/dev/taskwright/starter/demo/demo-agent.sh";

  /** Used only when the user has no git identity, and only in the demo repository's own config. */
  static final String FALLBACK_NAME = "taskwright demo";

  static final String FALLBACK_EMAIL = "demo@taskwright.invalid";

  private final Path root;
  private final Map<String, String> environment;

  /**
   * @param home the taskwright home folder
   * @param environment the variables git runs with (the CLI's own, so a test can hide the user's
   *     git configuration)
   */
  public DemoProject(Home home, Map<String, String> environment) {
    this.root = home.root().resolve("demo");
    this.environment = Map.copyOf(environment);
  }

  /**
   * The scratch repository; created on first use, reused afterwards (each demo task gets its own
   * branch).
   */
  public Path repository() {
    return root.resolve("project");
  }

  public Path agentScript() {
    return root.resolve("demo-agent.sh");
  }

  /**
   * Creates the repository if needed and writes the agent script; returns the command that runs the
   * script.
   */
  public List<String> prepare() {
    try {
      dev.taskwright.activities.OwnerOnly.createDirectories(root);
      if (!Files.isDirectory(repository().resolve(".git"))) {
        createRepository();
      }
      try (InputStream script = DemoProject.class.getResourceAsStream(SCRIPT_RESOURCE)) {
        if (script == null) {
          throw new IllegalStateException(
              "the demo agent script is missing from the jar: " + SCRIPT_RESOURCE);
        }
        Files.copy(script, agentScript(), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set up the demo under " + root, e);
    }
    // Run through bash rather than as an executable file, so a home folder on a noexec mount still
    // works.
    return List.of("bash", agentScript().toString());
  }

  private void createRepository() throws IOException {
    Path repo = repository();
    // Build in a side folder and move it in place, so an interrupted first run never leaves half a
    // repository.
    Path building = root.resolve("project.building");
    deleteRecursively(building);
    Files.createDirectories(building);
    git(building, "init", "-q");
    git(building, "symbolic-ref", "HEAD", "refs/heads/main");
    if (git(building, "config", "user.email").isBlank()) {
      git(building, "config", "user.name", FALLBACK_NAME);
      git(building, "config", "user.email", FALLBACK_EMAIL);
    }
    Files.writeString(
        building.resolve("README.md"),
        "# taskwright demo project\n\n"
            + "A scratch repository made by `taskwright demo`. Each demo task works on its own"
            + " branch, taskwright/<task-id>.\n",
        StandardCharsets.UTF_8);
    Files.writeString(building.resolve("greeting.txt"), "Hello, world.\n", StandardCharsets.UTF_8);
    git(building, "add", "-A");
    git(building, "commit", "-q", "-m", "A project for the taskwright demo");
    Files.move(building, repo);
  }

  /**
   * Runs git and returns its standard output; a failure is an error, except that {@code config KEY}
   * may find nothing.
   */
  String git(Path directory, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("git", "-C", directory.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(environment);
    Process process = builder.start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("git " + String.join(" ", args) + " took more than a minute");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted while running git", e);
    }
    boolean lookup = args.length == 2 && args[0].equals("config");
    if (process.exitValue() != 0 && !lookup) {
      throw new IOException("git " + String.join(" ", args) + " failed: " + output.strip());
    }
    return process.exitValue() == 0 ? output.strip() : "";
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (var paths = Files.walk(path)) {
      for (Path each : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(each);
      }
    }
  }
}
