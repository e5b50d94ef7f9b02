#!/usr/bin/env bash
# Measures `taskwright list` on a ledger of 10,000 tasks (List10kBench): the ledger is filled through
# the workflow's own write path (LedgerStore) on the tests' embedded PostgreSQL, then each list variant
# runs 20 times through the CLI in-process, and its query alone on an open ledger. Median and p95
# after 3 warm-ups; appends the figures to bench/RESULTS.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. bench/lib.sh

figures="$(run_bench List10kBench list-10k.txt)"
append_result "\`list\` on a ledger of 10,000 tasks" "$figures" \
  "- PostgreSQL $(pom_property postgres.binaries.version) (the tests' embedded server, reached by TASKWRIGHT_DATABASE_URL over loopback); no Temporal involved." \
  "- 10,000 tasks over 30 days in 8 repositories of unequal size, about a third in plans (some with" \
  "  subtasks), written through LedgerStore with their transitions and 0-3 runs each; then ANALYZE." \
  "- \"Through the CLI\": \`Cli.commandLine(...).execute(args)\` in a warm JVM, as \`Main\` runs it: parse," \
  "  open the ledger (pool + Flyway's schema check), query, print 50 rows; JVM start-up and class loading" \
  "  are not included. \"The query alone\": \`LedgerQueries.list\` on an open ledger."
