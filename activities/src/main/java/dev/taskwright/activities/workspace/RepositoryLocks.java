package dev.taskwright.activities.workspace;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One lock per repository for the git work that writes the repository's shared files ({@code
 * .git/config}, the worktree list, the base branch). Git refuses a second writer with "could not
 * lock config file" rather than waiting; with many tasks on one repository, their {@code prepare}
 * activities would fail and back off in turn. Within one worker they wait for each other here
 * instead; across workers, the activity retries still cover it.
 */
final class RepositoryLocks {

  private RepositoryLocks() {}

  private static final ConcurrentHashMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

  static <T> T holding(Path repository, Supplier<T> work) {
    ReentrantLock lock =
        LOCKS.computeIfAbsent(
            repository.toAbsolutePath().normalize(), ignored -> new ReentrantLock());
    lock.lock();
    try {
      return work.get();
    } finally {
      lock.unlock();
    }
  }
}
