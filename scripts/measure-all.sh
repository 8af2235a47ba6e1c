#!/usr/bin/env bash
# Runs every lab scenario whose figures the optimization log quotes, against a running system, then
# rebuilds the log. `dotnet run --project src/LoadLab -- list` prints what each pass runs and how long its
# loads take. Start the system first with the profile you name here, e.g.
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
# The compression entry where bandwidth decides: a mobile client (the mobile profile on the client's own link,
# orders-link) of the seed datacenter (every link inside the system keeps the seed profile):
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

# Each scenario runs with its own load (rate, duration, warm-up: `dotnet run --project src/LoadLab -- list` shows them), chosen
# so that the naive variant stays below saturation on 2 cores and each variant gets at least 300 measured requests.
scenarios() { "${lab[@]}" list --scenarios --measured-on "$1"; }

if [ "$profile" = loopback ]; then
  load_default_data_set
  if [ "$pooler" = pgbouncer ]; then
    for run in 1 2 3; do
      "${lab[@]}" run connection-pooling --profile loopback --condition 'through PgBouncer (transaction pooling)'
    done
  else
    # Three runs each: the log shows the newest and the spread of the ratio across them.
    for run in 1 2 3; do
      for scenario in $(scenarios database); do
        "${lab[@]}" run "$scenario" --profile loopback
      done
    done
  fi
elif [ "$profile" = mobile ]; then
  # The statement the scenario reads belongs to customer 101, whose orders nothing else the lab touches (its checkouts
  # and drills order for customers 1..100); the small and default data sets have that customer: load the default one
  # (seconds when it is there already). On the tiny data set the scenario falls back to customer 100 and says so.
  load_default_data_set
  # Three runs, with the scenario's load for a mobile client's link. --client-profile is checked against what orders-link
  # runs: a system started without the mobile client's link is refused rather than measured.
  for run in 1 2 3; do
    "${lab[@]}" run compression --profile seed --client-profile mobile
  done
else
  # The statement scenarios (serialization, compression) read customers past the lab's own, which the default data set
  # has (the tiny one does not, and they refuse to run on it): load it first (seconds when it is there already).
  load_default_data_set
  # Three runs each, for the spread of every ratio.
  for run in 1 2 3; do
    for scenario in $(scenarios network); do
      "${lab[@]}" run "$scenario" --profile "$profile"
    done
  done
  "${lab[@]}" run seed-checkout --journey --profile "$profile"
  # The soak: its own long load a variant, the live heap before and after each, a heap dump after each.
  for scenario in $(scenarios soak); do
    "${lab[@]}" run "$scenario" --gcdump --profile "$profile"
  done
fi
"${lab[@]}" log
