#!/usr/bin/env bash
# Benchmark (not a test): requests/s of a logged-in browser's request through the whole chain,
# edge session cookie (authenticate-oidc) -> mesh route -> RequestAuthentication (the access
# token in x-amzn-oidc-accesstoken) -> the reference article's AuthorizationPolicies -> proxy,
# against nginx as a plain reverse proxy, in the same run. The session comes from a real login
# at the built-in IdP (`gatehouse idp`), walked by bench/edge_login.mjs. One worker each, wrk
# with 64 connections on plain HTTP (TLS would measure OpenSSL, not the chain). Prints both
# rates and the ratio gatehouse/nginx (the goal is >= 0.9). Both get the same request, session
# cookie included.
set -euo pipefail
bin=${1:-build/src/app/gatehouse}
duration=${DURATION:-10s}
conns=${CONNECTIONS:-64}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
here=$(cd "$(dirname "$0")" && pwd)
issuer=http://127.0.0.1:18200/oauth2/default

nginx_conf() {  # name body
  cat > "$work/$1.conf" <<CONF
worker_processes 1;
pid $work/$1.pid;
error_log $work/$1.error.log;
events { worker_connections 4096; }
http { access_log off; client_body_temp_path $work/body-$1; proxy_temp_path $work/proxy-$1;
  $2 }
CONF
  nginx -c "$work/$1.conf" -g 'daemon off;' &
}
nginx_conf upstream 'server { listen 127.0.0.1:18101; keepalive_requests 1000000;
  location / { return 200 "hello from upstream\n"; } }'
nginx_conf proxy 'upstream backend { server 127.0.0.1:18101; keepalive 128; }
  server { listen 127.0.0.1:18102; keepalive_requests 1000000; location / {
    proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; } }'

cat > "$work/idp.yaml" <<CONF
apiVersion: gatehouse.dev/v1alpha1
kind: IdentityProvider
metadata: {name: bench}
spec:
  issuer: $issuer
  listen: 127.0.0.1:18200
  groups: [httpbin]
  users: [{username: alice, password: alice, groups: [httpbin]}]
  clients:
  - clientId: gatehouse
    clientSecret: bench-secret
    redirectUris: [http://127.0.0.1:18103/oauth2/idpresponse]
CONF
openssl rand -base64 32 > "$work/session.keys"
echo bench-secret > "$work/client.secret"
cat > "$work/gateway.yaml" <<CONF
apiVersion: networking.istio.io/v1beta1
kind: Gateway
metadata: {name: gw, namespace: foo}
spec: {servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]}
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {name: vs, namespace: foo}
spec:
  hosts: ["*"]
  gateways: [gw]
  http: [{route: [{destination: {host: app.foo.svc.cluster.local, port: {number: 80}}}]}]
---
apiVersion: networking.istio.io/v1beta1
kind: ServiceEntry
metadata: {name: app, namespace: foo}
spec:
  hosts: [app.foo.svc.cluster.local]
  ports: [{number: 80, name: http, protocol: HTTP, targetPort: 18101}]
  resolution: STATIC
  endpoints: [{address: 127.0.0.1, ports: {http: 18101}, labels: {app: httpbin}}]
---
apiVersion: security.istio.io/v1beta1
kind: RequestAuthentication
metadata: {name: jwt, namespace: foo}
spec:
  selector: {matchLabels: {app: httpbin}}
  jwtRules:
  - issuer: $issuer
    jwksUri: $issuer/v1/keys
    fromHeaders: [{name: x-amzn-oidc-accesstoken}]
    forwardOriginalToken: true
---
apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: {name: group, namespace: foo}
spec:
  selector: {matchLabels: {app: httpbin}}
  rules:
  - from: [{source: {requestPrincipals: ["*"]}}]
    when: [{key: "request.auth.claims[groups]", values: [httpbin]}]
---
apiVersion: gatehouse.dev/v1alpha1
kind: Listener
metadata: {name: bench}
spec:
  address: 127.0.0.1
  port: 18103
  defaultActions:
  - type: authenticate-oidc
    order: 1
    authenticateOidcConfig:
      issuer: $issuer
      authorizationEndpoint: $issuer/v1/authorize
      tokenEndpoint: $issuer/v1/token
      userInfoEndpoint: $issuer/v1/userinfo
      clientId: gatehouse
      clientSecretFile: client.secret
      sessionKeysFile: session.keys
      allowInsecureHttp: true
  - {type: forward, order: 2, targetGroupName: mesh}
---
apiVersion: gatehouse.dev/v1alpha1
kind: TargetGroup
metadata: {name: mesh}
spec: {targetType: mesh, port: 80, healthCheckEnabled: false}
CONF

"$bin" idp --config "$work/idp.yaml" 2> "$work/idp.log" &
for _ in $(seq 50); do curl -sf "$issuer/.well-known/openid-configuration" > /dev/null && break; sleep 0.1; done
"$bin" run --config "$work/gateway.yaml" --workers 1 --admin 127.0.0.1:18109 --access-log '' \
  2> "$work/gateway.log" &
gateway_pid=$!
for _ in $(seq 50); do curl -sf http://127.0.0.1:18109/ready > /dev/null && break; sleep 0.1; done
cookie=$(node "$here/edge_login.mjs" http://127.0.0.1:18103/ alice alice)
# The first request fetches nothing more: the issuer's keys came with the login.
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" http://127.0.0.1:18103/)
[ "$status" = 200 ] || { echo "the session does not pass the chain: HTTP $status" >&2; exit 1; }

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
run() {  # name url pid [header]
  local before after rps
  before=$(cpu_ticks "$3")
  wrk -t1 -c"$conns" -d"$duration" --latency ${4:+-H "$4"} "$2" > "$work/$1.txt"
  after=$(cpu_ticks "$3")
  if grep -q "Non-2xx" "$work/$1.txt"; then
    echo "$1: some answers were not 2xx" >&2
    exit 1
  fi
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/$1.txt")
  awk -v n="$1" -v r="$rps" -v p="$(awk '$1=="99%" {print $2}' "$work/$1.txt")" \
    -v c="$((after - before))" -v t="$(awk '/requests in/ {print $1}' "$work/$1.txt")" \
    'BEGIN { printf "%-9s %9.0f req/s  p99 %-8s cpu %.1f us/req\n", n, r, p, c * 10000 / t }'
  echo "$rps" > "$work/$1.rps"
}
# The same request to both: nginx passes the session cookie upstream as it is.
run nginx http://127.0.0.1:18102/ "$(pgrep -P "$(cat "$work/proxy.pid")")" "Cookie: $cookie"
run gatehouse http://127.0.0.1:18103/ "$gateway_pid" "Cookie: $cookie"
awk -v a="$(cat "$work/gatehouse.rps")" -v b="$(cat "$work/nginx.rps")" \
  'BEGIN { printf "ratio gatehouse (session+jwt+policy)/nginx (plain): %.2f\n", a / b }'
