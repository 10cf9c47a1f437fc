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
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
here=$(cd "$(dirname "$0")" && pwd)
issuer=http://127.0.0.1:18200/oauth2/default

source "$here/lib.sh"
nginx_pair 18101 18102

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
{ mesh_yaml 18101; cat <<CONF
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
} > "$work/gateway.yaml"

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

# The same request to both: nginx passes the session cookie upstream as it is.
measure nginx http://127.0.0.1:18102/ "$(nginx_proxy_worker)" "Cookie: $cookie"
measure gatehouse http://127.0.0.1:18103/ "$gateway_pid" "Cookie: $cookie"
awk -v a="$(mean_rps gatehouse)" -v b="$(mean_rps nginx)" \
  'BEGIN { printf "ratio gatehouse (session+jwt+policy)/nginx (plain): %.2f\n", a / b }'
