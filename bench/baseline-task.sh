#!/usr/bin/env bash
# The physical floor of one task, with no orchestration: the same git and agent steps taskwright
# takes, done by hand. OverheadBench runs it per task at the benchmark's concurrency.
#   Usage: bench/baseline-task.sh REPO WORKTREE BRANCH AGENT_COMMAND...
set -euo pipefail
repo="$1" worktree="$2" branch="$3"
shift 3
# Git refuses two concurrent writers of one repository's config and worktree list, so tasks take
# turns here, as taskwright's own repository lock makes them.
flock "$repo/.git/baseline.lock" git -C "$repo" worktree add -q -b "$branch" "$worktree" HEAD
cd "$worktree"
"$@" >"$worktree.out" 2>&1 </dev/null
git add -A
git -c user.name=baseline -c user.email=baseline@localhost commit -q -m "$branch"
