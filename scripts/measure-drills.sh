#!/usr/bin/env bash
# Reruns every fault drill and then the overload run, one after another, against a running system, and rebuilds
# docs/reliability.md and the log from their result files. Start the system first as the drills are recorded: a Release
# build, the seed network profile, and OrdersService's admission control on, as a deployment runs it (the lab's default
# is off, so that its other runs measure the naive variants as they drown):
#   env 'Parameters__network-profile=seed' 'ServiceSettings__orders__PerfReference__Admission__Enabled=true' \
#       bash scripts/run.sh -c Release                                     (in another terminal)
#   bash scripts/measure-drills.sh
# Each drill runs in the lab the AppHost started, as its dashboard command does, with the lab's load (8 checkouts/s for
# 75 s, naive and optimized alternately, through the client's link under seed) and waits for the books to settle; the
# overload run offers the optimized seed checkout 0.5, 1, 1.5 and 2 times its capacity (the newest phased capacity search
# at 500 ms under seed: scripts/measure-capacity.sh), 20 s a step. A drill that fails the rule does not
# stop the others: the script says at the end which failed, and exits non-zero then.
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-seed}"
lab=(dotnet run -c Release --project src/LoadLab --)
aspire=(dotnet aspire --non-interactive)
export ASPIRE_CLI_TELEMETRY_OPTOUT=1
orders="http://127.0.0.1:5180"

# The drills and the overload run measure admission control: refuse a system started without it rather than drill it.
admission=$(curl -fsS "$orders/api/diagnostics/admission" || true)
if ! grep -q '"enabled":true' <<<"$admission"; then
  echo "OrdersService at $orders does not shed load (admission control: ${admission:-no answer})." >&2
  echo "Start the system with 'ServiceSettings__orders__PerfReference__Admission__Enabled=true' in its environment (see the top of $0)." >&2
  exit 2
fi

# The drills run in the load lab the AppHost started (the loadlab resource, as its dashboard commands do: it holds what
# they act on and check, the payment provider's admin key among them); its address from the running AppHost.
lab_url=$("${aspire[@]}" describe loadlab --format json --apphost src/AppHost/AppHost.csproj | python3 scripts/lab-drill.py url)

failed=()
for drill in $("${lab[@]}" list --drills); do
  echo "== drill $drill ($(date -u +%H:%M:%S) UTC)"
  python3 scripts/lab-drill.py run "$lab_url" "$drill" || failed+=("$drill")
done

echo "== overload seed-checkout ($(date -u +%H:%M:%S) UTC)"
"${lab[@]}" overload seed-checkout --profile "$profile" || failed+=("overload")

"${lab[@]}" log
echo "Results: results/drills/<drill>/ and results/overload/seed-checkout/ (the newest file of each);"
echo "         docs/reliability.md (the drills) and the log's 'Overload: past the knee' section, regenerated from them."
if [ ${#failed[@]} -gt 0 ]; then
  echo "Failed or not run: ${failed[*]}" >&2
  exit 1
fi
