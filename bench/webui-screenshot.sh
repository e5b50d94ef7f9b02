#!/usr/bin/env bash
# A screenshot of the Temporal Web UI showing a task that waits for an answer. Starts
# `taskwright dev` on the Temporal CLI's server (which serves the Web UI) with TASKWRIGHT_HOME in a
# scratch folder, runs a task whose command agent asks a question, checks with `taskwright status`
# that the task is BLOCKED on that question, opens the task's workflow page in headless Chromium (the
# User Metadata tab, with the task's current details), waits until it shows the state and the
# question, and saves a PNG of it.
# Everything it starts is stopped when it exits, whether it succeeded or not.
#
#   Usage: bench/webui-screenshot.sh [SCREENSHOT.png]
#          (default: webui.png in the scratch folder; the path is printed at the end)
#
# Needs Chromium (Debian: `sudo apt-get install -y chromium`; or CHROMIUM=/path/to/chromium) and the
# Temporal CLI: TASKWRIGHT_TEMPORAL_CLI, else the pinned one that bin/install-test-tools builds into
# .tools/temporal-cli/, else `temporal` on PATH. WEBUI_WAIT (default 60) is how many seconds the Web UI
# gets to show the task before the screenshot is taken anyway and the script fails.
set -euo pipefail
caller_dir="$PWD"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

say() { echo "webui-screenshot: $*" >&2; }
fail() { say "$*"; exit 1; }

# ---- What it needs, checked before anything starts ----

chromium="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
if [ -z "$chromium" ] || [ ! -x "$chromium" ]; then
  fail "Chromium is needed for the screenshot and was not found. Install it (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROMIUM=/path/to/chromium, then run this again."
fi

temporal="${TASKWRIGHT_TEMPORAL_CLI:-}"
if [ -z "$temporal" ]; then
  if [ -x "$root/.tools/temporal-cli/temporal" ]; then
    temporal="$root/.tools/temporal-cli/temporal"
  else
    temporal="$(command -v temporal || true)"
  fi
fi
if [ -z "$temporal" ] || [ ! -x "$temporal" ]; then
  fail "The Temporal CLI is needed (its dev server serves the Web UI). Run bin/install-test-tools to build the pinned one into .tools/temporal-cli/, put \`temporal\` on PATH, or set TASKWRIGHT_TEMPORAL_CLI=/path/to/temporal."
fi
command -v python3 >/dev/null || fail "python3 is needed (to find free ports and read JSON)."

work="$(mktemp -d "${TMPDIR:-/tmp}/taskwright-webui.XXXXXX")"
screenshot="${1:-$work/webui.png}"
case "$screenshot" in /*) ;; *) screenshot="$caller_dir/$screenshot" ;; esac
mkdir -p "$(dirname "$screenshot")"
screenshot="$(cd "$(dirname "$screenshot")" && pwd)/$(basename "$screenshot")"
rm -f "$screenshot"

# ---- Stopping everything it started, on every exit ----

dev_pid=""
succeeded=false
cleanup() {
  # Chromium runs in a session of its own: stop what is left of its group (browser, renderers, GPU).
  if [ -f "$work/chromium.pid" ] && pgrep -g "$(cat "$work/chromium.pid")" >/dev/null; then
    kill -KILL -- "-$(cat "$work/chromium.pid")" 2>/dev/null || true
  fi
  # dev stops on SIGTERM as on Ctrl-C: its worker, then the Temporal server and the PostgreSQL it started.
  if [ -n "$dev_pid" ] && kill -0 "$dev_pid" 2>/dev/null; then
    kill -TERM "$dev_pid" 2>/dev/null || true
    for _ in $(seq 120); do kill -0 "$dev_pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$dev_pid" 2>/dev/null; then
      say "dev did not stop within 60 s; killing it"
      kill -KILL "$dev_pid" 2>/dev/null || true
    fi
  fi
  wait 2>/dev/null || true
  # Should dev have been killed before it could stop them: the Temporal server with its database in
  # the scratch home, and the PostgreSQL whose pid file is there.
  local leftover
  leftover="$(pgrep -f -- "--db-filename $work/home/temporal.db" || true)"
  if [ -n "$leftover" ]; then
    say "stopping the Temporal server dev left behind (pid $leftover)"
    kill -TERM $leftover 2>/dev/null || true
    sleep 3
    kill -KILL $leftover 2>/dev/null || true
  fi
  if [ -f "$work/home/postgres/data/postmaster.pid" ]; then
    leftover="$(head -1 "$work/home/postgres/data/postmaster.pid")"
    if [ -n "$leftover" ] && kill -0 "$leftover" 2>/dev/null; then
      say "stopping the PostgreSQL dev left behind (pid $leftover)"
      kill -INT "$leftover" 2>/dev/null || true
      for _ in $(seq 20); do kill -0 "$leftover" 2>/dev/null || break; sleep 0.5; done
      kill -KILL "$leftover" 2>/dev/null || true
    fi
  fi
  # PostgreSQL's unpacked binaries are most of the scratch folder's 100 MB, and tell nothing.
  rm -rf "$work/home/cache"
  if $succeeded; then
    # The rest of the scratch home (the ledger, the Temporal database, the worktree) goes too; the
    # screenshot, and the logs beside it, stay.
    rm -rf "$work/home" "$work/repo" "$work/chromium-profile" "$work/chromium.pid"
  else
    say "failed; the logs are in $work (dev.log, run.out, chromium.log, page.txt, home/logs/)"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- A Temporal server with its Web UI, and a worker: taskwright dev ----

is_free() { python3 -c 'import socket,sys; s=socket.socket(); s.bind(("127.0.0.1",int(sys.argv[1])))' "$1" 2>/dev/null; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=""
for _ in $(seq 20); do
  candidate="$(free_port)"
  # dev's Temporal server puts the Web UI on the port + 1000.
  if [ "$candidate" -le 64535 ] && is_free "$((candidate + 1000))"; then port="$candidate"; break; fi
done
[ -n "$port" ] || fail "found no free port whose port + 1000 (the Web UI's) is free too"

# A scratch home and a server of its own: nothing of the caller's ledger, server or settings is used.
unset TASKWRIGHT_DATABASE_URL TASKWRIGHT_DATABASE_USER TASKWRIGHT_DATABASE_PASSWORD TASKWRIGHT_METRICS_ADDRESS \
  TEMPORAL_NAMESPACE TEMPORAL_API_KEY TEMPORAL_PROFILE
export TASKWRIGHT_HOME="$work/home" TEMPORAL_ADDRESS="127.0.0.1:$port" TASKWRIGHT_TEMPORAL_CLI="$temporal"

say "building the taskwright jar if needed"
bin/taskwright --version >/dev/null

say "starting taskwright dev (Temporal at $TEMPORAL_ADDRESS, home $TASKWRIGHT_HOME)"
bin/taskwright dev --temporal cli >"$work/dev.log" 2>&1 &
dev_pid=$!
for _ in $(seq 180); do
  grep -q "taskwright dev is ready" "$work/dev.log" && break
  kill -0 "$dev_pid" 2>/dev/null || { cat "$work/dev.log" >&2; fail "dev exited before it was ready"; }
  sleep 1
done
grep -q "taskwright dev is ready" "$work/dev.log" || { tail -20 "$work/dev.log" >&2; fail "dev was not ready within 3 minutes"; }
web_ui="$(grep -o 'Web UI: http://[0-9.:]*' "$work/dev.log" | head -1 | cut -d' ' -f3 | sed 's/\.$//')"
[ -n "$web_ui" ] || web_ui="http://127.0.0.1:$((port + 1000))"
say "dev is ready; Web UI at $web_ui"

# ---- A task that asks a question: the command agent writes the question file ----

repo="$work/repo"
git init -q -b main "$repo"
git -C "$repo" -c user.email=webui@taskwright.invalid -c user.name=webui commit -q --allow-empty -m "An empty start"
task=paint-shed
question="Which colour should the shed be?"
cat >"$work/asker.sh" <<EOF
# The agent: reads its prompt, asks one question through the file taskwright reads, and stops.
cat >/dev/null
printf '%s' '{"question": "$question", "options": ["Red, like the barn", "Blue, like the house"]}' > "\$TASKWRIGHT_QUESTION_FILE"
EOF

say "running task $task until it asks"
run_exit=0
timeout 180 bin/taskwright run --id "$task" --repo "$repo" --title "Paint the shed" --command "bash $work/asker.sh" \
  --wait "Paint the shed in a colour that suits the garden" >"$work/run.out" 2>&1 || run_exit=$?
# run --wait stops with exit 6 when the task needs a person (124: it was still waiting after 3 minutes).
[ "$run_exit" -eq 6 ] || { cat "$work/run.out" >&2; fail "run --wait ended with exit $run_exit, not 6 (BLOCKED)"; }

bin/taskwright status "$task" --output json >"$work/status.json"
python3 - "$work/status.json" "$question" <<'EOF' || { cat "$work/status.json" >&2; fail "taskwright status does not show the task BLOCKED on the question"; }
import json, sys
task = json.load(open(sys.argv[1]))
question = (task.get("question") or {}).get("text")
ok = task.get("state") == "BLOCKED" and task.get("reason") == "QUESTION" and question == sys.argv[2]
sys.exit(0 if ok else 1)
EOF
bin/taskwright status "$task" >&2

# ---- The task's page in the Web UI, in headless Chromium ----

# The User Metadata tab shows the task's summary and current details: its state, the question with
# its options, and the commands that answer it.
run_id="$("$temporal" workflow describe --address "$TEMPORAL_ADDRESS" --namespace default --workflow-id "$task" --output json \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["workflowExecutionInfo"]["execution"]["runId"])')"
url="$web_ui/namespaces/default/workflows/$task/$run_id/user-metadata"

# Chromium's own --screenshot cannot take this picture: it shoots at the load event, before the Web
# UI (a single-page app) has drawn anything, and with --virtual-time-budget it never finishes on a
# workflow's page, because the page long-polls the history (waitNewEvent=true), so a request is
# always pending and virtual time never runs out. So this small program drives headless Chromium
# over the DevTools protocol on --remote-debugging-pipe (JSON messages ended by a NUL byte, which
# Chromium reads on fd 3 and answers on fd 4), with Python's standard library only: it opens the
# page, waits until the page and its frames show every expected text, and captures the page.
# Chromium runs in a session of its own, its pid in chromium.pid, so cleanup can stop all of it.
capture_page() {
  python3 - "$chromium" "$url" "$screenshot" "$work" "${WEBUI_WAIT:-60}" "$@" <<'EOF'
import base64, json, os, signal, subprocess, sys, time

chromium, url, png, work, wait_seconds, *expected = sys.argv[1:]
commands_r, commands_w = os.pipe()
replies_r, replies_w = os.pipe()


def onto_fds_3_and_4():
    """In the child, before exec: Chromium's ends of the two pipes become fds 3 and 4."""
    commands, replies = os.dup(commands_r), os.dup(replies_w)
    os.dup2(commands, 3)
    os.dup2(replies, 4)


browser = subprocess.Popen(
    [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
     "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=1400,1000",
     "--user-data-dir=" + os.path.join(work, "chromium-profile"), "--remote-debugging-pipe", "about:blank"],
    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "chromium.log"), "ab"),
    pass_fds=(3, 4), preexec_fn=onto_fds_3_and_4, start_new_session=True)
with open(os.path.join(work, "chromium.pid"), "w") as pid_file:
    pid_file.write(str(browser.pid))
os.close(commands_r)
os.close(replies_w)
replies = os.fdopen(replies_r, "rb")
last_id = 0


def call(method, session=None, **params):
    """Sends one command and returns its result, skipping the events that arrive meanwhile."""
    global last_id
    last_id += 1
    message = {"id": last_id, "method": method, "params": params}
    if session:
        message["sessionId"] = session
    os.write(commands_w, json.dumps(message).encode() + b"\0")
    while True:
        raw = bytearray()
        while (byte := replies.read(1)) != b"\0":
            if not byte:
                sys.exit("webui-screenshot: Chromium closed the DevTools pipe (see chromium.log)")
            raw += byte
        reply = json.loads(raw)
        if reply.get("id") == last_id:
            if "error" in reply:
                sys.exit(f"webui-screenshot: {method} failed: {reply['error']}")
            return reply["result"]


# The text of the page and of its frames (the Web UI renders markdown in same-origin iframes).
PAGE_TEXT = """(() => {
  const texts = [document.body ? document.body.innerText : ""];
  for (const frame of document.querySelectorAll("iframe")) {
    try { texts.push(frame.contentDocument.body.innerText); } catch (e) { /* not loaded, or another origin */ }
  }
  return texts.join("\\n");
})()"""


def give_up(signum, frame):
    raise TimeoutError("Chromium stopped answering")


# However Chromium behaves, this program ends: the wait for the page, plus a minute.
signal.signal(signal.SIGALRM, give_up)
signal.alarm(int(float(wait_seconds)) + 60)
try:
    target = call("Target.createTarget", url="about:blank")["targetId"]
    session = call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
    call("Emulation.setDeviceMetricsOverride", session, width=1400, height=1000, deviceScaleFactor=1, mobile=False)
    call("Page.navigate", session, url=url)
    deadline = time.monotonic() + float(wait_seconds)
    while True:
        shown = call("Runtime.evaluate", session, expression=PAGE_TEXT, returnByValue=True)["result"].get("value") or ""
        missing = [text for text in expected if text not in shown]
        if not missing or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    time.sleep(1)  # the last frame's fonts and layout
    with open(png, "wb") as picture:
        picture.write(base64.b64decode(call("Page.captureScreenshot", session, format="png")["data"]))
    with open(os.path.join(work, "page.txt"), "w") as text:
        text.write(shown)
    if missing:
        sys.exit(f"webui-screenshot: after {wait_seconds} s the page still does not show {missing}; "
                 f"what it shows is in page.txt and {png} (WEBUI_WAIT sets the seconds)")
except TimeoutError as e:
    sys.exit(f"webui-screenshot: {e} (see chromium.log)")
finally:
    signal.alarm(15)  # closing must not hang either
    try:
        call("Browser.close")
        browser.wait(timeout=10)
    except BaseException:
        try:
            os.killpg(browser.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        browser.wait()
    signal.alarm(0)
EOF
}

say "opening $url"
capture_page "State: BLOCKED (QUESTION)" "$question" "taskwright answer $task"
[ -s "$screenshot" ] || fail "Chromium wrote no screenshot"

succeeded=true
say "the Web UI shows $task BLOCKED with its question; screenshot:"
echo "$screenshot"
