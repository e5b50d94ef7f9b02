#!/usr/bin/env bash
# Measures how long after `taskwright answer` returns the agent runs again: in-process Temporal
# server and worker, the real Claude Code CLI, the scripted model (AnswerLatencyBench, run through
# Surefire so it finds the pinned CLI as the tests do). Median and p95 of 10 answers after one
# warm-up; appends the figures, the machine and the versions to bench/RESULTS.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

./mvnw -q -o -pl starter -am test -Dtest=AnswerLatencyBench -Dsurefire.failIfNoSpecifiedTests=false >&2
figures="$(cat starter/target/bench/answer-latency.txt)"

pom_property() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" pom.xml | head -1; }
{
  echo
  echo "## Answer → agent running again, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- Machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB memory, $(uname -sr)"
  echo "- Java $(java -version 2>&1 | head -1 | sed 's/.*version "\([^"]*\)".*/\1/'), Temporal SDK $(pom_property temporal.version)" \
       "(in-process test server), Claude Code $(pom_property claude.code.version), commit $(git rev-parse --short HEAD)"
  echo "- From the \`answer\` command returning (run in-process, as the worker) to: the resumed run's"
  echo "  \`agent.pid\` record appearing (process started), and the scripted server receiving the"
  echo "  resumed run's first request (the CLI has booted and sent the conversation)."
  echo
  echo '```'
  echo "$figures"
  echo '```'
} >> bench/RESULTS.md
echo "$figures"
