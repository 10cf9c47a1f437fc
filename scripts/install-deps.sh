#!/usr/bin/env bash
# Installs everything gatehouse needs to build, test and run its demo on Debian 12.
# Idempotent: packages already present are skipped, so a second run costs a dpkg query.
set -euo pipefail

debs=(
  build-essential cmake ninja-build pkg-config clang-format clang libclang-rt-14-dev
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libyaml-cpp-dev libre2-dev libcli11-dev libfmt-dev libspdlog-dev
  libgtest-dev libgmock-dev libbenchmark-dev libgoogle-perftools-dev
  nginx-light python3 python3-httpbin python3-gunicorn wrk curl ca-certificates
  nodejs npm chromium
)

missing=()
for p in "${debs[@]}"; do
  # A Node.js that came with the machine (not from Debian) is as good as Debian's.
  case "$p" in nodejs|npm) command -v "$p" >/dev/null && continue ;; esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
fi

# The npm packages the tests run against (tests/node/package-lock.json), again only when the
# installed tree is missing or older than the lock file.
node_tests="$(cd "$(dirname "$0")/.." && pwd)/tests/node"
if [ ! -d "$node_tests/node_modules" ] || [ "$node_tests/package-lock.json" -nt "$node_tests/node_modules" ]; then
  echo "install-deps: npm ci in tests/node"
  npm ci --prefix "$node_tests" --no-audit --no-fund
  touch "$node_tests/node_modules"
fi
