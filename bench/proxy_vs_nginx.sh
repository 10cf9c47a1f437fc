#!/usr/bin/env bash
# Benchmark (not a test): wrk against gatehouse and against nginx as a plain reverse proxy,
# both in front of the same upstream (nginx answering a short body), 64 connections, one
# worker each (the machine has two cores: one for the proxy, one shared by wrk and upstream).
# Prints requests/s, p99 and CPU time per request of each proxy, gatehouse's resident
# memory, and the ratio gatehouse/nginx. Every run is bounded by DURATION (default 10s).
# ROUNDS (default 3) alternates the two proxies that many times, so a drift of the machine
# (a noisy neighbour on a VM, frequency changes) weighs on both; the ratio is of the means.
# TLS=1: both proxies terminate HTTPS (TLS 1.3, an ECDSA P-256 certificate made here with the
# openssl command line) with keep-alive; add HANDSHAKES=1 to close every connection after one
# request, so each request pays a full handshake.
set -euo pipefail
bin=${1:-build/src/app/gatehouse}
duration=${DURATION:-10s}
rounds=${ROUNDS:-3}
conns=${CONNECTIONS:-64}
tls=${TLS:-0}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

scheme=http nginx_tls='' gatehouse_tls='' wrk_args=()
if [ "$tls" = 1 ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$work/tls.key" -out "$work/tls.crt" \
    2>/dev/null
  scheme=https
  nginx_tls="ssl; ssl_certificate $work/tls.crt; ssl_certificate_key $work/tls.key;
    ssl_protocols TLSv1.2 TLSv1.3"
  gatehouse_tls="  protocol: HTTPS
  certificates: [{certificateFile: $work/tls.crt, keyFile: $work/tls.key}]"
  [ "${HANDSHAKES:-0}" = 1 ] && wrk_args=(-H 'Connection: close')
fi

# The upstream and the nginx proxy are separate processes, so neither proxy shares a
# worker with the upstream.
nginx_conf() {  # name body
  cat > "$work/$1.conf" <<CONF
worker_processes 1;
pid $work/$1.pid;
error_log $work/$1.error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/$1-body;
  proxy_temp_path $work/$1-proxy;
  $2
}
CONF
}
nginx_conf upstream 'server { listen 127.0.0.1:18001; keepalive_requests 1000000;
  location / { return 200 "hello from upstream\n"; } }'
nginx_conf proxy "upstream backend { server 127.0.0.1:18001; keepalive 128; }
  server { listen 127.0.0.1:18002 $nginx_tls; keepalive_requests 1000000; location / {
    proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection \"\"; } }"
cat > "$work/gatehouse.yaml" <<CONF
apiVersion: gatehouse.dev/v1alpha1
kind: Listener
metadata: {name: bench}
spec:
  address: 127.0.0.1
  port: 18003
$gatehouse_tls
  defaultActions: [{type: forward, targetGroupName: upstream}]
---
apiVersion: gatehouse.dev/v1alpha1
kind: TargetGroup
metadata: {name: upstream}
spec:
  port: 18001
  targets: [{id: 127.0.0.1}]
CONF
nginx -c "$work/upstream.conf" -g 'daemon off;' &
nginx -c "$work/proxy.conf" -g 'daemon off;' &
"$bin" run --config "$work/gatehouse.yaml" --workers 1 --admin '' --access-log '' &
gh_pid=$!
sleep 1

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # user+system clock ticks

run() {  # name port pid: requests/s, p99, and the proxy's CPU time per request
  local before after rps p99 reqs
  before=$(cpu_ticks "$3")
  wrk -t1 -c"$conns" -d"$duration" --latency "${wrk_args[@]}" "$scheme://127.0.0.1:$2/" \
    > "$work/$1.txt"
  after=$(cpu_ticks "$3")
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/$1.txt")
  p99=$(awk '$1=="99%" {print $2}' "$work/$1.txt")
  reqs=$(awk '/requests in/ {print $1}' "$work/$1.txt")
  echo "$1: $rps req/s, p99 $p99, $(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" \
    -v n="$reqs" 'BEGIN { printf "%.1f", t * 1e6 / hz / n }') us CPU per request"
  echo "$rps" >> "$work/$1.rps"
}
nginx_worker=$(pgrep -P "$(cat "$work/proxy.pid")")
for _ in $(seq "$rounds"); do
  run nginx 18002 "$nginx_worker"
  run gatehouse 18003 "$gh_pid"
done
rss=$(awk '/VmRSS/ {print $2, $3}' /proc/$gh_pid/status)
echo "gatehouse resident memory after load: $rss"
mean() { awk '{ s += $1 } END { print s / NR }' "$work/$1.rps"; }
awk -v a="$(mean gatehouse)" -v b="$(mean nginx)" \
  'BEGIN { printf "mean req/s gatehouse %.0f, nginx %.0f; ratio gatehouse/nginx: %.2f\n", a, b, a / b }'
