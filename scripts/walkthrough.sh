#!/usr/bin/env bash
# Regenerates docs/walkthrough/*.png: runs the browser tests against the real topology (under the
# machine's one-topology-at-a-time lock when there is one) with PERFREF_WALKTHROUGH_DIR set, so each
# screenshot the tests take is also written into the walkthrough. Then read docs/walkthrough.md.
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/prerequisites.sh || exit 1

export PERFREF_WALKTHROUGH_DIR="$PWD/docs/walkthrough"
mkdir -p "$PERFREF_WALKTHROUGH_DIR"
run=(dotnet test --project tests/BrowserTests "$@")
if command -v flock >/dev/null 2>&1; then
  run=(flock /tmp/perfref-itest.lock "${run[@]}")
fi
"${run[@]}"
status=$?

echo "Screenshots in $PERFREF_WALKTHROUGH_DIR:"
ls -1 "$PERFREF_WALKTHROUGH_DIR"/*.png 2>/dev/null | sed 's|^.*/|  |'
exit "$status"
