#!/usr/bin/env bash
# The worker-kill soak: WorkerKillIT's random kill points, N times (default 20), each in a fresh
# sandbox with a real Temporal server, a worker process killed with SIGKILL at a random point of a
# task run by the real Claude Code CLI, and a new worker that must finish the task once. Prints
# each run and "passed N of N", and appends the result to bench/RESULTS.md.
#   Usage: bench/worker-kill-soak.sh [RUNS=20] [SEED=clock]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source bench/lib.sh
runs="${1:-20}"
seed="${2:-$(date +%s)}"
started=$(date +%s)
status=0
./mvnw -q -pl starter -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test='WorkerKillIT#randomKillPoints' -Dtaskwright.killRuns="$runs" -Dtaskwright.killSeed="$seed" >/dev/null 2>&1 || status=$?
output="starter/target/failsafe-reports/dev.taskwright.starter.faults.WorkerKillIT-output.txt"
[ -f "$output" ] || { echo "no test output in $output (build failed?); run the command above without -q" >&2; exit 1; }
lines="$(grep -E '^run [0-9]+ \(seed|^passed [0-9]+ of [0-9]+' "$output")"
echo "$lines"
elapsed=$(( $(date +%s) - started ))
append_result "Worker-kill soak, $runs runs" "$(printf '%s\ntotal %d s' "$lines" "$elapsed")" \
  "- bench/worker-kill-soak.sh $runs $seed: each run a fresh temporal server start-dev, worker process, real Claude Code CLI against the scripted model; the worker is killed with SIGKILL at a random point (waiting for the model, after the first tool, as the agent finishes) plus 0-3 s, a new worker started; the task must complete once with one commit, one session, no agent left, a complete ledger."
exit "$status"
