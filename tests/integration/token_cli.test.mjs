// `gatehouse token verify` against tokens npm jose signs: the key set from a file, from a URL,
// or from a configuration's RequestAuthentication, and the gateway's status and message for
// each failure, with exit codes 0 (verifies), 1 (the gateway would reject it), 2 (usage).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { gatehouseBin, writeConfig } from './lib/gateway.mjs';
import { importTestPackage } from './lib/npm.mjs';

const jose = await importTestPackage('jose');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-token-'));
const jwksFile = path.join(dir, 'jwks.json');
let privateKey, jwks, server, jwksUrl;

// spawnSync would block the event loop, and with it the key server this test runs.
function gatehouse(...args) {
  return new Promise((resolve) => {
    const child = spawn(gatehouseBin, args);
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, out }); });
  });
}

const sign = (claims = {}, { exp = '5m', kid = 'e1' } = {}) =>
  new jose.SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid })
    .setIssuer('https://idp.example').setSubject('bob').setAudience('api://default')
    .setExpirationTime(exp).sign(privateKey);

before(async () => {
  const pair = await jose.generateKeyPair('ES256', { extractable: true });
  privateKey = pair.privateKey;
  jwks = JSON.stringify({ keys: [{ ...(await jose.exportJWK(pair.publicKey)), kid: 'e1' }] });
  fs.writeFileSync(jwksFile, jwks);
  server = http.createServer((req, res) => res.end(jwks));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  jwksUrl = `http://127.0.0.1:${server.address().port}/keys`;
});

after(() => server?.close());

test('a good token verifies against a JWKS file and prints its principal', async () => {
  const r = await gatehouse('token', 'verify', await sign(), '--jwks', jwksFile);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /principal: https:\/\/idp\.example\/bob/);
});

test('each failure gives the status and Envoy message the gateway would send', async () => {
  const cases = [
    [[await sign({}, { exp: 1000 }), '--jwks', jwksFile], /JwtExpired: Jwt is expired \(the gateway answers 401\)/],
    [[await sign(), '--jwks', jwksFile, '--audience', 'other'], /JwtAudienceNotAllowed: Audiences in Jwt are not allowed \(the gateway answers 403\)/],
    [[await sign(), '--jwks', jwksFile, '--issuer', 'https://else'], /JwtUnknownIssuer: Jwt issuer is not configured/],
    [[await sign({}, { kid: 'nope' }), '--jwks', jwksFile], /JwksKidAlgMismatch: Jwks doesn't have key to match kid or alg from Jwt/],
    [['a.b', '--jwks', jwksFile], /JwtBadFormat: Jwt is not in the form of Header.Payload.Signature/],
  ];
  for (const [args, expected] of cases) {
    const r = await gatehouse('token', 'verify', ...args);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, expected);
  }
});

test('the key set can come from a URL', async () => {
  const r = await gatehouse('token', 'verify', await sign(), '--jwks', jwksUrl);
  assert.equal(r.code, 0, r.out);
});

test('an unreachable key set gives the gateway answer for missing keys', async () => {
  const r = await gatehouse('token', 'verify', await sign(), '--jwks', 'http://127.0.0.1:1/keys');
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /JwksFetchFail: Jwks remote fetch is failed/);
});

test('the rules can come from a configuration, audiences included', async () => {
  const config = writeConfig(`
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: jwt, namespace: foo}
spec:
  jwtRules:
  - issuer: https://idp.example
    audiences: [api://default]
    jwksUri: ${jwksUrl}
`);
  assert.equal((await gatehouse('token', 'verify', await sign(), '--config', config)).code, 0);
  const wrong = await new jose.SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'e1' })
    .setIssuer('https://idp.example').setSubject('bob').setAudience('api://other')
    .setExpirationTime('5m').sign(privateKey);
  const r = await gatehouse('token', 'verify', wrong, '--config', config);
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /JwtAudienceNotAllowed/);
});

test('usage errors exit 2', async () => {
  assert.equal((await gatehouse('token', 'verify', 'x')).code, 2);
  assert.equal((await gatehouse('token', 'verify', 'x', '--jwks', path.join(dir, 'missing.json'))).code, 2);
  const empty = writeConfig('');
  assert.equal((await gatehouse('token', 'verify', 'x', '--config', empty)).code, 2);
});
