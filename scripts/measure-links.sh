#!/usr/bin/env bash
# The network links against their profile (issue 26: every link's probed P99 within 2x its profile), and what the
# latency proxy itself costs. Two parts, three times each:
#   bash scripts/measure-links.sh proxy        the proxy alone, no system needed (about 4 minutes a time): the lab's own
#                                              traffic through four seed links in one process and in one process each, in
#                                              alternating rounds, every link probed; CPU per forwarded MB; results/proxy/
#   bash scripts/measure-links.sh system       against a running system under the seed profile:
#                                                env 'Parameters__network-profile=seed' bash scripts/run.sh -c Release
#                                              the seed checkout at 3 requests/s and the optimized checkout's 50 ms capacity
#                                              search (its climb passes 20 requests/s), every link probed beside the load
# then rebuilds the log. Figures taken while the machine does other work say so (its load average is in each file).
set -euo pipefail
cd "$(dirname "$0")/.."
part="${1:-proxy}"
lab=(dotnet run -c Release --project src/LoadLab --)

case "$part" in
  proxy)
    for run in 1 2 3; do
      "${lab[@]}" proxy-cost --profile seed --links 4 --rate 100 --rounds 3 --step 30s
    done
    ;;
  system)
    for run in 1 2 3; do
      "${lab[@]}" run seed-checkout --rate 3 --profile seed
      "${lab[@]}" capacity seed-checkout --slo 50ms --profile seed
    done
    ;;
  *)
    echo "usage: bash scripts/measure-links.sh proxy|system" >&2
    exit 2
    ;;
esac
"${lab[@]}" log
