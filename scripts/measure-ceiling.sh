#!/usr/bin/env bash
# The ceiling (the bare endpoint against the optimized cached read, closed loop, alternating rounds) against a running
# system, then rebuilds the log. Measure it twice, on a quiet machine, for the cost of telemetry:
#   1. bash scripts/run.sh -c Release                                      (in another terminal: telemetry on, the default)
#      bash scripts/measure-ceiling.sh
#   2. Ctrl+C the system, then start it with its OpenTelemetry SDK off in every project (OTEL_SDK_DISABLED=true):
#      env 'Parameters__telemetry=off' bash scripts/run.sh -c Release     (in another terminal)
#      bash scripts/measure-ceiling.sh
#   3. And with traces sampled (one trace in ten kept, metrics and logs whole; what a production deployment runs):
#      env 'Parameters__telemetry=sampled' bash scripts/run.sh -c Release  (in another terminal)
#      bash scripts/measure-ceiling.sh
# The lab reads from the services' processes whether telemetry was on; the log's section "Ceiling and the cost of
# telemetry" compares the newest run of each with the run with it off. Under a network profile other than loopback, start the system with
# Parameters__network-profile=<profile> as well and name it here: bash scripts/measure-ceiling.sh <profile>.
# Each measurement takes about 2 minutes (5 rounds of 10 s per target after 5 s of warm-up per target).
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-loopback}"
lab=(dotnet run -c Release --project src/LoadLab --)

"${lab[@]}" ceiling --in-flight 16 --rounds 5 --step 10s --warmup 5s --profile "$profile"
"${lab[@]}" log
