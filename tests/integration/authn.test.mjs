// RequestAuthentication through the gateway, with the JWKS served by real nginx and tokens
// signed by npm jose: the reference setup's token header, Envoy's 401/403 answers, key
// rotation picked up through a refetch, and a key server that is down or serves garbage.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { freePort, request, waitForHttp } from './lib/harness.mjs';
import { meshConfig, startGateway, startHttpbin, writeConfig } from './lib/gateway.mjs';
import { startNginx, writePublicFile } from './lib/nginx.mjs';
import { importTestPackage } from './lib/npm.mjs';

const jose = await importTestPackage('jose');
const ISSUER = 'https://idp.example/oauth2/default';
const AUDIENCE = 'api://default';

let httpbin, nginx, gateway, port, jwksDir, jwksPort;
const keys = {};

async function newKey(kid) {
  const { privateKey, publicKey } = await jose.generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await jose.exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  keys[kid] = { privateKey, jwk };
}

function publishKeys(...kids) {
  writePublicFile(path.join(jwksDir, 'jwks.json'), JSON.stringify({ keys: kids.map((k) => keys[k].jwk) }));
}

async function token({ kid = 'k1', claims = {}, exp = '5m', aud = AUDIENCE, signer = kid } = {}) {
  return new jose.SignJWT({ groups: ['httpbin'], ...claims })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(ISSUER).setSubject('alice').setAudience(aud)
    .setIssuedAt().setExpirationTime(exp)
    .sign(keys[signer].privateKey);
}

function authnConfig(jwksUri) {
  return `
---
apiVersion: security.istio.io/v1beta1
kind: RequestAuthentication
metadata: {name: jwt, namespace: foo}
spec:
  selector: {matchLabels: {app: httpbin}}
  jwtRules:
  - issuer: ${ISSUER}
    audiences: [${AUDIENCE}]
    jwksUri: ${jwksUri}
    fromHeaders: [{name: x-amzn-oidc-accesstoken}]
    forwardOriginalToken: true
    outputClaimToHeaders: [{header: x-jwt-sub, claim: sub}]
`;
}

async function gatewayFor(jwksUri) {
  const listenPort = await freePort();
  const configDir = writeConfig(meshConfig({ listenPort, httpbinPort: httpbin.port }) + authnConfig(jwksUri));
  const gw = await startGateway({ configDir, listenPort });
  return { ...gw, port: listenPort };
}

const get = (headers = {}, p = '/headers') => request({ port, path: p, headers });

before(async () => {
  httpbin = await startHttpbin();
  await newKey('k1');
  await newKey('k2');
  jwksPort = await freePort();
  ({ dir: jwksDir, process: nginx } = startNginx((dir) => `
  server {
    listen 127.0.0.1:${jwksPort};
    location = /garbage { return 200 "this is not a key set"; }
    location / { root ${dir}; }
  }`));
  publishKeys('k1');
  await waitForHttp(`http://127.0.0.1:${jwksPort}/jwks.json`, { process: nginx });
  gateway = await gatewayFor(`http://127.0.0.1:${jwksPort}/jwks.json`);
  port = gateway.port;
});

after(async () => {
  await gateway?.process.stop();
  await nginx?.stop();
  await httpbin?.process.stop();
});

// The first requests may come before the first key fetch finished: wait for it, bounded.
async function untilStatus(make, status, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  let res;
  do {
    res = await make();
    if (res.status === status) return res;
    await new Promise((r) => setTimeout(r, 200));
  } while (Date.now() < deadline);
  return res;
}

test('a valid token in x-amzn-oidc-accesstoken passes, is forwarded, and its claim is written', async () => {
  const t = await token();
  const res = await untilStatus(() => get({ 'x-amzn-oidc-accesstoken': t }), 200);
  assert.equal(res.status, 200, res.text);
  const seen = JSON.parse(res.text).headers;
  assert.equal(seen['X-Amzn-Oidc-Accesstoken'], t);
  assert.equal(seen['X-Jwt-Sub'], 'alice');
});

test('no token passes unauthenticated, and a forged claim header is stripped', async () => {
  const res = await get({ 'x-jwt-sub': 'mallory' });
  assert.equal(res.status, 200, res.text);
  assert.equal(JSON.parse(res.text).headers['X-Jwt-Sub'], undefined);
});

test('an expired token gets 401 Jwt is expired with www-authenticate', async () => {
  const t = await token({ exp: Math.floor(Date.now() / 1000) - 600 });
  const res = await get({ 'x-amzn-oidc-accesstoken': t });
  assert.equal(res.status, 401);
  assert.equal(res.text, 'Jwt is expired');
  assert.match(res.headers['www-authenticate'], /^Bearer realm="http:\/\/[^"]+\/headers", error="invalid_token"$/);
});

test('a token expired less than 60 s ago still passes (clock skew)', async () => {
  const t = await token({ exp: Math.floor(Date.now() / 1000) - 20 });
  assert.equal((await get({ 'x-amzn-oidc-accesstoken': t })).status, 200);
});

test('a wrong audience gets 403 Audiences in Jwt are not allowed', async () => {
  const res = await get({ 'x-amzn-oidc-accesstoken': await token({ aud: 'api://other' }) });
  assert.equal(res.status, 403);
  assert.equal(res.text, 'Audiences in Jwt are not allowed');
});

test('a tampered signature gets 401 Jwt verification fails', async () => {
  const t = await token();
  const tampered = t.slice(0, -4) + (t.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  const res = await get({ 'x-amzn-oidc-accesstoken': tampered });
  assert.equal(res.status, 401);
  assert.equal(res.text, 'Jwt verification fails');
});

test('garbage in the token header gets 401 with the format message', async () => {
  const res = await get({ 'x-amzn-oidc-accesstoken': 'not-a-jwt' });
  assert.equal(res.status, 401);
  assert.equal(res.text, 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections');
});

test('a token in a location the rule does not list is ignored', async () => {
  const res = await get({ authorization: `Bearer ${await token({ exp: 1 })}` });
  assert.equal(res.status, 200, res.text);
});

test('a rotated key is picked up: an unknown kid triggers a refetch', async () => {
  publishKeys('k1', 'k2');
  const t = await token({ kid: 'k2' });
  const res = await untilStatus(() => get({ 'x-amzn-oidc-accesstoken': t }), 200, 20000);
  assert.equal(res.status, 200, res.text);
});

test('a key server that is down: tokens get 401 Jwks remote fetch is failed, others pass', async () => {
  const closed = await freePort();
  const gw = await gatewayFor(`http://127.0.0.1:${closed}/jwks.json`);
  try {
    const withToken = await request({ port: gw.port, path: '/headers', headers: { 'x-amzn-oidc-accesstoken': await token() } });
    assert.equal(withToken.status, 401);
    assert.equal(withToken.text, 'Jwks remote fetch is failed');
    assert.equal((await request({ port: gw.port, path: '/headers' })).status, 200);
  } finally {
    await gw.process.stop();
  }
});

test('a key server serving garbage is treated as no keys, and the gateway keeps serving', async () => {
  const gw = await gatewayFor(`http://127.0.0.1:${jwksPort}/garbage`);
  try {
    const res = await request({ port: gw.port, path: '/headers', headers: { 'x-amzn-oidc-accesstoken': await token() } });
    assert.equal(res.status, 401);
    assert.equal(res.text, 'Jwks remote fetch is failed');
    assert.equal((await request({ port: gw.port, path: '/status/200' })).status, 200);
  } finally {
    await gw.process.stop();
  }
});

test('verifications, cache hits and key fetches show in the metrics', async () => {
  const stats = (await request({ port: gateway.adminPort, path: '/stats/prometheus' })).text;
  assert.match(stats, /gatehouse_jwt_verifications_total\{result="Ok"\} [1-9]/);
  assert.match(stats, /gatehouse_jwt_verifications_total\{result="JwtExpired"\} [1-9]/);
  assert.match(stats, /gatehouse_jwt_token_cache_total\{result="hit"\} [0-9]/);
  assert.match(stats, /gatehouse_jwks_fetches_total\{source="[^"]+",result="ok"\} [1-9]/);
});

test('a key server that turns bad later: the last good keys are kept and the metrics say why', async () => {
  // A 2 MiB document where the key set was; a token with an unknown kid asks for a refetch.
  writePublicFile(path.join(jwksDir, 'jwks.json'), 'x'.repeat(2 * 1024 * 1024));
  const unknown = await get({ 'x-amzn-oidc-accesstoken': await token({ kid: 'k3', signer: 'k1' }) });
  assert.equal(unknown.status, 401);
  assert.equal(unknown.text, "Jwks doesn't have key to match kid or alg from Jwt");
  const deadline = Date.now() + 20000;
  let stats = '';
  while (Date.now() < deadline) {
    stats = (await request({ port: gateway.adminPort, path: '/stats/prometheus' })).text;
    if (/gatehouse_jwks_fetches_total\{[^}]*result="too_large"\} [1-9]/.test(stats)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.match(stats, /result="too_large"\} [1-9]/);
  assert.match(stats, /gatehouse_jwks_keys\{source="[^"]+"\} 2/);
  const res = await get({ 'x-amzn-oidc-accesstoken': await token({ kid: 'k2' }) });
  assert.equal(res.status, 200, res.text);
});
