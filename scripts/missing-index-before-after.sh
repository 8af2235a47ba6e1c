#!/usr/bin/env bash
# The missing-index entry's one real before/after: the index dropped by reverting its migration, the
# summary measured (both variants then run the sequential scan: the naive variant's SET LOCAL is an
# honest stand-in for a missing index if the two agree), the migration applied again (CREATE INDEX
# CONCURRENTLY on the live table), and the summary measured as usual. Against a running system on
# loopback with the default data set (scripts/measure-all.sh loopback loads it), given the orders
# database's connection string (the dashboard shows it in the ordersdb resource's details):
#   bash scripts/missing-index-before-after.sh "Host=127.0.0.1;Port=…;Username=postgres;Password=…;Database=ordersdb"
set -euo pipefail
cd "$(dirname "$0")/.."
connection="${1:?the orders database connection string}"
migrator=(dotnet run -c Release --project src/DatabaseMigrator --)
lab=(dotnet run -c Release --project src/LoadLab --)

"${migrator[@]}" migrate --to OrderIdsHiLo --connection "$connection"
trap '"${migrator[@]}" migrate --connection "$connection"' EXIT   # the index comes back whatever happens
"${lab[@]}" run missing-index --profile loopback --condition 'index dropped (its migration reverted)'
"${migrator[@]}" migrate --connection "$connection"
trap - EXIT
"${lab[@]}" run missing-index --profile loopback
"${lab[@]}" log
