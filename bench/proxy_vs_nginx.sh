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
rounds=${ROUNDS:-3}
tls=${TLS:-0}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
source "$(dirname "$0")/lib.sh"

scheme=http nginx_tls='' gatehouse_tls='' extra_header=''
if [ "$tls" = 1 ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$work/tls.key" -out "$work/tls.crt" \
    2>/dev/null
  scheme=https
  nginx_tls="ssl; ssl_certificate $work/tls.crt; ssl_certificate_key $work/tls.key;
    ssl_protocols TLSv1.2 TLSv1.3"
  gatehouse_tls="  protocol: HTTPS
  certificates: [{certificateFile: $work/tls.crt, keyFile: $work/tls.key}]"
  [ "${HANDSHAKES:-0}" = 1 ] && extra_header='Connection: close'
fi

nginx_pair 18001 18002 "$nginx_tls"
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
"$bin" run --config "$work/gatehouse.yaml" --workers 1 --admin '' --access-log '' &
gh_pid=$!
sleep 1

nginx_worker=$(nginx_proxy_worker)
for _ in $(seq "$rounds"); do
  measure nginx "$scheme://127.0.0.1:18002/" "$nginx_worker" "$extra_header"
  measure gatehouse "$scheme://127.0.0.1:18003/" "$gh_pid" "$extra_header"
done
rss=$(awk '/VmRSS/ {print $2, $3}' /proc/$gh_pid/status)
echo "gatehouse resident memory after load: $rss"
awk -v a="$(mean_rps gatehouse)" -v b="$(mean_rps nginx)" \
  'BEGIN { printf "mean req/s gatehouse %.0f, nginx %.0f; ratio gatehouse/nginx: %.2f\n", a, b, a / b }'
