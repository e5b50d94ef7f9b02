#!/usr/bin/env bash
# The latency of taskwright's waits (WaitLatencyBench): submit -> agent started, dependency
# satisfied -> dependent's agent started, answer returned -> agent running again, on
# `taskwright dev --temporal cli` and `--temporal embedded`, command agents that stamp their own
# start. Appends the figures to bench/RESULTS.md.   Usage: bench/wait-latency.sh [rounds=30] [servers=cli,embedded]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source bench/lib.sh
out="$root/starter/target/bench/wait-latency.txt"
run_main dev.taskwright.bench.WaitLatencyBench "$@" "output=$out" >&2
BENCH_SERVER="dev's embedded Temporal and temporal server start-dev, $(temporal_version)" \
append_result "Latency of the waits ($*)" "$(cat "$out")" \
  "- bench/wait-latency.sh $*: \`bin/taskwright dev --temporal cli|embedded\` (the launcher's JVM options: C1 only, serial GC, class-data archive; 8 agents), command agents" \
  "  whose first act is \`date +%s%N\` into a file. Submit: \`run\` invoked in the harness's warm JVM (connect, check the repository," \
  "  start the workflow). Dependency satisfied: A's last search-attribute upsert (COMPLETED), server time. Answer: \`answer\`" \
  "  returned. Each round runs one of each, one after another; round 0 is a warm-up."
