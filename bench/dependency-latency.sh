#!/usr/bin/env bash
# Measures how long after a dependency completes its dependent's agent starts: in-process Temporal
# server and worker, 50 pairs A -> B run by the command driver (DependencyLatencyBench). Median and
# p95 after one warm-up pair; appends the figures to bench/RESULTS.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. bench/lib.sh

figures="$(run_bench DependencyLatencyBench dependency-latency.txt)"
append_result "Dependency completed → dependent's agent started" "$figures" \
  "- 50 pairs A -> B, one after another, both run by the command driver (A sleeps 1 s, so B is" \
  "  already waiting on its signal). From A's last search-attribute upsert (the workflow task that" \
  "  decided COMPLETED and signalled B; server time) to B's \`agent.pid\` record appearing (wall time)."
