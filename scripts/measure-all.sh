#!/usr/bin/env bash
# Runs every lab scenario whose figures the optimization log quotes, against a running system, then
# rebuilds docs/optimizations.md. Start the system first with the profile you name here, e.g.
#   env 'Parameters__network-profile=seed' bash scripts/run.sh -c Release     (in another terminal)
#   bash scripts/measure-all.sh seed
# Under a profile other than loopback the lab sends its load through orders-link (port 5190).
#
# The database entries (missing-index, connection-pooling, unbounded-results, bulk-insert) are measured on
# loopback — their cost is in PostgreSQL and the service, which a network would only add the same round trips
# to — and on the default data set (1M orders), which this script loads first when it is missing:
#   bash scripts/run.sh -c Release                                   (in another terminal)
#   bash scripts/measure-all.sh loopback
# and their PgBouncer figures with the system started through it:
#   env 'Parameters__database-pooler=pgbouncer' bash scripts/run.sh -c Release
#   bash scripts/measure-all.sh loopback pgbouncer
#
# The compression entry where bandwidth decides: a mobile client (100 ms, 1.5 Mbit/s on the client's own link,
# orders-link) of the seed datacenter (every link inside the system keeps seed's 5 ms), about 31 minutes:
#   env 'Parameters__network-profile=seed' 'Parameters__client-network-profile=mobile' bash scripts/run.sh -c Release
#   bash scripts/measure-all.sh mobile
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-seed}"
pooler="${2:-none}"
lab=(dotnet run -c Release --project src/LoadLab --)
aspire=(dotnet aspire --non-interactive)
export ASPIRE_CLI_TELEMETRY_OPTOUT=1

# The seed resource loads the default data set by binary COPY; when it is there already, it adds nothing and
# finishes in seconds. So: start it, and wait until it has finished.
load_default_data_set() {
  "${aspire[@]}" resource seed start --apphost src/AppHost/AppHost.csproj
  "${aspire[@]}" wait seed --status down --timeout 3600 --apphost src/AppHost/AppHost.csproj
}

if [ "$profile" = loopback ]; then
  load_default_data_set
  if [ "$pooler" = pgbouncer ]; then
    for run in 1 2 3; do
      "${lab[@]}" run connection-pooling --rate 10 --duration 40s --warmup 5s --profile loopback --condition 'through PgBouncer (transaction pooling)'
    done
  else
    # Three runs each: the log shows the newest and the spread of the ratio across them. Rates keep the naive
    # variant below saturation on 2 cores (each figure is then the variant's cost, not a queue's length);
    # durations give at least 300 measured requests per variant.
    for run in 1 2 3; do
      "${lab[@]}" run missing-index      --rate 2  --duration 150s --warmup 5s  --profile loopback
      "${lab[@]}" run connection-pooling --rate 10 --duration 40s  --warmup 5s  --profile loopback
      "${lab[@]}" run unbounded-results  --rate 2  --duration 150s --warmup 5s  --profile loopback
      "${lab[@]}" run bulk-insert        --rate 1  --duration 600s --warmup 10s --profile loopback
    done
  fi
elif [ "$profile" = mobile ]; then
  # The statement the scenario reads belongs to customer 101, whose orders nothing else the lab touches (its checkouts
  # and drills order for customers 1..100); the small and default data sets have that customer: load the default one
  # (seconds when it is there already). On the tiny data set the scenario falls back to customer 100 and says so.
  load_default_data_set
  # Three runs. 1 request a second for 600 s gives each variant 300 measured requests (the run alternates them). A
  # naive response is ~95 kB, about 0.5 s at 1.5 Mbit/s: one request a second leaves the link idle between responses,
  # so none waits behind another's bytes (a phone's link is shared by its connections; the proxy shapes each connection
  # on its own, and at this rate the two agree). --client-profile is checked against what orders-link runs: a system
  # started without the mobile client's link is refused rather than measured.
  for run in 1 2 3; do
    "${lab[@]}" run compression --rate 1 --duration 600s --warmup 10s --profile seed --client-profile mobile
  done
else
  # Three runs each, for the spread of every ratio; each variant gets at least 300 measured requests (an
  # interleaved run splits its rate between the variants; a phased one gives each the whole rate for the whole
  # duration), so a P99 is not just the slowest request. Rates keep the naive variants below saturation.
  for run in 1 2 3; do
    "${lab[@]}" run n-plus-one-db     --rate 4  --duration 150s --warmup 5s --profile "$profile"
    # 50 grain calls a naive request, each across the shaped gateway and silo links: 20 requests/s kept the two cores'
    # load average near 9 and the lab late by 145 ms at P99, so 4 requests/s.
    "${lab[@]}" run n-plus-one-grains --rate 4  --duration 150s --warmup 5s --profile "$profile"
    "${lab[@]}" run serialization     --rate 20 --duration 30s  --warmup 5s --profile "$profile"
    "${lab[@]}" run payment-async     --rate 10 --duration 60s  --warmup 5s --profile "$profile"
    "${lab[@]}" run payment-deferred  --rate 10 --duration 60s  --warmup 5s --profile "$profile"
    "${lab[@]}" run cache-warming     --rate 50 --duration 20s             --profile "$profile"
    "${lab[@]}" run compression       --rate 10 --duration 60s  --warmup 5s --profile "$profile"
    "${lab[@]}" run threadpool-starvation --rate 6 --duration 100s --warmup 5s --profile "$profile"
    "${lab[@]}" run lock-contention   --rate 20 --duration 30s  --warmup 5s --profile "$profile"
    "${lab[@]}" run seed-checkout     --rate 3  --duration 200s --warmup 5s --profile "$profile"
    "${lab[@]}" run sequential-awaits --rate 5  --duration 120s --warmup 5s --profile "$profile"
  done
  "${lab[@]}" run seed-checkout --journey --rate 3 --duration 70s --warmup 5s --profile "$profile"
  # The soak: ten minutes a variant, the live heap before and after each, a heap dump after each.
  "${lab[@]}" run memory-leak       --rate 50 --duration 600s --gcdump   --profile "$profile"
fi
"${lab[@]}" log
