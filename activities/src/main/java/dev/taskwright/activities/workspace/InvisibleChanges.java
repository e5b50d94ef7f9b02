package dev.taskwright.activities.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Work in a worktree that a commit of the task branch cannot hold, so that committing it would
 * silently leave it behind and removing the worktree would delete it:
 *
 * <ul>
 *   <li>files in the folder of a submodule that is not initialised, which git does not look into at
 *       all ({@code git status} shows nothing);
 *   <li>changes inside an initialised submodule (modified or untracked files there), which the
 *       task's commit does not include;
 *   <li>a repository of its own inside the worktree (a {@code .git} the agent made), which {@code
 *       git add} would record as a bare reference to a commit that exists nowhere else;
 *   <li>at cleanup only: a submodule commit the task branch records that no remote-tracking branch
 *       of the submodule contains. It lives in the worktree's own copy of the submodule's
 *       repository, which removing the worktree deletes, leaving the branch pointing at nothing.
 * </ul>
 *
 * Each is one entry: the path and, in brackets, which of these it is. Ignored files are not work.
 */
final class InvisibleChanges {

  private static final String GITLINK_MODE = "160000";

  /** How many files of one uninitialised submodule folder are listed; enough to name the work. */
  private static final int FILES_PER_FOLDER = 20;

  private InvisibleChanges() {}

  /**
   * @param withSubmoduleCommits also count commits in a submodule that the worktree has not
   *     recorded (cleanup: removing the worktree would delete them with the submodule's git folder)
   */
  static List<String> find(Git inWorktree, Path worktree, boolean withSubmoduleCommits) {
    List<String> found = new ArrayList<>();
    for (String gitlink : gitlinks(inWorktree, worktree)) {
      Path folder = worktree.resolve(gitlink);
      if (Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)
          && !Files.exists(folder.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) {
        filesIn(folder)
            .forEach(
                file ->
                    found.add(
                        gitlink
                            + "/"
                            + folder.relativize(file)
                            + " (in submodule folder "
                            + gitlink
                            + ", not initialised)"));
      }
    }
    String status =
        inWorktree
            .run(
                worktree,
                "--no-optional-locks",
                "status",
                "--porcelain=v2",
                "-z",
                "--untracked-files=all",
                "--ignore-submodules=none")
            .stdout();
    String[] records = status.split("\0");
    for (int i = 0; i < records.length; i++) {
      String record = records[i];
      if (record.startsWith("? ")) {
        String path = record.substring(2);
        // With --untracked-files=all git shows a folder only when it is a repository of its own.
        if (path.endsWith("/")) {
          found.add(path + " (a repository of its own)");
        }
        continue;
      }
      String[] fields;
      if (record.startsWith("1 ")) {
        fields = record.split(" ", 9);
      } else if (record.startsWith("2 ")) {
        fields = record.split(" ", 10);
        i++; // the original path of a rename
      } else if (record.startsWith("u ")) {
        fields = record.split(" ", 11);
      } else {
        continue;
      }
      String submodule = fields[2];
      if (submodule.length() != 4 || submodule.charAt(0) != 'S') {
        continue;
      }
      String path = fields[fields.length - 1];
      if (submodule.charAt(2) == 'M' || submodule.charAt(3) == 'U') {
        found.add(path + " (changes inside the submodule)");
      } else if (withSubmoduleCommits && submodule.charAt(1) == 'C') {
        found.add(path + " (commits in the submodule the task did not record)");
      }
    }
    if (withSubmoduleCommits) {
      found.addAll(recordedCommitsOnlyHere(inWorktree, worktree));
    }
    return found;
  }

  /**
   * Initialised submodules whose recorded commit no remote-tracking branch of the submodule
   * contains: a commit made here (by the agent) that was never pushed.
   */
  private static List<String> recordedCommitsOnlyHere(Git inWorktree, Path worktree) {
    List<String> found = new ArrayList<>();
    for (String entry :
        inWorktree.run(worktree, "ls-files", "--stage", "-z").stdout().split("\0")) {
      int tab = entry.indexOf('\t');
      if (!entry.startsWith(GITLINK_MODE + " ") || tab < 0) {
        continue;
      }
      String path = entry.substring(tab + 1);
      String commit =
          entry.substring(GITLINK_MODE.length() + 1, entry.indexOf(' ', GITLINK_MODE.length() + 1));
      Path folder = worktree.resolve(path);
      if (!Files.exists(folder.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      Git.Result containing =
          inWorktree.tryRun(
              folder, "for-each-ref", "--contains", commit, "--format=%(refname)", "refs/remotes");
      if (containing.succeeded() && containing.out().isEmpty()) {
        found.add(
            path
                + " (records submodule commit "
                + commit.substring(0, Math.min(12, commit.length()))
                + ", which only this worktree holds: push it from "
                + folder
                + " first)");
      }
    }
    return found;
  }

  /** The paths of the worktree's index entries that are submodules. */
  private static List<String> gitlinks(Git inWorktree, Path worktree) {
    List<String> gitlinks = new ArrayList<>();
    for (String entry :
        inWorktree.run(worktree, "ls-files", "--stage", "-z").stdout().split("\0")) {
      int tab = entry.indexOf('\t');
      if (entry.startsWith(GITLINK_MODE + " ") && tab > 0) {
        String path = entry.substring(tab + 1);
        if (!gitlinks.contains(path)) {
          gitlinks.add(path);
        }
      }
    }
    return gitlinks;
  }

  private static List<Path> filesIn(Path folder) {
    try (Stream<Path> files = Files.walk(folder)) {
      return files
          .filter(file -> !Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS))
          .sorted()
          .limit(FILES_PER_FOLDER)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + folder, e);
    }
  }
}
