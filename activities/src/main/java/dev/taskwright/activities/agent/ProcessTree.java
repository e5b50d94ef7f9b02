package dev.taskwright.activities.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills an agent together with everything it started. Agents run shells, test runners and servers;
 * killing only the top process would leave those working in the worktree. Two nets catch them: the
 * process group (the agent is started through {@code setsid}, so its whole group is its own, even
 * children that were orphaned), and the descendants Java can see.
 */
public final class ProcessTree {
  private static final Logger log = LoggerFactory.getLogger(ProcessTree.class);

  /** {@code setsid} puts the agent in a new session and process group; absent on some systems. */
  private static final Path SETSID = findSetsid();

  private ProcessTree() {}

  /**
   * The command prefixed so that the agent leads its own process group, when the system allows it.
   */
  public static List<String> inOwnProcessGroup(List<String> command) {
    if (SETSID == null) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(command.size() + 2);
    wrapped.add(SETSID.toString());
    // -w: should setsid ever need to fork, it still waits, so the Java process is the agent's
    // lifetime.
    wrapped.add("-w");
    wrapped.addAll(command);
    return wrapped;
  }

  /**
   * Stops {@code root}, its process group and all its descendants: SIGTERM first so the agent can
   * save its session, SIGKILL after {@code grace}, then waits until every one of them is gone.
   *
   * @return true when no process of the tree is left
   */
  public static boolean kill(ProcessHandle root, Set<ProcessHandle> alsoKnown, Duration grace) {
    Set<ProcessHandle> tree = new LinkedHashSet<>();
    tree.add(root);
    tree.addAll(alsoKnown);
    root.descendants().forEach(tree::add);
    long group = root.pid();

    signalGroup(group, "TERM");
    tree.forEach(ProcessHandle::destroy);
    if (waitForAll(tree, grace)) {
      // Children started after the snapshot may still run in the group.
      signalGroup(group, "KILL");
      return true;
    }
    root.descendants().forEach(tree::add);
    log.warn("Process tree of {} did not stop within {}; killing it", root.pid(), grace);
    signalGroup(group, "KILL");
    tree.forEach(ProcessHandle::destroyForcibly);
    boolean gone = waitForAll(tree, Duration.ofSeconds(10));
    if (!gone) {
      log.error(
          "Processes of the tree of {} survived SIGKILL: {}",
          root.pid(),
          tree.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList());
    }
    return gone;
  }

  /**
   * Kills what is left of a process group whose leader has exited (background jobs of the agent).
   */
  static void killGroup(long group) {
    signalGroup(group, "KILL");
  }

  private static boolean waitForAll(Set<ProcessHandle> processes, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ProcessHandle process : processes) {
      long left = deadline - System.nanoTime();
      try {
        process.onExit().get(Math.max(left, 0), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (Exception timedOutOrGone) {
        if (process.isAlive()) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Signals a whole process group. Java has no API for that, so it runs {@code kill}; a group that
   * no longer exists makes {@code kill} fail quietly, which is fine.
   */
  private static void signalGroup(long group, String signal) {
    if (SETSID == null) {
      return;
    }
    try {
      Process kill =
          new ProcessBuilder("kill", "-s", signal, "--", "-" + group)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!kill.waitFor(5, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
      }
    } catch (IOException e) {
      log.warn("Could not signal process group {}: {}", group, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Path findSetsid() {
    for (String candidate : List.of("/usr/bin/setsid", "/bin/setsid")) {
      Path path = Path.of(candidate);
      if (Files.isExecutable(path)) {
        return path;
      }
    }
    return null;
  }
}
