#!/usr/bin/env bash
# Shared by the bench scripts that run a benchmark class through Surefire (so it finds the pinned
# Claude Code CLI as the tests do) and append its figures to bench/RESULTS.md.

# run_bench CLASS FIGURES_FILE: runs the benchmark class, then prints the figures it wrote.
run_bench() {
  ./mvnw -q -pl starter -am test -Dtest="$1" -Dsurefire.failIfNoSpecifiedTests=false >&2
  cat "starter/target/bench/$2"
}

# run_main CLASS ARGS...: runs a benchmark main on the test classpath, after building the jar and
# the test classes in one reactor run (so the activities test-jar, the scripted model server,
# resolves from the build). Outside Surefire, so a run may take hours.
run_main() {
  local class="$1"
  shift
  bash bin/install-test-tools >/dev/null
  ./mvnw -q -DskipTests -pl starter -am package dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt >&2
  java -Dtaskwright.root="$PWD" -Dtaskwright.tools.dir="$PWD/.tools" -Dtaskwright.jar="$PWD/starter/target/taskwright.jar" \
    -cp "starter/target/test-classes:starter/target/classes:$(cat starter/target/test-classpath.txt)" "$class" "$@"
}

temporal_version() { "$PWD/.tools/temporal-cli/temporal" --version 2>/dev/null | head -1; }

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
         "(${BENCH_SERVER:-in-process test server}), Claude Code $(pom_property claude.code.version), commit $(git rev-parse --short HEAD)"
    printf '%s\n' "$@"
    echo
    echo '```'
    echo "$figures"
    echo '```'
  } >> bench/RESULTS.md
  echo "$figures"
}
