#!/usr/bin/env bash
# `make demo`: the built-in httpbin on 127.0.0.1:8000 and gatehouse serving examples/seed/
# on 127.0.0.1:8080 (admin on 127.0.0.1:9901). Ctrl-C stops both.
set -euo pipefail
bin=${1:-build/src/app/gatehouse}
cd "$(dirname "$0")/.."
"$bin" validate --config examples/seed
"$bin" httpbin --listen 127.0.0.1:8000 &
httpbin_pid=$!
trap 'kill $httpbin_pid 2>/dev/null || true' EXIT
cat <<'TXT'

gatehouse demo
  gateway   http://127.0.0.1:8080   (Listener -> TargetGroup mesh -> Gateway/VirtualService -> httpbin)
  httpbin   http://127.0.0.1:8000   (the built-in httpbin, the upstream)
  admin     http://127.0.0.1:9901   (/ready /config_dump /stats/prometheus)

Try:
  curl -i http://127.0.0.1:8080/headers
  curl -i http://127.0.0.1:8080/status/418
  curl -i 'http://127.0.0.1:8080/status/200/../anything?a=1'   # normalized to /anything
  curl -s http://127.0.0.1:9901/stats/prometheus | grep gatehouse_requests_total
Press Ctrl-C to stop.

TXT
"$bin" run --config examples/seed
