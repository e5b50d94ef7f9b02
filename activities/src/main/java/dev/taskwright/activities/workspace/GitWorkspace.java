package dev.taskwright.activities.workspace;

import dev.taskwright.activities.Home;
import dev.taskwright.activities.InvalidInputException;
import dev.taskwright.workflows.FailureType;
import dev.taskwright.workflows.Names;
import dev.taskwright.workflows.TaskIds;
import dev.taskwright.workflows.model.CleanupInput;
import dev.taskwright.workflows.model.CleanupResult;
import dev.taskwright.workflows.model.CommitInput;
import dev.taskwright.workflows.model.CommitResult;
import dev.taskwright.workflows.model.MergeInput;
import dev.taskwright.workflows.model.MergeResult;
import dev.taskwright.workflows.model.PrepareInput;
import dev.taskwright.workflows.model.Workspace;
import dev.taskwright.workflows.ports.WorkspaceActivities;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task worktrees through the git CLI.
 *
 * <p><b>Where worktrees go.</b> A task's worktree is {@code
 * <TASKWRIGHT_HOME>/worktrees/<name>-<hash>/<task-id>}, on branch {@code taskwright/<task-id>}.
 * {@code <name>} is the repository's folder name (so a person can find it) and {@code <hash>} the
 * first 8 hex digits of the SHA-256 of the absolute, symlink-free path of the repository's common
 * git folder (so two repositories that share a folder name never share a worktree folder). The
 * common git folder, rather than the work tree, identifies the repository because all worktrees
 * of one repository share branches: a task started from a linked worktree of a repository lands
 * beside the tasks started from its main checkout.
 *
 * <p><b>A stable base.</b> Before it creates the task branch, {@code prepare} records the base
 * commit in the repository's config as {@code branch.taskwright/<id>.taskwrightBase}, and every
 * later call reads it back instead of resolving the base ref again. A retried {@code prepare}
 * therefore returns the same {@code baseCommit} even when the base branch moved between the
 * attempts, and the record lives exactly as long as the branch: {@code git branch -d} removes a
 * branch's config section with it. The results of further dependencies to merge into a new
 * branch ({@code alsoMerge}) are recorded beside the base and merged right after the worktree is
 * created; see {@link DependencyMerges}.
 *
 * <p><b>Crash recovery.</b> Every step checks what an earlier, interrupted attempt left: a base
 * recorded but no branch, a branch but no worktree, a worktree registered whose folder is gone, a
 * worktree whose checkout stopped half way, or the finished worktree. Each is carried forward;
 * nothing a person made (a folder in the way, a branch taskwright did not create, a checkout of
 * the task branch elsewhere) is ever deleted or overwritten, and uncommitted work is never removed.
 *
 * <p>Input problems become non-retryable {@code INVALID_INPUT} failures with a message for the
 * user; git failures become retryable {@code GIT_FAILED} failures carrying the command and stderr.
 */
public class GitWorkspace implements WorkspaceActivities {

  private static final Logger log = LoggerFactory.getLogger(GitWorkspace.class);

  /** The config variable, in the task branch's section, that holds the base commit. */
  static final String BASE_CONFIG_VARIABLE = "taskwrightBase";

  /** The identity of taskwright's commits for a user who has configured none. */
  static final String FALLBACK_NAME = "taskwright";

  static final String FALLBACK_EMAIL = "taskwright@localhost";

  /** How many changed paths a kept worktree's reason names before it only counts them. */
  private static final int PATHS_NAMED = 3;

  private final Home home;
  private final String host;
  private final Git git;
  private final DependencyMerges dependencyMerges;

  public GitWorkspace(Home home, String host) {
    this(home, host, Git.standard());
  }

  GitWorkspace(Home home, String host, Git git) {
    this.home = home;
    this.host = host;
    this.git = git;
    this.dependencyMerges = new DependencyMerges(git);
  }

  @Override
  public Workspace prepare(PrepareInput input) {
    return reportingFailures("prepare", input, PrepareInput::taskId, this::prepareWorktree);
  }

  @Override
  public CommitResult commit(CommitInput input) {
    return reportingFailures("commit", input, CommitInput::taskId, this::commitChanges);
  }

  @Override
  public MergeResult merge(MergeInput input) {
    return reportingFailures("merge", input, MergeInput::taskId, this::mergeTaskBranch);
  }

  @Override
  public CleanupResult cleanup(CleanupInput input) {
    return reportingFailures("cleanup", input, CleanupInput::taskId, this::removeWorktree);
  }

  private Workspace prepareWorktree(PrepareInput input) {
    String taskId = requireTaskId(input.taskId());
    Path repo = GitChecks.repositoryRoot(git, requirePath(input.repo(), "repository"));
    // Only reads the repository, so it is done before taking the repository's lock: every task of
    // a repository prepares in turn, and what runs under the lock bounds how fast they start.
    Path path = worktreePath(repo, taskId);
    return RepositoryLocks.holding(
        repo,
        () -> {
          String branch = Names.branch(taskId);
          BranchOrigin origin = branchOrigin(repo, branch, input);
          ensureWorktree(repo, taskId, branch, origin, path);
          dependencyMerges.apply(path, taskId, branch, origin.baseCommit(), origin.alsoMerged());
          log.info("Task {}: worktree {} on {} from {}", taskId, path, branch, origin.baseCommit());
          return new Workspace(path.toString(), branch, origin.baseCommit(), host);
        });
  }

  private CommitResult commitChanges(CommitInput input) {
    String taskId = requireTaskId(input.taskId());
    Workspace workspace = requirePresent(input.workspace(), "workspace");
    String baseCommit = requirePresent(workspace.baseCommit(), "base commit");
    Path path = requirePath(workspace.path(), "worktree");
    Git inWorktree = requireWorktree(path, taskId);
    requireOnBranch(inWorktree, path, workspace.branch());
    List<String> changed = changedPaths(inWorktree, path, true);
    if (!changed.isEmpty()) {
      inWorktree.run(path, "add", "--all");
      inWorktree.run(path, commitCommand(inWorktree, path), commitMessage(taskId, input.title()));
      log.info("Task {}: committed {} changed path(s) in {}", taskId, changed.size(), path);
    }
    String head = inWorktree.run(path, "rev-parse", "--verify", "HEAD^{commit}").out();
    // The dependencies' own commits that prepare merged in are theirs, not the task's; the merge commits are the task's.
    List<String> range = new ArrayList<>(List.of("rev-list", "--reverse", "HEAD", "^" + baseCommit));
    dependencyMerges.recorded(inWorktree, path, workspace.branch()).forEach(merged -> range.add("^" + merged));
    List<String> commits = inWorktree.run(path, range).stdout().lines().toList();
    return new CommitResult(commits, head, List.of());
  }

  private MergeResult mergeTaskBranch(MergeInput input) {
    String taskId = requireTaskId(input.taskId());
    Path repo = GitChecks.repositoryRoot(git, requirePath(input.repo(), "repository"));
    MergeResult result =
        RepositoryLocks.holding(repo, () -> new TaskBranchMerge(git).merge(repo, taskId, input.title(), input.targetBranch()));
    log.info("Task {}: merge into {} ended {}: {}", taskId, input.targetBranch(), result.status(), result.message());
    return result;
  }

  private CleanupResult removeWorktree(CleanupInput input) {
    Workspace workspace = requirePresent(input.workspace(), "workspace");
    Path path = requirePath(workspace.path(), "worktree");
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      forgetRegistrationOf(input.repo(), path);
      return new CleanupResult(true, null);
    }
    if (!isWorktreeAt(path)) {
      return kept(path, path + " is no longer a git worktree, so taskwright left it alone");
    }
    Git inWorktree = git.confinedTo(path);
    List<String> changed = changedPaths(inWorktree, path, true);
    if (!changed.isEmpty()) {
      return kept(
          path,
          "it has uncommitted changes ("
              + describePaths(changed)
              + "); commit or discard them, then remove it with: git worktree remove "
              + path);
    }
    return remove(inWorktree, path);
  }

  // --- prepare ---

  /** {@code <home>/worktrees/<name>-<hash>/<task-id>}, with the parent folders created and resolved. */
  private Path worktreePath(Path repo, String taskId) {
    Path commonDir = commonDir(git, repo);
    try {
      Path location = home.worktree(repositoryFolderName(commonDir), taskId);
      dev.taskwright.activities.OwnerOnly.createDirectories(location.getParent());
      return location.getParent().toRealPath().resolve(taskId);
    } catch (IOException e) {
      // Retried like a git failure: the worker checked its home when it started, so this changed
      // since, and the task carries on by itself once the folder can be written again.
      String why = home.unwritable();
      throw new UncheckedIOException("could not create the worktree folder for " + repo + (why == null ? "" : " (" + why + ")"), e);
    }
  }

  /** The repository's common git folder (the one all its worktrees share), with symbolic links resolved. */
  static Path commonDir(Git git, Path repo) {
    String commonDirOutput = git.run(repo, "rev-parse", "--git-common-dir").out();
    try {
      return repo.resolve(commonDirOutput).toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("could not find the git folder of " + repo, e);
    }
  }

  /** {@code <name>-<hash>}: readable, and different for every repository on this host. */
  static String repositoryFolderName(Path commonDir) {
    Path named = commonDir.getFileName().toString().equals(".git") ? commonDir.getParent() : commonDir;
    String name = named.getFileName() == null ? "repo" : named.getFileName().toString();
    name = name.replaceFirst("\\.git$", "").replaceAll("[^A-Za-z0-9._-]", "_");
    return (name.isEmpty() ? "repo" : name) + "-" + shortHash(commonDir.toString());
  }

  private static String shortHash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /**
   * What the task branch is built from: its base commit and the dependency results merged into it.
   *
   * @param alsoMerged full SHAs, in the order they are merged
   */
  private record BranchOrigin(String baseCommit, List<String> alsoMerged, boolean branchSeenAbsent) {}

  /** The recorded origin of the task branch, or the input resolved and recorded now. */
  private BranchOrigin branchOrigin(Path repo, String branch, PrepareInput input) {
    String variable = "branch." + branch + "." + BASE_CONFIG_VARIABLE;
    Git.Result recorded = git.tryRun(repo, "config", "--get", variable);
    if (recorded.succeeded() && !recorded.out().isEmpty()) {
      return new BranchOrigin(recorded.out(), dependencyMerges.recorded(git, repo, branch), false);
    }
    // Exit code 1 means "not set"; anything else (a broken config file, say) is git failing.
    if (recorded.exitCode() != 1) {
      throw new GitCommandException(recorded.command(), recorded.exitCode(), recorded.stderr());
    }
    if (branchExists(repo, branch)) {
      throw new InvalidInputException(
          "branch "
              + branch
              + " already exists in "
              + repo
              + " but taskwright did not create it for this task; rename or delete that branch, or use another task ID");
    }
    String baseRef = input.baseRef();
    String ref = baseRef == null || baseRef.isBlank() ? GitChecks.defaultBaseRef(git, repo) : baseRef;
    String sha = GitChecks.resolveCommit(git, repo, ref);
    // Recorded before the branch exists, so that every later attempt finds them and uses them; the
    // merges first, because a recorded base is what tells a later attempt that the origin is decided.
    List<String> alsoMerged = dependencyMerges.record(repo, branch, input.alsoMerge());
    git.run(repo, "config", variable, sha);
    return new BranchOrigin(sha, alsoMerged, true);
  }

  /**
   * Makes or reuses the task's worktree at {@code path}. When {@code origin} was decided just now,
   * under the same repository lock, the branch was seen not to exist, so it is not asked again.
   */
  private void ensureWorktree(Path repo, String taskId, String branch, BranchOrigin origin, Path path) {
    String baseCommit = origin.baseCommit();
    String branchRef = "refs/heads/" + branch;
    for (RegisteredWorktree entry : registeredWorktrees(repo)) {
      boolean atOurPath = samePath(entry.path(), path);
      boolean onOurBranch = branchRef.equals(entry.branch());
      if (!atOurPath && !onOurBranch) {
        continue;
      }
      boolean folderExists = Files.exists(entry.path(), LinkOption.NOFOLLOW_LINKS);
      if (!folderExists) {
        forgetMissingWorktree(repo, entry);
      } else if (atOurPath && onOurBranch && !entry.prunable()) {
        reuse(repo, taskId, entry);
        return;
      } else if (atOurPath && onOurBranch) {
        throw new InvalidInputException(
            path + " was the worktree of task " + taskId + " but lost its link to " + repo
                + "; run 'git worktree repair " + path + "' in " + repo + ", then retry");
      } else if (onOurBranch) {
        throw new InvalidInputException(
            "branch " + branch + " is checked out in " + entry.path()
                + "; taskwright works on it in its own worktree, so switch that checkout to another branch, then retry");
      } else {
        throw new InvalidInputException(
            path + " is a worktree of " + (entry.branch() == null ? "a detached HEAD" : entry.branch())
                + ", not of task " + taskId + "; remove it with 'git worktree remove " + path + "', then retry");
      }
    }
    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !isEmptyFolder(path)) {
      throw new InvalidInputException(
          path + " already exists and is not the worktree of task " + taskId
              + "; taskwright never overwrites it, so move it away, then retry");
    }
    if (!origin.branchSeenAbsent() && branchExists(repo, branch)) {
      // An earlier attempt created the branch and stopped before the worktree: check it out again.
      git.run(repo, "worktree", "add", "--quiet", path.toString(), branch);
    } else {
      git.run(repo, "worktree", "add", "--quiet", "-b", branch, path.toString(), baseCommit);
    }
  }

  /** Carries an existing worktree forward, finishing a checkout that a crash interrupted. */
  private void reuse(Path repo, String taskId, RegisteredWorktree entry) {
    Path path = entry.path();
    if (!isWorktreeAt(path)) {
      throw new InvalidInputException(
          path + " is registered as the worktree of task " + taskId + " but git does not recognise it; run 'git worktree repair "
              + path + "' in " + repo + ", then retry");
    }
    if (entry.checkoutInterrupted()) {
      // "git worktree add" holds this lock until its checkout is complete, so the agent has never
      // worked here: finishing the checkout is what "add" itself would have done next.
      log.info("Task {}: finishing the interrupted checkout of {}", taskId, path);
      git.confinedTo(path).run(path, "reset", "--hard", "--quiet");
      git.run(repo, "worktree", "unlock", path.toString());
    } else {
      log.info("Task {}: reusing worktree {}", taskId, path);
    }
  }

  /**
   * Drops the registration of a worktree whose folder is gone. This removes only that entry's
   * administrative files; {@code git worktree prune} would also drop the registrations of other
   * worktrees the user may only have out of reach for now (on an unmounted disk, say).
   */
  private void forgetMissingWorktree(Path repo, RegisteredWorktree entry) {
    if (entry.locked() && !entry.checkoutInterrupted()) {
      throw new InvalidInputException(
          "the worktree " + entry.path() + " is gone but locked (" + entry.lockedReason() + "); unlock it with 'git worktree unlock "
              + entry.path() + "' in " + repo + ", then retry");
    }
    log.info("Forgetting the worktree {}, whose folder is gone", entry.path());
    if (entry.locked()) {
      git.run(repo, "worktree", "unlock", entry.path().toString());
    }
    git.run(repo, "worktree", "remove", entry.path().toString());
  }

  private List<RegisteredWorktree> registeredWorktrees(Path repo) {
    return RegisteredWorktree.list(git, repo);
  }

  private boolean branchExists(Path repo, String branch) {
    return git.tryRun(repo, "show-ref", "--verify", "--quiet", "refs/heads/" + branch).succeeded();
  }

  // --- commit ---

  /** The commit of the agent's work, with the options of {@link #unattendedCommitOptions}. */
  private static List<String> commitCommand(Git inWorktree, Path path) {
    List<String> command = unattendedCommitOptions(inWorktree, path);
    command.addAll(
        List.of(
            "commit", "--no-verify", "--quiet", "--cleanup=verbatim",
            // The message comes on stdin (see Git.tryRun for why).
            "--file=-"));
    return command;
  }

  /**
   * The {@code -c} options every commit taskwright makes (the agent's checkpoint and the merge)
   * starts with: taskwright's own identity where the user has configured none, and hooks off
   * (callers add {@code --no-verify} where the command has it). The checkpoint is the agent's work
   * on its own branch, which a person reviews; the merge is made on that person's accept. Either
   * way nobody is at a terminal: a repository's hooks were written for people, and here a hook
   * could wait for an answer nobody gives, fail the same way on every retry (and git activities
   * retry forever), or rewrite the message and lose the trailer. The project's checks belong to
   * the review and to CI, where a person sees their result. The user's other settings, commit
   * signing included, apply as configured.
   */
  static List<String> unattendedCommitOptions(Git inRepository, Path dir) {
    List<String> options = new ArrayList<>();
    if (!configured(inRepository, dir, "user.name")) {
      options.addAll(List.of("-c", "user.name=" + FALLBACK_NAME));
    }
    if (!configured(inRepository, dir, "user.email")) {
      options.addAll(List.of("-c", "user.email=" + FALLBACK_EMAIL));
    }
    options.addAll(List.of("-c", "core.hooksPath=/dev/null"));
    return options;
  }

  /** {@code taskwright(<id>): <title>}, a blank line, and the {@code Taskwright-Task} trailer. */
  static String commitMessage(String taskId, String title) {
    return "taskwright(" + taskId + "): " + subjectLine(title) + trailer(taskId);
  }

  /** {@code Merge taskwright/<id>: <title>}, a blank line, and the {@code Taskwright-Task} trailer. */
  static String mergeMessage(String taskId, String title) {
    return "Merge " + Names.branch(taskId) + ": " + subjectLine(title) + trailer(taskId);
  }

  /** The title on one line, so that a title pasted with line breaks cannot split the subject. */
  private static String subjectLine(String title) {
    String subject = title == null ? "" : title.strip().replaceAll("\\s+", " ");
    return subject.isEmpty() ? "changes made by the agent" : subject;
  }

  private static String trailer(String taskId) {
    return "\n\nTaskwright-Task: " + taskId + "\n";
  }

  private static boolean configured(Git inWorktree, Path path, String variable) {
    Git.Result value = inWorktree.tryRun(path, "config", "--get", variable);
    return value.succeeded() && !value.out().isEmpty();
  }

  private static void requireOnBranch(Git inWorktree, Path path, String branch) {
    Git.Result head = inWorktree.tryRun(path, "symbolic-ref", "--quiet", "--short", "HEAD");
    String current = head.succeeded() ? head.out() : "a detached HEAD";
    if (!current.equals(branch)) {
      throw new InvalidInputException(
          "the worktree " + path + " has " + current + " checked out instead of the task branch " + branch
              + "; check out " + branch + " there, then retry");
    }
  }

  // --- cleanup ---

  private CleanupResult remove(Git inWorktree, Path path) {
    Path commonDir = path.resolve(inWorktree.run(path, "rev-parse", "--git-common-dir").out()).normalize();
    Git.Result removal = git.tryRun(commonDir, "worktree", "remove", path.toString());
    if (removal.succeeded()) {
      log.info("Removed worktree {}", path);
      return new CleanupResult(true, null);
    }
    if (removal.stderr().contains("locked")) {
      return kept(path, "it is locked; unlock it with 'git worktree unlock " + path + "' to let taskwright remove it");
    }
    if (removal.stderr().contains("submodule")) {
      return kept(
          path, "it contains submodules, which git removes only with --force; remove it yourself with 'git worktree remove --force "
              + path + "'");
    }
    throw new GitCommandException(removal.command(), removal.exitCode(), removal.stderr());
  }

  /** After the folder is gone, drops its registration too, if the repository is still there to ask. */
  private void forgetRegistrationOf(String repo, Path path) {
    Path root;
    try {
      root = GitChecks.repositoryRoot(git, requirePath(repo, "repository"));
    } catch (InvalidInputException gone) {
      log.info("Worktree {} is gone and so is its repository ({})", path, gone.getMessage());
      return;
    }
    registeredWorktrees(root).stream()
        .filter(entry -> samePath(entry.path(), path) && !Files.exists(entry.path(), LinkOption.NOFOLLOW_LINKS))
        .filter(entry -> !entry.locked() || entry.checkoutInterrupted())
        .forEach(entry -> forgetMissingWorktree(root, entry));
  }

  private static CleanupResult kept(Path path, String because) {
    log.info("Kept worktree {}: {}", path, because);
    return new CleanupResult(false, because);
  }

  static String describePaths(List<String> paths) {
    String named = String.join(", ", paths.subList(0, Math.min(PATHS_NAMED, paths.size())));
    int more = paths.size() - PATHS_NAMED;
    return paths.size() + " path(s): " + named + (more > 0 ? " and " + more + " more" : "");
  }

  // --- shared ---

  /** Checks that {@code path} is still a git worktree and returns git confined to it. */
  private Git requireWorktree(Path path, String taskId) {
    if (!Files.isDirectory(path)) {
      throw new InvalidInputException(
          "the worktree of task " + taskId + " at " + path + " is gone; its commits are still on branch "
              + Names.branch(taskId));
    }
    if (!isWorktreeAt(path)) {
      throw new InvalidInputException(
          path + " is no longer a git worktree; run 'git worktree repair " + path + "' in the task's repository, then retry");
    }
    return git.confinedTo(path);
  }

  /** True when {@code path} is the top folder of a git work tree (never of one around it). */
  private boolean isWorktreeAt(Path path) {
    Git.Result topLevel = git.confinedTo(path).tryRun(path, "rev-parse", "--show-toplevel");
    return topLevel.succeeded() && !topLevel.out().isEmpty() && samePath(Path.of(topLevel.out()), path);
  }

  /**
   * Paths with uncommitted changes, staged or not; untracked files too when asked for, ignored
   * files never. Optional locks are off so that asking never competes with a person's own git
   * command for the index lock.
   */
  static List<String> changedPaths(Git inWorktree, Path path, boolean withUntracked) {
    String untracked = withUntracked ? "--untracked-files=all" : "--untracked-files=no";
    String status = inWorktree.run(path, "--no-optional-locks", "status", "--porcelain=v1", "-z", untracked).stdout();
    List<String> paths = new ArrayList<>();
    String[] fields = status.split("\0");
    for (int i = 0; i < fields.length; i++) {
      String field = fields[i];
      if (field.length() < 4) {
        continue;
      }
      paths.add(field.substring(3));
      // A rename or copy is followed by a field of its own holding the original path.
      if (field.charAt(0) == 'R' || field.charAt(0) == 'C') {
        i++;
      }
    }
    return paths;
  }

  private static boolean samePath(Path a, Path b) {
    return canonical(a).equals(canonical(b));
  }

  /** The path with symbolic links resolved as far as it exists, so that paths git prints compare equal to ours. */
  private static Path canonical(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    try {
      return absolute.toRealPath();
    } catch (IOException missing) {
      Path parent = absolute.getParent();
      return parent == null || absolute.getFileName() == null ? absolute : canonical(parent).resolve(absolute.getFileName());
    }
  }

  private static boolean isEmptyFolder(Path path) {
    if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (Stream<Path> children = Files.list(path)) {
      return children.findAny().isEmpty();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + path, e);
    }
  }

  private static String requireTaskId(String taskId) {
    if (taskId == null || !TaskIds.isValidTaskOrSubtask(taskId) || taskId.endsWith(".lock")) {
      throw new InvalidInputException(
          "task ID '" + taskId + "' cannot name a worktree; use lower-case letters, digits and dashes (and dots between subtask parts)");
    }
    return taskId;
  }

  private static Path requirePath(String path, String what) {
    if (path == null || path.isBlank()) {
      throw new InvalidInputException("no " + what + " path given");
    }
    return Path.of(path);
  }

  private static <T> T requirePresent(T value, String what) {
    if (value == null) {
      throw new InvalidInputException("no " + what + " given");
    }
    return value;
  }

  /**
   * Runs one activity, turning input problems into non-retryable {@code INVALID_INPUT} failures
   * and git problems into retryable {@code GIT_FAILED} ones, the way the workflow expects them.
   */
  private static <I, T> T reportingFailures(String operation, I input, Function<I, String> taskIdOf, Function<I, T> activity) {
    String taskId = input == null ? null : taskIdOf.apply(input);
    try {
      return activity.apply(requirePresent(input, operation + " input"));
    } catch (InvalidInputException e) {
      log.warn("{} of task {} rejected: {}", operation, taskId, e.getMessage());
      throw failure(FailureType.INVALID_INPUT, e.getMessage());
    } catch (GitCommandException e) {
      log.warn("{} of task {} failed, will be retried: {}", operation, taskId, e.getMessage());
      throw failure(FailureType.GIT_FAILED, e.getMessage(), e.commandLine(), e.stderr());
    } catch (UncheckedIOException e) {
      log.warn("{} of task {} failed, will be retried: {}", operation, taskId, e.getMessage(), e);
      throw failure(FailureType.GIT_FAILED, e.getMessage() + ": " + e.getCause().getMessage());
    }
  }

  private static ApplicationFailure failure(FailureType type, String message, Object... details) {
    return ApplicationFailure.newBuilder()
        .setType(type.type())
        .setMessage(message)
        .setNonRetryable(!type.retryable())
        .setDetails(details)
        .build();
  }
}
