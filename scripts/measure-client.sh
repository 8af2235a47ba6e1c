#!/usr/bin/env bash
# The lab as a client against Debian's wrk, side by side in one sitting: both hold the same number of requests in flight
# (closed loop) on the bare endpoint (GET /api/diagnostics/bare, with the lab's X-Perf-Variant and X-Perf-Entry headers,
# so the service does the same work for both), in alternating rounds: wrk, then the lab's ceiling (its bare rounds), then
# wrk with two threads. On two cores the client's own CPU is taken from the service, so the lab's requests/s are what it
# leaves the service; the goal (issue 26) is the lab within 15 % of wrk.
#   bash scripts/run.sh -c Release                 (in another terminal, loopback)
#   bash scripts/measure-client.sh [rounds] [in-flight]
# Prints each round and the medians; the lab's rounds are written under /tmp (not results/: they are not the log's ceiling).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-5}"
in_flight="${2:-16}"
url=http://127.0.0.1:5180/api/diagnostics/bare
headers=(-H 'X-Perf-Variant: optimized' -H 'X-Perf-Entry: ceiling')
lab=(dotnet run -c Release --project src/LoadLab --no-build --)
command -v wrk >/dev/null || { echo "wrk is missing: bash scripts/prerequisites.sh installs it" >&2; exit 1; }
dotnet build -c Release src/LoadLab -v q -nologo >/dev/null
scratch=$(mktemp -d /tmp/perfref-client-XXXX)

wrk_rate() { wrk "-t$1" "-c$in_flight" -d10s "${headers[@]}" "$url" | awk '/Requests\/sec/ { print $2 }'; }
# The bare endpoint's requests/s in a ceiling of three rounds (its least), the median of its three bare rounds, read from
# its result file (the console wraps long lines).
lab_rate() {
  rm -rf "$scratch/ceiling"
  "${lab[@]}" ceiling --in-flight "$in_flight" --rounds 3 --step 10s --warmup 3s --results "$scratch" >/dev/null
  awk '/"target":/ { bare = /"bare"/ } bare && /"throughput":/ { gsub(/[",]/, "", $2); print $2 }' "$scratch"/ceiling/*.json |
    sort -n | awk '{ a[NR] = $1 } END { printf "%.0f\n", a[int((NR + 1) / 2)] }'
}

wrk_rate 1 >/dev/null # warm-up: JIT and connections on the service's side
: >"$scratch/rates"
for round in $(seq 1 "$rounds"); do
  one=$(wrk_rate 1); ours=$(lab_rate); two=$(wrk_rate 2)
  echo "round $round: wrk -t1 $one req/s, lab $ours req/s, wrk -t2 $two req/s (load $(cut -d' ' -f1 /proc/loadavg))"
  echo "$one $ours $two" >>"$scratch/rates"
done

sort -n -k1 "$scratch/rates" | awk '{ a[NR] = $1 } END { printf "median wrk -t1: %s\n", a[int((NR + 1) / 2)] }'
sort -n -k2 "$scratch/rates" | awk '{ a[NR] = $2 } END { printf "median lab:     %s\n", a[int((NR + 1) / 2)] }'
sort -n -k3 "$scratch/rates" | awk '{ a[NR] = $3 } END { printf "median wrk -t2: %s\n", a[int((NR + 1) / 2)] }'
awk '{ best = ($1 > $3 ? $1 : $3); printf "round %d: lab / best wrk = %.1f %%\n", NR, 100 * $2 / best }' "$scratch/rates"
rm -rf "$scratch"
