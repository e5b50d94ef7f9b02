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
import java.nio.file.StandardCopyOption;
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
 * common git folder, rather than the work tree, identifies the repository because all worktrees of
 * one repository share branches: a task started from a linked worktree of a repository lands beside
 * the tasks started from its main checkout.
 *
 * <p><b>A stable base.</b> Before it creates the task branch, {@code prepare} records the base
 * commit in the repository's config as {@code branch.taskwright/<id>.taskwrightBase}, and every
 * later call reads it back instead of resolving the base ref again. A retried {@code prepare}
 * therefore returns the same {@code baseCommit} even when the base branch moved between the
 * attempts, and the record lives exactly as long as the branch: {@code git branch -d} removes a
 * branch's config section with it. The results of further dependencies to merge into a new branch
 * ({@code alsoMerge}) are recorded beside the base and merged right after the worktree is created;
 * see {@link DependencyMerges}.
 *
 * <p><b>Crash recovery.</b> Every step checks what an earlier, interrupted attempt left: a base
 * recorded but no branch, a branch but no worktree, a worktree registered whose folder is gone, a
 * worktree whose checkout stopped half way, or the finished worktree. Each is carried forward;
 * nothing a person made (a folder in the way, a branch taskwright did not create, a checkout of the
 * task branch elsewhere) is ever deleted or overwritten, and uncommitted work is never removed.
 *
 * <p><b>Work git cannot see.</b> {@code prepare} initialises the worktree's submodules, so the
 * agent finds them as a person's checkout has them. Before it commits, {@code commit} looks for
 * changes a commit of the task branch would not hold: files in a submodule folder that is not
 * initialised, changes inside a submodule, a repository of its own inside the worktree. It names
 * them and waits for a person rather than report a task with nothing in it; {@code cleanup} keeps a
 * worktree that holds any of them.
 *
 * <p>Input problems become non-retryable {@code INVALID_INPUT} failures with a message for the
 * user; a worktree or branch a person must repair becomes the non-retryable {@code
 * WORKSPACE_NEEDS_REPAIR} with the command that repairs it, after which the same activity succeeds;
 * git failures become retryable {@code GIT_FAILED} failures carrying the command and stderr, except
 * those git gives the same way on every attempt ({@code GIT_REFUSED}, not retried). Everything
 * returned is bounded (see {@link Bounds}).
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

  /** How many characters of a task's title go into a commit's subject line. */
  static final int MAX_TITLE = 200;

  /**
   * The file, beside a repository's task worktrees, that names the repository (for repair
   * commands).
   */
  static final String REPOSITORY_FILE = ".repository";

  private final Home home;
  private final String host;
  private final Git git;
  private final DependencyMerges dependencyMerges;
  private final OutsideLinks outsideLinks;

  public GitWorkspace(Home home, String host) {
    this(home, host, OutsideLinks.WARN);
  }

  /**
   * @param outsideLinks what commit does with links that point outside the worktree
   */
  public GitWorkspace(Home home, String host, OutsideLinks outsideLinks) {
    this(home, host, Git.standard(), outsideLinks);
  }

  GitWorkspace(Home home, String host, Git git) {
    this(home, host, git, OutsideLinks.WARN);
  }

  GitWorkspace(Home home, String host, Git git, OutsideLinks outsideLinks) {
    this.home = home;
    this.host = host;
    this.git = git;
    this.dependencyMerges = new DependencyMerges(git);
    this.outsideLinks = outsideLinks;
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
          initialiseSubmodules(repo, path);
          log.info("Task {}: worktree {} on {} from {}", taskId, path, branch, origin.baseCommit());
          return new Workspace(path.toString(), branch, origin.baseCommit(), host);
        });
  }

  private CommitResult commitChanges(CommitInput input) {
    String taskId = requireTaskId(input.taskId());
    Workspace workspace = requirePresent(input.workspace(), "workspace");
    String baseCommit = requirePresent(workspace.baseCommit(), "base commit");
    Path path = requirePath(workspace.path(), "worktree");
    String branch = requirePresent(workspace.branch(), "task branch");
    Git inWorktree = requireWorktree(path, taskId);
    requireOnBranch(inWorktree, path, branch);
    requireBranchExists(inWorktree, path, branch);
    List<String> invisible = InvisibleChanges.find(inWorktree, path, false);
    if (!invisible.isEmpty()) {
      throw new WorkspaceNeedsRepairException(
          "the agent changed files in "
              + path
              + " that a commit of "
              + branch
              + " cannot hold ("
              + describePaths(invisible, 10)
              + "); move that work into the task's own files or remove it (changes inside a"
              + " submodule: commit or undo them in the submodule; a repository of its own: move it"
              + " out), then retry the task");
    }
    List<String> changed = changedPaths(inWorktree, path, true);
    if (!changed.isEmpty()) {
      inWorktree.run(path, "add", "--all");
    }
    List<String> links = OutsideLinkFinder.find(inWorktree, path, baseCommit);
    if (!links.isEmpty() && outsideLinks == OutsideLinks.REFUSE) {
      throw new WorkspaceNeedsRepairException(
          "the task adds symbolic links that point outside its worktree "
              + path
              + " ("
              + describePaths(links, 10)
              + "), which "
              + OutsideLinks.VARIABLE
              + "=refuse forbids; remove them there (git -C "
              + path
              + " rm <link>), then retry the task");
    }
    // Only what is staged is committed: a change git shows but cannot stage would otherwise fail
    // the commit on every retry.
    if (!inWorktree
        .tryRun(path, "diff", "--cached", "--quiet", "--ignore-submodules=none")
        .succeeded()) {
      inWorktree.run(path, commitCommand(inWorktree, path), commitMessage(taskId, input.title()));
      log.info("Task {}: committed {} changed path(s) in {}", taskId, changed.size(), path);
    }
    if (!links.isEmpty()) {
      log.warn(
          "Task {}: its commits add {} link(s) that point outside {}: {}",
          taskId,
          links.size(),
          path,
          describePaths(links));
    }
    String head = inWorktree.run(path, "rev-parse", "--verify", "HEAD^{commit}").out();
    // The dependencies' own commits that prepare merged in are theirs, not the task's; the merge
    // commits are the task's.
    List<String> range =
        new ArrayList<>(List.of("rev-list", "--reverse", "HEAD", "^" + baseCommit));
    dependencyMerges.recorded(inWorktree, path, branch).forEach(merged -> range.add("^" + merged));
    List<String> commits = inWorktree.run(path, range).stdout().lines().toList();
    if (commits.size() > Bounds.MAX_ENTRIES) {
      log.info(
          "Task {}: {} commits on {}; reporting the newest {}",
          taskId,
          commits.size(),
          branch,
          Bounds.MAX_ENTRIES);
    }
    return new CommitResult(Bounds.last(commits), head, Bounds.first(links));
  }

  private MergeResult mergeTaskBranch(MergeInput input) {
    String taskId = requireTaskId(input.taskId());
    Path repo = GitChecks.repositoryRoot(git, requirePath(input.repo(), "repository"));
    Path worktree =
        input.workspace() == null || input.workspace().path() == null
            ? null
            : Path.of(input.workspace().path());
    MergeResult result =
        RepositoryLocks.holding(
            repo,
            () ->
                new TaskBranchMerge(git)
                    .merge(repo, taskId, input.title(), input.targetBranch(), worktree));
    log.info(
        "Task {}: merge into {} ended {}: {}",
        taskId,
        input.targetBranch(),
        result.status(),
        result.message());
    return new MergeResult(
        result.status(),
        result.mergeCommit(),
        Bounds.first(result.conflictFiles()),
        Bounds.cut(result.message()));
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
    List<String> invisible = InvisibleChanges.find(inWorktree, path, true);
    if (!invisible.isEmpty()) {
      return kept(
          path,
          "it holds work the task's commits do not ("
              + describePaths(invisible)
              + "); move what you want to keep out of it, then remove it with: git worktree remove"
              + " --force "
              + path);
    }
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

  /**
   * {@code <home>/worktrees/<name>-<hash>/<task-id>}, with the parent folders created and resolved.
   */
  private Path worktreePath(Path repo, String taskId) {
    Path commonDir = commonDir(git, repo);
    try {
      Path location = home.worktree(repositoryFolderName(commonDir), taskId);
      dev.taskwright.activities.OwnerOnly.createDirectories(location.getParent());
      Path folder = location.getParent().toRealPath();
      recordRepository(folder, repo);
      return folder.resolve(taskId);
    } catch (IOException e) {
      // Retried like a git failure: the worker checked its home when it started, so this changed
      // since, and the task carries on by itself once the folder can be written again.
      String why = home.unwritable();
      throw new UncheckedIOException(
          "could not create the worktree folder for "
              + repo
              + (why == null ? "" : " (" + why + ")"),
          e);
    }
  }

  /**
   * Writes the repository's path beside its task worktrees, so that a worktree that lost its {@code
   * .git} file can still be given the exact command that repairs it. Written only when missing or
   * different. No task's worktree can be named like it: task IDs never start with a dot.
   */
  private static void recordRepository(Path folder, Path repo) throws IOException {
    Path file = folder.resolve(REPOSITORY_FILE);
    String content = repo.toString() + "\n";
    if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
        && content.equals(Files.readString(file))) {
      return;
    }
    Path temporary = Files.createTempFile(folder, ".repository-", ".tmp");
    Files.writeString(temporary, content, StandardCharsets.UTF_8);
    Files.move(
        temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * The repository recorded beside a worktree by {@link #recordRepository}, or null when none is.
   */
  private static Path recordedRepository(Path worktree) {
    Path parent = worktree.toAbsolutePath().getParent();
    Path file = parent == null ? null : parent.resolve(REPOSITORY_FILE);
    try {
      return file != null && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
          ? Path.of(Files.readString(file).strip())
          : null;
    } catch (IOException | RuntimeException unreadable) {
      return null;
    }
  }

  /**
   * The repository's common git folder (the one all its worktrees share), with symbolic links
   * resolved.
   */
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
    Path named =
        commonDir.getFileName().toString().equals(".git") ? commonDir.getParent() : commonDir;
    String name = named.getFileName() == null ? "repo" : named.getFileName().toString();
    name = name.replaceFirst("\\.git$", "").replaceAll("[^A-Za-z0-9._-]", "_");
    return (name.isEmpty() ? "repo" : name) + "-" + shortHash(commonDir.toString());
  }

  private static String shortHash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
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
  private record BranchOrigin(
      String baseCommit, List<String> alsoMerged, boolean branchSeenAbsent) {}

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
              + " but taskwright did not create it for this task; rename or delete that branch, or"
              + " use another task ID");
    }
    String baseRef = input.baseRef();
    String ref =
        baseRef == null || baseRef.isBlank() ? GitChecks.defaultBaseRef(git, repo) : baseRef;
    String sha = GitChecks.resolveCommit(git, repo, ref);
    // Recorded before the branch exists, so that every later attempt finds them and uses them; the
    // merges first, because a recorded base is what tells a later attempt that the origin is
    // decided.
    List<String> alsoMerged = dependencyMerges.record(repo, branch, input.alsoMerge());
    git.run(repo, "config", variable, sha);
    return new BranchOrigin(sha, alsoMerged, true);
  }

  /**
   * Makes or reuses the task's worktree at {@code path}. When {@code origin} was decided just now,
   * under the same repository lock, the branch was seen not to exist, so it is not asked again.
   */
  private void ensureWorktree(
      Path repo, String taskId, String branch, BranchOrigin origin, Path path) {
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
            path
                + " was the worktree of task "
                + taskId
                + " but lost its link to "
                + repo
                + "; run 'git worktree repair "
                + path
                + "' in "
                + repo
                + ", then retry");
      } else if (onOurBranch) {
        throw new InvalidInputException(
            "branch "
                + branch
                + " is checked out in "
                + entry.path()
                + "; taskwright works on it in its own worktree, so switch that checkout to another"
                + " branch, then retry");
      } else {
        throw new InvalidInputException(
            path
                + " is a worktree of "
                + (entry.branch() == null ? "a detached HEAD" : entry.branch())
                + ", not of task "
                + taskId
                + "; remove it with 'git worktree remove "
                + path
                + "', then retry");
      }
    }
    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !isEmptyFolder(path)) {
      throw new InvalidInputException(
          path
              + " already exists and is not the worktree of task "
              + taskId
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
          path
              + " is registered as the worktree of task "
              + taskId
              + " but git does not recognise it; run 'git worktree repair "
              + path
              + "' in "
              + repo
              + ", then retry");
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
          "the worktree "
              + entry.path()
              + " is gone but locked ("
              + entry.lockedReason()
              + "); unlock it with 'git worktree unlock "
              + entry.path()
              + "' in "
              + repo
              + ", then retry");
    }
    log.info("Forgetting the worktree {}, whose folder is gone", entry.path());
    if (entry.locked()) {
      git.run(repo, "worktree", "unlock", entry.path().toString());
    }
    git.run(repo, "worktree", "remove", entry.path().toString());
  }

  /**
   * Initialises the submodules of a new worktree (those a retried prepare finds initialised are
   * left as they are). Submodules cloned from a local path need git's file transport, which git
   * allows to submodules only when the user says so: it is allowed here exactly when the user's
   * configuration sets {@code protocol.file.allow=always}, else the refusal is reported with the
   * command that allows it.
   */
  private void initialiseSubmodules(Path repo, Path path) {
    if (!Files.exists(path.resolve(".gitmodules"), LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Git inWorktree = git.confinedTo(path);
    List<String> uninitialised =
        inWorktree
            .run(path, "submodule", "status")
            .stdout()
            .lines()
            .filter(line -> line.startsWith("-"))
            .map(line -> line.substring(1).split(" ", 2)[1].replaceFirst(" \\([^)]*\\)$", ""))
            .toList();
    if (uninitialised.isEmpty()) {
      return;
    }
    List<String> command = new ArrayList<>();
    // Passed on with -c, because git clones each submodule in a process that reads only the user's
    // own files.
    if ("always".equals(inWorktree.tryRun(path, "config", "--get", "protocol.file.allow").out())) {
      command.addAll(List.of("-c", "protocol.file.allow=always"));
    }
    command.addAll(List.of("submodule", "update", "--init", "--recursive", "--quiet", "--"));
    command.addAll(uninitialised);
    Git.Result update = inWorktree.tryRun(path, command);
    if (update.succeeded()) {
      log.info("Initialised {} submodule(s) in {}", uninitialised.size(), path);
      return;
    }
    if (update.stderr().contains("transport 'file' not allowed")) {
      throw GitCommandException.refused(
          update.command(),
          update.exitCode(),
          update.stderr(),
          "the submodules of "
              + repo
              + " ("
              + describePaths(uninitialised)
              + ") are cloned from local paths, which git allows "
              + "only when you say so; if you trust them, run 'git -C "
              + repo
              + " config protocol.file.allow always', then retry the task");
    }
    if (update.stderr().contains("terminal prompts disabled")
        || update.stderr().contains("Permission denied (publickey")) {
      // Nobody is at a terminal to log in: each retry would fail the same way.
      throw GitCommandException.refused(
          update.command(),
          update.exitCode(),
          update.stderr(),
          "the submodules of "
              + repo
              + " ("
              + describePaths(uninitialised)
              + ") need a login the worker cannot give; set up credentials the worker's user can"
              + " use without a prompt (a credential helper or an SSH key), then retry the task");
    }
    throw new GitCommandException(update.command(), update.exitCode(), update.stderr());
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
            "commit",
            "--no-verify",
            "--quiet",
            "--cleanup=verbatim",
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
   * retry forever), or rewrite the message and lose the trailer. The project's checks belong to the
   * review and to CI, where a person sees their result. The user's other settings, commit signing
   * included, apply as configured.
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

  /**
   * {@code Merge taskwright/<id>: <title>}, a blank line, and the {@code Taskwright-Task} trailer.
   */
  static String mergeMessage(String taskId, String title) {
    return "Merge " + Names.branch(taskId) + ": " + subjectLine(title) + trailer(taskId);
  }

  /**
   * The title on one line, so that a title pasted with line breaks cannot split the subject,
   * without control characters (git refuses a NUL in a message, on every retry; the others only
   * garble a terminal), and at most {@link #MAX_TITLE} characters.
   */
  static String subjectLine(String title) {
    String subject =
        title == null ? "" : title.replaceAll("\\s+", " ").replaceAll("\\p{Cc}", "").strip();
    subject = Bounds.cut(subject, MAX_TITLE);
    return subject.isEmpty() ? "changes made by the agent" : subject;
  }

  private static String trailer(String taskId) {
    return "\n\nTaskwright-Task: " + taskId + "\n";
  }

  private static boolean configured(Git inWorktree, Path path, String variable) {
    Git.Result value = inWorktree.tryRun(path, "config", "--get", variable);
    return value.succeeded() && !value.out().isEmpty();
  }

  /**
   * HEAD moved off the task branch (the agent ran {@code git checkout main}, say): a person puts it
   * back.
   */
  private static void requireOnBranch(Git inWorktree, Path path, String branch) {
    Git.Result head = inWorktree.tryRun(path, "symbolic-ref", "--quiet", "--short", "HEAD");
    String current = head.succeeded() ? head.out() : "a detached HEAD";
    if (!current.equals(branch)) {
      throw new WorkspaceNeedsRepairException(
          "the worktree "
              + path
              + " has "
              + current
              + " checked out instead of the task branch "
              + branch
              + "; put it back with 'git -C "
              + path
              + " checkout "
              + branch
              + "' (uncommitted changes come along; commits made on "
              + current
              + " stay there, cherry-pick those you want), then retry the task");
    }
  }

  /** The task branch deleted while the worktree still had it checked out: a person restores it. */
  private void requireBranchExists(Git inWorktree, Path path, String branch) {
    if (inWorktree
        .tryRun(path, "show-ref", "--verify", "--quiet", "refs/heads/" + branch)
        .succeeded()) {
      return;
    }
    throw new WorkspaceNeedsRepairException(
        "the task branch "
            + branch
            + " was deleted, although its worktree "
            + path
            + " still has it checked out; restore it with "
            + restoreBranchCommand(git, path, path, branch)
            + ", then retry the task");
  }

  /**
   * {@code git -C <where> branch <branch> <sha>}, with the last commit the worktree's HEAD was on,
   * read from its reflog (which outlives the branch's own).
   *
   * @param worktree the task's worktree, or null when unknown
   */
  static String restoreBranchCommand(Git git, Path where, Path worktree, String branch) {
    String sha = worktree == null ? null : lastKnownHead(git.confinedTo(worktree), worktree);
    return "'git -C "
        + where
        + " branch "
        + branch
        + " "
        + (sha == null ? "<its last commit>" : sha)
        + "'";
  }

  /** The newest commit in the worktree's HEAD reflog, or null when there is none to read. */
  private static String lastKnownHead(Git inWorktree, Path worktree) {
    if (!Files.isDirectory(worktree)) {
      return null;
    }
    Git.Result logPath = inWorktree.tryRun(worktree, "rev-parse", "--git-path", "logs/HEAD");
    if (!logPath.succeeded()) {
      return null;
    }
    try {
      List<String> lines =
          Files.readAllLines(worktree.resolve(logPath.out()), StandardCharsets.UTF_8);
      for (int i = lines.size() - 1; i >= 0; i--) {
        String[] fields = lines.get(i).split(" ", 3);
        if (fields.length == 3
            && fields[1].matches("[0-9a-f]{40,64}")
            && !fields[1].matches("0+")
            && inWorktree.tryRun(worktree, "cat-file", "-e", fields[1] + "^{commit}").succeeded()) {
          return fields[1];
        }
      }
    } catch (IOException | RuntimeException unreadable) {
      log.debug("No HEAD reflog to read in {}", worktree, unreadable);
    }
    return null;
  }

  // --- cleanup ---

  private CleanupResult remove(Git inWorktree, Path path) {
    Path commonDir =
        path.resolve(inWorktree.run(path, "rev-parse", "--git-common-dir").out()).normalize();
    Git.Result removal = git.tryRun(commonDir, "worktree", "remove", path.toString());
    if (!removal.succeeded() && removal.stderr().contains("submodule")) {
      // Git removes a worktree with submodules only with --force. The checks before found nothing
      // in it that the task's commits do not hold (inside its submodules too), and one --force
      // still refuses a locked worktree.
      removal = git.tryRun(commonDir, "worktree", "remove", "--force", path.toString());
    }
    if (removal.succeeded()) {
      log.info("Removed worktree {}", path);
      return new CleanupResult(true, null);
    }
    if (removal.stderr().contains("locked")) {
      return kept(
          path,
          "it is locked; unlock it with 'git worktree unlock "
              + path
              + "' to let taskwright remove it");
    }
    throw new GitCommandException(removal.command(), removal.exitCode(), removal.stderr());
  }

  /**
   * After the folder is gone, drops its registration too, if the repository is still there to ask.
   */
  private void forgetRegistrationOf(String repo, Path path) {
    Path root;
    try {
      root = GitChecks.repositoryRoot(git, requirePath(repo, "repository"));
    } catch (InvalidInputException gone) {
      log.info("Worktree {} is gone and so is its repository ({})", path, gone.getMessage());
      return;
    }
    registeredWorktrees(root).stream()
        .filter(
            entry ->
                samePath(entry.path(), path)
                    && !Files.exists(entry.path(), LinkOption.NOFOLLOW_LINKS))
        .filter(entry -> !entry.locked() || entry.checkoutInterrupted())
        .forEach(entry -> forgetMissingWorktree(root, entry));
  }

  private static CleanupResult kept(Path path, String because) {
    log.info("Kept worktree {}: {}", path, because);
    return new CleanupResult(false, Bounds.cut(because));
  }

  static String describePaths(List<String> paths) {
    return describePaths(paths, PATHS_NAMED);
  }

  /** The count and the first {@code named} paths, each cut to 200 characters. */
  static String describePaths(List<String> paths, int named) {
    String first =
        String.join(
            ", ",
            paths.subList(0, Math.min(named, paths.size())).stream()
                .map(each -> Bounds.cut(each, 200))
                .toList());
    int more = paths.size() - named;
    return paths.size() + " path(s): " + first + (more > 0 ? " and " + more + " more" : "");
  }

  // --- shared ---

  /** Checks that {@code path} is still a git worktree and returns git confined to it. */
  private Git requireWorktree(Path path, String taskId) {
    if (!Files.isDirectory(path)) {
      throw new InvalidInputException(
          "the worktree of task "
              + taskId
              + " at "
              + path
              + " is gone; its commits are still on branch "
              + Names.branch(taskId));
    }
    if (!isWorktreeAt(path)) {
      Path repo = recordedRepository(path);
      String repair =
          repo == null
              ? "run 'git worktree repair " + path + "' in the task's repository"
              : "run 'git -C " + repo + " worktree repair " + path + "'";
      throw new WorkspaceNeedsRepairException(
          path
              + " is no longer a git worktree (its .git file is gone or broken); "
              + repair
              + " (it names the broken .git file as it writes a new one), then retry the task");
    }
    return git.confinedTo(path);
  }

  /** True when {@code path} is the top folder of a git work tree (never of one around it). */
  private boolean isWorktreeAt(Path path) {
    Git.Result topLevel = git.confinedTo(path).tryRun(path, "rev-parse", "--show-toplevel");
    return topLevel.succeeded()
        && !topLevel.out().isEmpty()
        && samePath(Path.of(topLevel.out()), path);
  }

  /**
   * Paths with uncommitted changes, staged or not; untracked files too when asked for, ignored
   * files never. Optional locks are off so that asking never competes with a person's own git
   * command for the index lock.
   */
  static List<String> changedPaths(Git inWorktree, Path path, boolean withUntracked) {
    String untracked = withUntracked ? "--untracked-files=all" : "--untracked-files=no";
    String status =
        inWorktree
            .run(path, "--no-optional-locks", "status", "--porcelain=v1", "-z", untracked)
            .stdout();
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

  /**
   * The path with symbolic links resolved as far as it exists, so that paths git prints compare
   * equal to ours.
   */
  private static Path canonical(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    try {
      return absolute.toRealPath();
    } catch (IOException missing) {
      Path parent = absolute.getParent();
      return parent == null || absolute.getFileName() == null
          ? absolute
          : canonical(parent).resolve(absolute.getFileName());
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
          "task ID '"
              + taskId
              + "' cannot name a worktree; use lower-case letters, digits and dashes (and dots"
              + " between subtask parts)");
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
   * Runs one activity, turning input problems into non-retryable {@code INVALID_INPUT} failures and
   * git problems into retryable {@code GIT_FAILED} ones, the way the workflow expects them.
   */
  private static <I, T> T reportingFailures(
      String operation, I input, Function<I, String> taskIdOf, Function<I, T> activity) {
    String taskId = input == null ? null : taskIdOf.apply(input);
    try {
      return activity.apply(requirePresent(input, operation + " input"));
    } catch (InvalidInputException e) {
      log.warn("{} of task {} rejected: {}", operation, taskId, e.getMessage());
      throw failure(FailureType.INVALID_INPUT, e.getMessage());
    } catch (WorkspaceNeedsRepairException e) {
      log.warn(
          "{} of task {} needs a person to repair the workspace: {}",
          operation,
          taskId,
          e.getMessage());
      throw failure(FailureType.WORKSPACE_NEEDS_REPAIR, e.getMessage());
    } catch (GitCommandException e) {
      if (e.refused()) {
        log.warn(
            "{} of task {} refused by git, not retried: {}", operation, taskId, e.getMessage());
        throw failure(
            FailureType.GIT_REFUSED, e.getMessage(), Bounds.cut(e.commandLine()), e.stderr());
      }
      log.warn("{} of task {} failed, will be retried: {}", operation, taskId, e.getMessage());
      throw failure(
          FailureType.GIT_FAILED, e.getMessage(), Bounds.cut(e.commandLine()), e.stderr());
    } catch (UncheckedIOException e) {
      log.warn("{} of task {} failed, will be retried: {}", operation, taskId, e.getMessage(), e);
      throw failure(FailureType.GIT_FAILED, e.getMessage() + ": " + e.getCause().getMessage());
    }
  }

  private static ApplicationFailure failure(FailureType type, String message, Object... details) {
    return ApplicationFailure.newBuilder()
        .setType(type.type())
        .setMessage(Bounds.cut(message, Bounds.MAX_FAILURE_CHARS))
        .setNonRetryable(!type.retryable())
        .setDetails(details)
        .build();
  }
}
