#!/usr/bin/env bash
# One task at a time through the real launcher (bin/taskwright dev + run --auto-accept --wait),
# run by the real Claude Code CLI against the scripted model. Prints per-task timings and appends
# the medians to bench/RESULTS.md.   Usage: bench/single-task.sh [TASKS=10]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash bin/install-test-tools >/dev/null
# Build the jars (bin/taskwright's too) and write the test classpath in one reactor run, so the
# activities test-jar (the scripted model server) resolves from the build rather than a repository.
./mvnw -q -DskipTests -pl starter -am package dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
exec java -Dtaskwright.root="$root" -Dtaskwright.tools.dir="$root/.tools" \
  -cp "starter/target/test-classes:starter/target/classes:$(cat starter/target/test-classpath.txt)" \
  dev.taskwright.bench.SingleTaskBench "${1:-10}"
