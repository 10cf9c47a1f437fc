#!/usr/bin/env bash
# `make demo`: `gatehouse demo` on examples/seed, its state (copies of the YAML, the
# self-signed certificate, session keys, client secret) kept in build/demo. It prints what to
# open; Ctrl-C stops it. Extra arguments go to `gatehouse demo` (e.g. --https-port 9443).
set -euo pipefail
bin=${1:-build/src/app/gatehouse}
shift || true
cd "$(dirname "$0")/.."
exec "$bin" demo --seed examples/seed --state-dir build/demo "$@"
