#!/usr/bin/env bash
# Starts the whole system: installs missing prerequisites, then runs the Aspire AppHost, which
# starts PostgreSQL, Redis, two Orleans silos, PaymentsGateway and OrdersService, and prints the
# dashboard's login URL (with its token). Ctrl+C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/prerequisites.sh
exec dotnet run --project src/AppHost --launch-profile http "$@"
