#!/usr/bin/env bash
# One agent run of MINUTES (default 120) on temporal server start-dev, the real Claude Code CLI
# against a scripted model that streams slowly; checks that heartbeats add no history events and
# that the worker's memory stays steady (LongRunBench). Appends the figures to bench/RESULTS.md.
#   Usage: bench/long-run.sh [MINUTES=120]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source bench/lib.sh
minutes="${1:-120}"
figures="$(run_main dev.taskwright.bench.LongRunBench "$minutes" "$root/starter/target/bench/long-run.txt" >&2; cat starter/target/bench/long-run.txt)"
BENCH_SERVER="temporal server start-dev, $(temporal_version)" append_result "One agent run of $minutes minutes" "$figures" \
  "- One worker process (\`java -Xmx256m -jar taskwright.jar worker\`)." \
  "- bench/long-run.sh $minutes: a one-turn task first (the simple history to compare with), then one task whose scripted model" \
  "  streams every reply with a delta every 2 s (about a minute a turn, each turn ending in a Write), $minutes turns; time not skipped." \
  "  Sampled each minute: the history length, the Run activity's attempt and last heartbeat, the worker's and the agent's RSS."
