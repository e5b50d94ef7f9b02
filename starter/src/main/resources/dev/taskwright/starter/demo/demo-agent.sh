#!/usr/bin/env bash
# The demo's stand-in for a coding agent, run by taskwright's `command` driver: it works in the
# task's worktree (the current directory), reads the prompt on stdin, edits a file, adds one, and
# writes its summary where taskwright asked for it. A real task runs Claude Code instead.
set -euo pipefail

prompt="$(cat)"

# Edit an existing file: the task branch's commit will show a one-line change.
sed 's/^Hello, world\.$/Hello, world - now with a second line, written by an agent./' greeting.txt > greeting.txt.new
mv greeting.txt.new greeting.txt
printf 'This worktree belongs to task %s.\n' "${TASKWRIGHT_TASK_ID:-unknown}" >> greeting.txt

# Add a new file that records what was asked.
{
  printf '# What the demo agent was asked\n\n'
  printf '%s\n' "$prompt"
} > REQUEST.md

summary="Edited greeting.txt (a friendlier first line, and the task ID) and added REQUEST.md with the prompt."
if [ -n "${TASKWRIGHT_SUMMARY_FILE:-}" ]; then
  printf '%s\n' "$summary" > "$TASKWRIGHT_SUMMARY_FILE"
fi
printf '## Summary\n%s\n' "$summary"
