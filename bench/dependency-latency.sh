#!/usr/bin/env bash
# Measures how long after a dependency completes its dependent's agent starts: in-process Temporal
# server and worker, 50 pairs A -> B run by the command driver (DependencyLatencyBench, run through
# Surefire). Median and p95 after one warm-up pair; appends the figures, the machine and the
# versions to bench/RESULTS.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

./mvnw -q -o -pl starter -am test -Dtest=DependencyLatencyBench -Dsurefire.failIfNoSpecifiedTests=false >&2
figures="$(cat starter/target/bench/dependency-latency.txt)"

pom_property() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" pom.xml | head -1; }
{
  echo
  echo "## Dependency completed → dependent's agent started, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- Machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB memory, $(uname -sr)"
  echo "- Java $(java -version 2>&1 | head -1 | sed 's/.*version "\([^"]*\)".*/\1/'), Temporal SDK $(pom_property temporal.version)" \
       "(in-process test server), commit $(git rev-parse --short HEAD)"
  echo "- 50 pairs A -> B, one after another, both run by the command driver (A sleeps 1 s, so B is"
  echo "  already waiting on its signal). From A's last search-attribute upsert (the workflow task that"
  echo "  decided COMPLETED and signalled B; server time) to B's \`agent.pid\` record appearing (wall time)."
  echo
  echo '```'
  echo "$figures"
  echo '```'
} >> bench/RESULTS.md
echo "$figures"
