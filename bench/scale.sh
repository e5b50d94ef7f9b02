#!/usr/bin/env bash
# taskwright at scale (ScaleBench): 1,000 queued tasks, a 500-task dependency DAG, and 200 BLOCKED
# tasks answered at once, on `taskwright dev --temporal cli` with 8 agents; completion time, end
# states, CPU, memory and history events per task. Appends the figures to bench/RESULTS.md.
#   Usage: bench/scale.sh [scenarios=queue,dag,answers] [tasks=1000] [dag=500] [answers=200]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source bench/lib.sh
out="$root/starter/target/bench/scale.txt"
run_main dev.taskwright.bench.ScaleBench "$@" "output=$out" >&2
BENCH_SERVER="temporal server start-dev, $(temporal_version)" \
append_result "Scale ($*)" "$(cat "$out")" \
  "- bench/scale.sh $*: \`bin/taskwright dev --temporal cli\` (the launcher's JVM options: C1 only, serial GC, class-data archive; TASKWRIGHT_MAX_AGENTS=8), each scenario" \
  "  on a fresh home and repository; every task a command agent that writes one file (the ask- tasks first write a question)." \
  "  Tasks submitted with one \`run -f\` in the harness's JVM; CPU and RSS from /proc, sampled every second; the Temporal server is" \
  "  the Temporal CLI process; PostgreSQL counts its server and its backends."
