#!/usr/bin/env bash
# The capacity searches the optimization log quotes, against a running system, then rebuilds the log.
# Start the system first with the profile you name here, e.g.
#   env 'Parameters__network-profile=seed' bash scripts/run.sh -c Release     (in another terminal)
#   bash scripts/measure-capacity.sh seed
# Each search climbs the open-loop rate (x1.5 every 10 s) until a variant's P99 breaks the service
# level or its errors pass 1 %: phased (each variant alone: its capacity), or interleaved (where an
# interleaved run stops measuring the variants). Each takes 1 to 4 minutes.
# The ceiling (the bare endpoint against an optimized cached read) and the cost of telemetry have a script of their own,
# run once with the system started as usual and once with env 'Parameters__telemetry=off': scripts/measure-ceiling.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-seed}"
lab=(dotnet run -c Release --project src/LoadLab --)
common=(--step 10s --factor 1.5 --profile "$profile")

"${lab[@]}" capacity threadpool-starvation --mode phased --start-rate 2 --max-rate 400 "${common[@]}"
"${lab[@]}" capacity lock-contention       --mode phased --start-rate 5 --max-rate 600 "${common[@]}"
# Interleaved: from which rate an interleaved run stops measuring the variants. The naive variant's own
# floor is 200 round trips (2 s under seed), so the service level here is one it can meet at all.
"${lab[@]}" capacity n-plus-one-db         --mode interleaved --start-rate 1 --max-rate 200 --slo 5s "${common[@]}"
# Throughput and P99 as concurrency grows (closed loop): the lock, and the hot row behind it.
"${lab[@]}" sweep lock-contention --in-flight 1,10,50,200 --step 20s --profile "$profile"
# The seed target, far past it: up to which rate everything optimized keeps its P99 within 50 ms. Every step has at
# least 300 requests (from 5 requests/s, 60 s a step), so that no step's P99 is just its slowest request: from 2 a
# second in 20 s steps, a step of 40 requests broke on one slow checkout before the climb reached the rates that matter.
"${lab[@]}" capacity seed-checkout         --mode phased --start-rate 5 --max-rate 200 --slo 50ms --step 60s --factor 1.5 --profile "$profile"
# The optimized checkout defers its payment: a search at hundreds a second leaves the payment worker thousands to
# settle, and every measurement waits for them first (the lab's EarlierLoad). So the searches that end at the highest
# rates come last.
# The seed checkout: everything naive against everything optimized, at the seed's 500 ms, and at a
# service level the naive checkout can meet at all (its two blocking payment calls alone take 600 ms).
"${lab[@]}" capacity seed-checkout         --mode phased --start-rate 1 --max-rate 200 "${common[@]}"
# Up to 600 requests/s: at 200 the optimized checkout's climb ended before it broke (a capacity of "at least").
"${lab[@]}" capacity seed-checkout         --mode phased --start-rate 0.5 --max-rate 600 --slo 5s "${common[@]}"
"${lab[@]}" log
