#!/usr/bin/env bash
# What taskwright costs on top of the work itself: N tasks through `taskwright dev` (embedded
# Temporal, and temporal server start-dev) against bench/baseline-task.sh doing the same steps
# with no orchestration, at each concurrency, in the same run (OverheadBench). Appends the
# figures to bench/RESULTS.md.
#   Usage: bench/overhead.sh [key=value...]   e.g. driver=command tasks=200 concurrency=serial,8,32 servers=embedded,cli
#   Defaults: driver=claude tasks=200 concurrency=1,8,32 servers=embedded,cli
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source bench/lib.sh
out="$root/starter/target/bench/overhead.txt"
run_main dev.taskwright.bench.OverheadBench "$@" "output=$out" >&2
BENCH_SERVER="dev's embedded Temporal and temporal server start-dev, $(temporal_version)" \
append_result "Overhead against the bare-script baseline ($*)" "$(cat "$out")" \
  "- bench/overhead.sh $*: per server and concurrency, first bench/baseline-task.sh (git worktree add, the agent, git add + commit;" \
  "  no orchestration) on a fresh repository, then \`bin/taskwright dev --temporal embedded|cli\` (the launcher's JVM options: C1 only, serial GC, class-data archive;" \
  "  TASKWRIGHT_MAX_AGENTS = the concurrency) running the same tasks from one \`run -f\` plan, invoked in the harness's warm JVM." \
  "  Each side first runs \`warmup\` tasks (default 10), not counted, so the JIT and the caches are warm as in a long-lived worker. Submit -> commit is from handing over the batch (or, for" \
  "  \`serial\`, the one task) to the commit: the baseline's \`git commit\` returning, taskwright's Commit activity completing." \
  "  Tasks/s and the time ratio run to the batch's last commit (taskwright's workflows close a little later, after removing the" \
  "  worktree). CPU is the whole machine's busy time until every task is done, divided by the tasks. The claude driver is the real Claude Code CLI" \
  "  against the scripted model (one Write, then done); the command driver is a shell script that writes one file."
