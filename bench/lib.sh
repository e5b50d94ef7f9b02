#!/usr/bin/env bash
# Shared by the bench scripts that run a benchmark class through Surefire (so it finds the pinned
# Claude Code CLI as the tests do) and append its figures to bench/RESULTS.md.

# run_bench CLASS FIGURES_FILE: runs the benchmark class, then prints the figures it wrote.
run_bench() {
  ./mvnw -q -pl starter -am test -Dtest="$1" -Dsurefire.failIfNoSpecifiedTests=false >&2
  cat "starter/target/bench/$2"
}

pom_property() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" pom.xml | head -1; }

# append_result TITLE FIGURES DESCRIPTION_LINE...: one section of bench/RESULTS.md with the
# machine, the versions, how it was measured and the figures.
append_result() {
  local title="$1" figures="$2"
  shift 2
  {
    echo
    echo "## $title, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "- Machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB memory, $(uname -sr)"
    echo "- Java $(java -version 2>&1 | head -1 | sed 's/.*version "\([^"]*\)".*/\1/'), Temporal SDK $(pom_property temporal.version)" \
         "(in-process test server), Claude Code $(pom_property claude.code.version), commit $(git rev-parse --short HEAD)"
    printf '%s\n' "$@"
    echo
    echo '```'
    echo "$figures"
    echo '```'
  } >> bench/RESULTS.md
  echo "$figures"
}
