#!/usr/bin/env bash
# Runs the whole test suite against real processes: installs missing prerequisites, builds, runs
# every test project, and ends with one line: "tests: N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/prerequisites.sh || exit 1

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# One test module at a time: the latency proxy's tests time round trips and need a quiet machine,
# and the integration tests start the whole topology on 2 cores.
dotnet test --solution PerfReference.sln --max-parallel-test-modules 1 "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Microsoft.Testing.Platform ends with a "Test run summary" block of total/failed/succeeded/skipped.
last_summary() { awk '/Test run summary/ { block = "" } { block = block $0 "\n" } END { printf "%s", block }' "$log"; }
count() { last_summary | grep -E "^\s*$1:\s*[0-9]+" | tail -1 | awk '{ print $2 + 0 }'; }
passed=$(count succeeded); passed=${passed:-0}
failed=$(count failed); failed=${failed:-0}
skipped=$(count skipped); skipped=${skipped:-0}

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the run broke before or outside a test (build error, crash): never report it as green
fi

# The failures again, message first and without the captured output that follows them, so that the
# last screen of a long run says which test failed and why.
failures() {
  sed 's/\x1b\[[0-9;]*m//g' "$log" | awk '
    /^failed / { print; shown = 0; inside = 1; next }
    inside && /^  from / { next }
    inside && /^    at / { inside = 0; next }
    inside && /^  / && shown < 15 { print; shown++; next }
    { inside = 0 }'
}
failed_tests=$(failures)
if [ -n "$failed_tests" ]; then
  echo
  echo "Failed tests:"
  echo "$failed_tests"
fi

line="tests: $passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
exit "$status"
