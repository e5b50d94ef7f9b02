package dev.taskwright.activities.workspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Symbolic links the task adds (in its commits or staged for the next) whose targets resolve
 * outside its worktree: {@code secrets -> /etc/passwd}, {@code up -> ../../..}. Such a link,
 * merged, makes the repository point into the machine of whoever checks it out.
 *
 * <p>A link is compared with the base commit, so one the agent adds and later removes is not
 * reported, and one the repository already had is not the task's. Its target is resolved through
 * every link on the way where they exist (a link into a folder that is itself a link out counts),
 * and by its text where they do not (a link to a file that does not exist yet).
 */
final class OutsideLinkFinder {

  private static final String LINK_MODE = "120000";

  private OutsideLinkFinder() {}

  /** Entries {@code path -> target}, in git's order; run after {@code git add --all}. */
  static List<String> find(Git inWorktree, Path worktree, String baseCommit) {
    String raw =
        inWorktree
            .run(
                worktree,
                "diff",
                "--cached",
                "--raw",
                "-z",
                "--no-renames",
                "--no-abbrev",
                "--ignore-submodules=all",
                baseCommit)
            .stdout();
    Path root = realPath(worktree);
    List<String> outside = new ArrayList<>();
    String[] fields = raw.split("\0");
    for (int i = 0; i + 1 < fields.length; i += 2) {
      String[] meta = fields[i].split(" ");
      String path = fields[i + 1];
      if (meta.length < 5 || !LINK_MODE.equals(meta[1]) || meta[4].startsWith("D")) {
        continue;
      }
      Path link = worktree.resolve(path);
      String target = targetOf(inWorktree, worktree, link, meta[3]);
      if (target != null && pointsOutside(root, link, target)) {
        outside.add(path + " -> " + target);
      }
    }
    return outside;
  }

  /**
   * The link's target as the worktree has it, or as the index has it when the file on disk is not
   * that link.
   */
  private static String targetOf(Git inWorktree, Path worktree, Path link, String blob) {
    if (Files.isSymbolicLink(link)) {
      try {
        return Files.readSymbolicLink(link).toString();
      } catch (IOException e) {
        // Read from the index below.
      }
    }
    Git.Result content = inWorktree.tryRun(worktree, "cat-file", "blob", blob);
    return content.succeeded() ? content.stdout() : null;
  }

  private static boolean pointsOutside(Path root, Path link, String target) {
    Path resolved;
    try {
      resolved = link.toRealPath();
    } catch (IOException | InvalidPathException dangling) {
      try {
        Path parent = link.getParent();
        resolved = realPath(parent).resolve(target).normalize();
      } catch (InvalidPathException | UnresolvableFolder unreadable) {
        return true;
      }
    }
    return !resolved.startsWith(root);
  }

  private static Path realPath(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      Path absolute = path.toAbsolutePath().normalize();
      if (!Files.exists(absolute, LinkOption.NOFOLLOW_LINKS) && absolute.getParent() != null) {
        return realPath(absolute.getParent()).resolve(absolute.getFileName());
      }
      throw new UnresolvableFolder();
    }
  }

  private static final class UnresolvableFolder extends RuntimeException {
    UnresolvableFolder() {
      super(null, null, false, false);
    }
  }
}
