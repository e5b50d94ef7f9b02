#!/usr/bin/env bash
# The worker's resident memory with 20 agents running at once. One worker JVM (bin/taskwright
# worker, TASKWRIGHT_MAX_AGENTS=20) against a Temporal CLI dev server in its own process, so the
# figure is the worker's alone; 20 tasks from one task file, each a command agent that sleeps,
# so all 20 run together. Samples the worker's RSS idle, then every second while all 20 agents
# run, and appends the figures to bench/RESULTS.md.   Usage: bench/worker-memory.sh [AGENTS=20]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source bench/lib.sh
agents="${1:-20}"
bash bin/install-test-tools >/dev/null
temporal="$root/.tools/temporal-cli/temporal"
work="${BENCH_WORK:-$(mktemp -d)}"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port="$(free_port)"
export TEMPORAL_ADDRESS="127.0.0.1:$port" TASKWRIGHT_HOME="$work/home" TASKWRIGHT_MAX_AGENTS="$agents"
"$temporal" server start-dev --ip 127.0.0.1 --port "$port" --ui-port "$(free_port)" --headless \
  --search-attribute TaskState=Keyword --search-attribute TaskRepo=Keyword \
  --search-attribute TaskParent=Keyword --search-attribute TaskAgent=Keyword >"$work/temporal.log" 2>&1 &
pids+=($!)

bin/taskwright --version >/dev/null   # builds the jar first, outside the measurement
for _ in $(seq 60); do "$temporal" operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1 && break; sleep 1; done
bin/taskwright worker >"$work/worker.out" 2>&1 &
worker=$!
pids+=($worker)
for _ in $(seq 120); do grep -q "Worker running" "$work/worker.out" && break; sleep 1; done
grep -q "Worker running" "$work/worker.out" || { cat "$work/worker.out" >&2; exit 1; }
sleep 5
rss() { ps -o rss= -p "$worker" | tr -d ' '; }
idle_kb="$(rss)"

repo="$work/repo"
git init -q -b main "$repo" && git -C "$repo" -c user.email=b@x -c user.name=b commit -q --allow-empty -m init
{
  echo "plan: memory"
  echo "repo: $repo"
  echo "command: sleep 60"
  echo "autoAccept: true"
  echo "tasks:"
  for i in $(seq "$agents"); do echo "  - {id: mem-$i, prompt: hold an agent slot}"; done
} >"$work/plan.yaml"
bin/taskwright run -f "$work/plan.yaml" >/dev/null

running=0
for _ in $(seq 120); do
  running="$( (pgrep -f '(^|/)sleep 60$' || true) | wc -l)"
  [ "$running" -ge "$agents" ] && break
  sleep 1
done
[ "$running" -ge "$agents" ] || { echo "only $running of $agents agents started" >&2; exit 1; }
samples=()
for _ in $(seq 20); do samples+=("$(rss)"); sleep 1; done
sorted="$(printf '%s\n' "${samples[@]}" | sort -n)"
median_kb="$(echo "$sorted" | sed -n "$(( (${#samples[@]} + 1) / 2 ))p")"
max_kb="$(echo "$sorted" | tail -1)"
heap="$(jcmd "$worker" GC.heap_info 2>/dev/null | sed -n 's/.*garbage-first heap *total \([0-9]*K\), used \([0-9]*K\).*/heap total \1, used \2/p' | head -1)"

figures="$(printf 'worker RSS idle (no tasks):            %6d MiB\nworker RSS with %d agents running:     %6d MiB median, %d MiB max (20 samples, 1 s apart)\n%s' \
  $((idle_kb / 1024)) "$agents" $((median_kb / 1024)) $((max_kb / 1024)) "$heap")"
append_result "Worker memory with $agents agents" "$figures" \
  "- bench/worker-memory.sh: one \`taskwright worker\` (TASKWRIGHT_MAX_AGENTS=$agents, default JVM options) against a Temporal CLI dev server in another process; $agents command-agent tasks from one task file, each \`sleep 60\`, all running at once; RSS of the worker JVM from ps. The ledger is the embedded PostgreSQL (a separate process, not counted)."
