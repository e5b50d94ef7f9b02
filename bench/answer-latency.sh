#!/usr/bin/env bash
# Measures how long after `taskwright answer` returns the agent runs again: in-process Temporal
# server and worker, the real Claude Code CLI, the scripted model (AnswerLatencyBench). Median and
# p95 of 10 answers after one warm-up; appends the figures to bench/RESULTS.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. bench/lib.sh

figures="$(run_bench AnswerLatencyBench answer-latency.txt)"
append_result "Answer → agent running again" "$figures" \
  "- From the \`answer\` command returning (run in-process, as the worker) to: the resumed run's" \
  "  \`agent.pid\` record appearing (process started), and the scripted server receiving the" \
  "  resumed run's first request (the CLI has booted and sent the conversation)."
