#!/usr/bin/env bash
# Benchmark (not a test): requests/s through the mesh with a valid RS256 token in
# x-amzn-oidc-accesstoken and a RequestAuthentication checking it, against the same requests
# with no RequestAuthentication, and with the reference article's two AuthorizationPolicies on
# top (request principal plus groups claim). All in front of one nginx upstream; wrk, 64
# connections, one gatehouse worker. Prints the rates and ratios (the goal is >= 0.95).
set -euo pipefail
bin=${1:-build/src/app/gatehouse}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
here=$(cd "$(dirname "$0")" && pwd)

source "$here/lib.sh"
nginx_pair 18101

# A key pair and a token from npm jose (tests/node), the public key inline in the rule.
node --input-type=module - "$here/../tests/node/package.json" "$work" <<'JS'
import { createRequire } from 'node:module';
import fs from 'node:fs';
const [pkg, dir] = process.argv.slice(2);
const jose = await import(createRequire(pkg).resolve('jose'));
const { privateKey, publicKey } = await jose.generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await jose.exportJWK(publicKey)), kid: 'bench', alg: 'RS256' };
fs.writeFileSync(`${dir}/jwks.json`, JSON.stringify({ keys: [jwk] }));
fs.writeFileSync(`${dir}/token`, await new jose.SignJWT({ groups: ['httpbin'] })
  .setProtectedHeader({ alg: 'RS256', kid: 'bench' }).setIssuer('https://idp.example')
  .setSubject('alice').setAudience('api://default').setExpirationTime('2h').sign(privateKey));
JS

mesh() {  # port
  mesh_yaml 18101
  cat <<CONF
---
apiVersion: gatehouse.dev/v1alpha1
kind: Listener
metadata: {name: bench}
spec:
  address: 127.0.0.1
  port: $1
  trustOidcHeadersFrom: [127.0.0.1]  # wrk stands in for an ALB that logged the user in
  defaultActions: [{type: forward, targetGroupName: mesh}]
---
apiVersion: gatehouse.dev/v1alpha1
kind: TargetGroup
metadata: {name: mesh}
spec: {targetType: mesh, port: 80}
CONF
}
mesh 18102 > "$work/plain.yaml"
{ mesh 18103; cat <<CONF
---
apiVersion: security.istio.io/v1beta1
kind: RequestAuthentication
metadata: {name: jwt, namespace: foo}
spec:
  selector: {matchLabels: {app: httpbin}}
  jwtRules:
  - issuer: https://idp.example
    audiences: [api://default]
    jwks: '$(cat "$work/jwks.json")'
    fromHeaders: [{name: x-amzn-oidc-accesstoken}]
    forwardOriginalToken: true
CONF
} > "$work/authn.yaml"
{ sed 's/port: 18103/port: 18104/' "$work/authn.yaml"; cat <<CONF
---
apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: {name: health, namespace: foo}
spec:
  selector: {matchLabels: {app: httpbin}}
  rules: [{to: [{operation: {paths: [/status/200]}}]}]
---
apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: {name: group, namespace: foo}
spec:
  selector: {matchLabels: {app: httpbin}}
  rules:
  - from: [{source: {requestPrincipals: ["https://idp.example/*"]}}]
    when: [{key: "request.auth.claims[groups]", values: [httpbin]}]
CONF
} > "$work/authz.yaml"

"$bin" run --config "$work/plain.yaml" --workers 1 --admin '' --access-log '' &
"$bin" run --config "$work/authn.yaml" --workers 1 --admin '' --access-log '' &
"$bin" run --config "$work/authz.yaml" --workers 1 --admin '' --access-log '' &
sleep 1
token=$(cat "$work/token")
header="x-amzn-oidc-accesstoken: $token"
measure plain http://127.0.0.1:18102/ "" "$header"
measure authn http://127.0.0.1:18103/ "" "$header"
measure authz http://127.0.0.1:18104/ "" "$header"
for name in authn authz; do
  awk -v a="$(mean_rps "$name")" -v b="$(mean_rps plain)" -v n="$name" \
    'BEGIN { printf "ratio %s/plain: %.2f\n", n, a / b }'
done
