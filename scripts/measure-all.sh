#!/usr/bin/env bash
# Runs every lab scenario whose figures the optimization log quotes, against a running system, then
# rebuilds docs/optimizations.md. Start the system first with the profile you name here, e.g.
#   env 'Parameters__network-profile=seed' bash scripts/run.sh -c Release     (in another terminal)
#   bash scripts/measure-all.sh seed
# Under a profile other than loopback the lab sends its load through orders-link (port 5190).
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-seed}"
lab=(dotnet run -c Release --project src/LoadLab --)

"${lab[@]}" run n-plus-one-db     --rate 4  --duration 30s --warmup 5s --profile "$profile"
"${lab[@]}" run n-plus-one-grains --rate 20 --duration 30s --warmup 5s --profile "$profile"
"${lab[@]}" run serialization     --rate 20 --duration 30s --warmup 5s --profile "$profile"
"${lab[@]}" run payment-async     --rate 10 --duration 30s --warmup 5s --profile "$profile"
"${lab[@]}" run payment-deferred  --rate 10 --duration 30s --warmup 5s --profile "$profile"
"${lab[@]}" run cache-warming     --rate 50 --duration 20s            --profile "$profile"
"${lab[@]}" run compression       --rate 10 --duration 30s --warmup 5s --profile "$profile"
"${lab[@]}" run threadpool-starvation --rate 6 --duration 100s --warmup 5s --profile "$profile"
"${lab[@]}" run lock-contention   --rate 20 --duration 30s --warmup 5s --profile "$profile"
"${lab[@]}" run memory-leak       --rate 50 --duration 120s --gcdump  --profile "$profile"
"${lab[@]}" run seed-checkout     --rate 3  --duration 40s --warmup 5s --profile "$profile"
"${lab[@]}" run seed-checkout --journey --rate 3 --duration 70s --warmup 5s --profile "$profile"
"${lab[@]}" log
