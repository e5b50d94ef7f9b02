#!/usr/bin/env bash
# `taskwright status ID` end to end, as a user runs it: a fresh JVM each time (bin/taskwright,
# which uses its class-data archive once it has one), against `taskwright dev --temporal cli`
# with one finished task. Times RUNS runs (after 2 warm-ups) with and without the archive and
# appends the figures to bench/RESULTS.md.   Usage: bench/status-command.sh [RUNS=20]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source bench/lib.sh
runs="${1:-20}"
bash bin/install-test-tools >/dev/null
work="$(mktemp -d)"
dev_pid=""
cleanup() { if [ -n "$dev_pid" ]; then kill "$dev_pid" 2>/dev/null || true; wait "$dev_pid" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
export TEMPORAL_ADDRESS="127.0.0.1:$(free_port)" TASKWRIGHT_HOME="$work/home" TASKWRIGHT_TEMPORAL_CLI="$root/.tools/temporal-cli/temporal"
bin/taskwright --version >/dev/null   # builds the jar (and the class-data archive) outside the measurement
bin/taskwright --version >/dev/null
java -jar starter/target/taskwright.jar dev --temporal cli >"$work/dev.log" 2>&1 &
dev_pid=$!
for _ in $(seq 120); do grep -q "taskwright dev is ready" "$work/dev.log" && break; sleep 1; done
grep -q "taskwright dev is ready" "$work/dev.log" || { cat "$work/dev.log" >&2; exit 1; }
git init -q -b main "$work/repo" && git -C "$work/repo" -c user.email=b@x -c user.name=b commit -q --allow-empty -m init
bin/taskwright run --repo "$work/repo" --id status-1 --auto-accept --command true --wait "Nothing" >/dev/null

# time_runs LABEL COMMAND...: median and p95 wall milliseconds of RUNS runs after 2 warm-ups.
time_runs() {
  local label="$1"; shift
  local samples=()
  for i in $(seq $((runs + 2))); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null
    end=$(date +%s%N)
    [ "$i" -gt 2 ] && samples+=($(( (end - start) / 1000000 )))
  done
  local sorted; sorted="$(printf '%s\n' "${samples[@]}" | sort -n)"
  printf '%-58s median %4d ms, p95 %4d ms, min %4d ms\n' "$label" \
    "$(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p")" "$(echo "$sorted" | sed -n "$(( (runs * 95 + 99) / 100 ))p")" "$(echo "$sorted" | head -1)"
}
figures="$(
  time_runs "bin/taskwright status status-1 (class-data archive)" bin/taskwright status status-1
  time_runs "java -jar taskwright.jar status status-1 (no archive)" java -jar starter/target/taskwright.jar status status-1
  time_runs "bin/taskwright --version (class-data archive)" bin/taskwright --version
  time_runs "java -jar taskwright.jar --version (no archive)" java -jar starter/target/taskwright.jar --version
)"
BENCH_SERVER="temporal server start-dev, $(temporal_version)" \
append_result "\`taskwright status\` end to end" "$figures" \
  "- bench/status-command.sh $runs: wall time of the whole command, a fresh JVM each run (default JVM options), against" \
  "  \`taskwright dev --temporal cli\` holding one completed task; $runs runs after 2 warm-ups each."
