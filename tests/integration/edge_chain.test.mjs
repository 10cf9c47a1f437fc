// The reference article's whole chain with a real IdP: an HTTP listener redirecting to HTTPS,
// an HTTPS listener with the open /status/200 rule and a default authenticate-oidc (npm
// oidc-provider issuing JWT access tokens with groups) then forward to the Istio ingress
// gateway (a mesh target group), the Gateway and VirtualService to httpbin.foo, and httpbin's
// RequestAuthentication (the access token from x-amzn-oidc-accesstoken) and AuthorizationPolicy
// (groups must contain httpbin; /status/200 open to all). Logins are driven by a cookie-jar HTTP
// client, and once by Chromium for a screenshot.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { browse, CookieJar, send } from './lib/cookie_client.mjs';
import { articleMesh, gatehouseBin, loginFolder, startHttpbin } from './lib/gateway.mjs';
import { freePort, request, startProcess, waitForHttp } from './lib/harness.mjs';
import { startJwtAccessTokenIdp } from './lib/jwt_access_token_idp.mjs';
import { importTestPackage } from './lib/npm.mjs';

const CLIENT_ID = 'gatehouse-chain';
const CLIENT_SECRET = 'chain-secret-for-tests';
const AUDIENCE = 'api://default';
const TOKEN_HEADER = 'x-amzn-oidc-accesstoken';
const GROUPS = { alice: ['httpbin', 'everyone'], bob: ['everyone'] };
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run'];

let jose;
let dir;
let httpbin;
let idp;
let gateway;
let httpPort;
let httpsPort;
let adminPort;
let trustingPort;
let origin;
const logins = new Map();  // user -> promise of {jar, headers} (one login per user)

function config() {
  return `apiVersion: gatehouse.dev/v1alpha1
kind: Listener
metadata: {name: http, namespace: foo}
spec:
  address: 127.0.0.1
  port: ${httpPort}
  protocol: HTTP
  defaultActions:
  - type: redirect
    redirectConfig: {protocol: HTTPS, port: "${httpsPort}", statusCode: HTTP_301}
---
apiVersion: gatehouse.dev/v1alpha1
kind: Listener
metadata: {name: https, namespace: foo}
spec:
  address: 127.0.0.1
  port: ${httpsPort}
  protocol: HTTPS
  certificates: [{certificateFile: tls.crt, keyFile: tls.key}]
  rules:
  - priority: 1
    conditions: [{field: path-pattern, values: [/status/200]}]
    actions: [{type: forward, targetGroupName: istio-ingressgateway}]
  defaultActions:
  - type: authenticate-oidc
    order: 1
    authenticateOidcConfig:
      issuer: ${idp.issuer}
      authorizationEndpoint: ${idp.issuer}/auth
      tokenEndpoint: ${idp.issuer}/token
      userInfoEndpoint: ${idp.userinfoEndpoint}
      clientId: ${CLIENT_ID}
      clientSecretFile: client.secret
      sessionKeysFile: session.keys
      scope: openid profile email groups
      allowInsecureHttp: true
  - type: forward
    order: 2
    targetGroupName: istio-ingressgateway
---
# Not in the article: a listener that keeps x-amzn-oidc-* from loopback peers (as behind an
# ALB), to show what the mesh would answer had a forged header reached it.
apiVersion: gatehouse.dev/v1alpha1
kind: Listener
metadata: {name: behind-alb, namespace: foo}
spec:
  address: 127.0.0.1
  port: ${trustingPort}
  trustOidcHeadersFrom: [127.0.0.0/8]
  defaultActions: [{type: forward, targetGroupName: istio-ingressgateway}]
---
${articleMesh({ httpbinPort: httpbin.port, issuer: idp.issuer, jwksUri: idp.jwksUri })}
---
apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: {name: httpbin-health, namespace: foo}
spec:
  selector:
    matchLabels: {app: httpbin}
  action: ALLOW
  rules:
  - to:
    - operation:
        paths: ["/status/200"]
---
apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: {name: httpbin-group, namespace: foo}
spec:
  selector:
    matchLabels: {app: httpbin}
  action: ALLOW
  rules:
  - from:
    - source:
        requestPrincipals: ["*"]
    when:
    - key: request.auth.claims[groups]
      values: ["httpbin"]
`;
}

// The claims the IdP has for an account (ID token and userinfo).
function claimsOf(id) {
  return { email: `${id}@example.com`, name: id, groups: GROUPS[id] ?? [] };
}

function decodeSegment(segment) {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
}

// Logs `user` in through the IdP's login and consent pages, starting at /headers; resolves to
// the cookie jar and the final answer. One login per user, shared by the tests.
function login(user) {
  if (!logins.has(user)) {
    logins.set(user, (async () => {
      const jar = new CookieJar();
      const { response, hops } = await browse(`${origin}/headers`, { jar, user });
      return { jar, response, hops };
    })());
  }
  return logins.get(user);
}

// x-amzn-oidc-data checked as an ALB target does, with npm jose's compactVerify on the exact
// text (it signs and verifies the segments as sent, '=' padding included) and the PEM for the
// header's kid from the admin listener.
async function verifyData(token) {
  const header = decodeSegment(token.split('.')[0]);
  const pem = await request({ port: adminPort, path: `/public-keys/${header.kid}` });
  assert.equal(pem.status, 200, pem.text);
  assert.match(pem.text, /^-----BEGIN PUBLIC KEY-----\n/);
  const key = await jose.importSPKI(pem.text, 'ES256');
  const { payload, protectedHeader } = await jose.compactVerify(token, key);
  return { header: protectedHeader, payload: JSON.parse(Buffer.from(payload).toString('utf8')), key };
}

// `text` with one bit of its decoded segment `index` flipped, re-encoded with the same padding.
function flipBit(token, index, byte = 3) {
  const segments = token.split('.');
  const bytes = Buffer.from(segments[index], 'base64url');
  bytes[byte] ^= 0x01;
  const padding = '='.repeat((4 - (bytes.toString('base64url').length % 4)) % 4);
  segments[index] = bytes.toString('base64url') + padding;
  return segments.join('.');
}

before(async () => {
  jose = await importTestPackage('jose');
  dir = loginFolder('gatehouse-chain-', CLIENT_SECRET);
  httpbin = await startHttpbin();
  httpPort = await freePort();
  httpsPort = await freePort();
  adminPort = await freePort();
  trustingPort = await freePort();
  origin = `https://localhost:${httpsPort}`;
  idp = await startJwtAccessTokenIdp({
    clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, audience: AUDIENCE, claimsOf,
    redirectUris: [`${origin}/oauth2/idpresponse`],
    groupsOf: (id) => GROUPS[id] ?? [],
  });
  fs.writeFileSync(path.join(dir, 'config.yaml'), config());
  gateway = startProcess(gatehouseBin, ['run', '--config', dir, '--admin', `127.0.0.1:${adminPort}`,
    '--workers', '2', '--access-log', path.join(dir, 'access.log')]);
  await waitForHttp(`http://127.0.0.1:${adminPort}/ready`, { process: gateway, timeoutMs: 10000 });
});

after(async () => {
  if (gateway && !gateway.running()) console.log(gateway.describe());
  await gateway?.stop();
  await idp?.stop();
  await httpbin?.process.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('alice logs in and httpbin gets her JWT access token and the identity headers', async () => {
  const { response, hops } = await login('alice');
  assert.equal(response.status, 200, `${response.text}\n${JSON.stringify(hops)}`);
  assert.equal(new URL(response.url).pathname, '/headers', 'back at the URL first asked for');
  assert.ok(hops[0].location.startsWith(`${idp.issuer}/auth?`), hops[0].location);
  const h = JSON.parse(response.text).headers;

  // The access token is the IdP's JWT, forwarded by the mesh (forwardOriginalToken: true).
  const accessToken = h['X-Amzn-Oidc-Accesstoken'];
  assert.ok(accessToken, JSON.stringify(h));
  const [atHeader64, atPayload64] = accessToken.split('.');
  assert.equal(decodeSegment(atHeader64).typ, 'at+jwt');
  const at = decodeSegment(atPayload64);
  assert.equal(at.iss, idp.issuer);
  assert.equal(at.aud, AUDIENCE);
  assert.equal(at.sub, 'alice');
  assert.deepEqual(at.groups, ['httpbin', 'everyone']);
  const { payload: verified } = await jose.jwtVerify(accessToken,
    jose.createRemoteJWKSet(new URL(idp.jwksUri)), { issuer: idp.issuer, audience: AUDIENCE });
  assert.equal(verified.sub, 'alice');

  assert.equal(h['X-Amzn-Oidc-Identity'], 'alice');
  const data = await verifyData(h['X-Amzn-Oidc-Data']);
  assert.equal(data.payload.sub, 'alice');
  assert.deepEqual(data.payload.groups, ['httpbin', 'everyone']);
  assert.ok(!(h.Cookie ?? '').includes('AWSELBAuthSessionCookie'), 'the session stays at the edge');
  assert.ok(idp.userinfoRequests() >= 1, 'gatehouse read userinfo with the JWT access token');

  // The session carries the next request.
  const again = await send(`${origin}/anything/again?x=1`, { jar: (await login('alice')).jar });
  assert.equal(again.status, 200, again.text);
  assert.equal(JSON.parse(again.text).headers['X-Amzn-Oidc-Identity'], 'alice');
});

test('bob is logged in but refused by the AuthorizationPolicy: 403 RBAC: access denied',
  async () => {
    const { response, hops, jar } = await login('bob');
    assert.equal(response.status, 403, `${response.text}\n${JSON.stringify(hops)}`);
    assert.equal(response.text, 'RBAC: access denied');
    assert.equal(new URL(response.url).pathname, '/headers');
    const other = await send(`${origin}/anything/bob`, { jar });
    assert.equal(other.status, 403, other.text);
    // /status/200 is open to everyone, with or without a session.
    const open = await send(`${origin}/status/200`, { jar });
    assert.equal(open.status, 200, open.text);
  });

test('/status/200 is served without a login; other paths start one', async () => {
  const open = await send(`${origin}/status/200`);
  assert.equal(open.status, 200, open.text);
  assert.equal(open.text, '');
  assert.equal(open.headers['set-cookie'], undefined, 'no login started');
  const closed = await send(`${origin}/headers`);
  assert.equal(closed.status, 302, closed.text);
  assert.ok(closed.headers.location.startsWith(`${idp.issuer}/auth?`), closed.headers.location);
});

test('the HTTP listener answers 301 to HTTPS on the listener port, path and query kept',
  async () => {
    for (const target of ['/anything/a%20b/c?x=1&y=%2F&z', '/status/200', '/']) {
      const res = await send(`http://localhost:${httpPort}${target}`);
      assert.equal(res.status, 301, `${target}: ${res.text}`);
      assert.equal(res.headers.location, `https://localhost:${httpsPort}${target}`, target);
    }
    // Followed, the redirect lands on the HTTPS listener's rules.
    const followed = await send((await send(`http://localhost:${httpPort}/status/200`)).headers.location);
    assert.equal(followed.status, 200);
  });

test('client-sent x-amzn-oidc-* headers never reach the mesh or httpbin', async () => {
  const aliceToken = JSON.parse((await login('alice')).response.text).headers['X-Amzn-Oidc-Accesstoken'];
  const forged = { [TOKEN_HEADER]: aliceToken, 'x-amzn-oidc-identity': 'alice',
    'x-amzn-oidc-data': 'forged.forged.forged' };

  // On the open rule: alice's real token does not change the answer, and a token that fails
  // verification does not either, while the mesh refuses it when it does get it (the listener
  // that trusts loopback peers' headers).
  for (const token of [aliceToken, 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJldmUifQ.c2ln', 'garbage']) {
    const res = await send(`${origin}/status/200`, { headers: { ...forged, [TOKEN_HEADER]: token } });
    assert.equal(res.status, 200, `${token.slice(0, 20)}: ${res.text}`);
    assert.equal(res.text, '');
  }
  const reached = await send(`http://127.0.0.1:${trustingPort}/status/200`,
    { headers: { [TOKEN_HEADER]: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJldmUifQ.c2ln' } });
  assert.equal(reached.status, 401, `the mesh checks a token it receives: ${reached.text}`);
  // And alice's token, had it reached the mesh, would open /headers for anyone.
  const trusted = await send(`http://127.0.0.1:${trustingPort}/headers`, { headers: forged });
  assert.equal(trusted.status, 200, trusted.text);
  // Without a session the forged token does not open /headers: it is a login redirect.
  const anonymous = await send(`${origin}/headers`, { headers: forged });
  assert.equal(anonymous.status, 302, anonymous.text);

  // Logged-in bob sending alice's token: his own token is the one checked.
  const bob = await login('bob');
  const bobForging = await send(`${origin}/headers`, { jar: bob.jar, headers: forged });
  assert.equal(bobForging.status, 403, bobForging.text);
  assert.equal(bobForging.text, 'RBAC: access denied');

  // Logged-in alice sending someone else's identity: gatehouse's headers replace them.
  const alice = await login('alice');
  const aliceForging = await send(`${origin}/headers`, { jar: alice.jar,
    headers: { [TOKEN_HEADER]: 'forged', 'x-amzn-oidc-identity': 'mallory',
      'x-amzn-oidc-data': 'forged', 'x-amzn-oidc-extra': 'x' } });
  assert.equal(aliceForging.status, 200, aliceForging.text);
  const seen = JSON.parse(aliceForging.text).headers;
  assert.equal(seen['X-Amzn-Oidc-Identity'], 'alice');
  assert.equal(seen['X-Amzn-Oidc-Accesstoken'], aliceToken);
  assert.notEqual(seen['X-Amzn-Oidc-Data'], 'forged');
  assert.equal(seen['X-Amzn-Oidc-Extra'], undefined);
});

test('x-amzn-oidc-data verifies with jose against the PEM at /public-keys/{kid}; a flipped bit does not',
  async () => {
    const token = JSON.parse((await login('alice')).response.text).headers['X-Amzn-Oidc-Data'];
    const segments = token.split('.');
    assert.equal(segments.length, 3);
    assert.match(segments[2], /^[A-Za-z0-9_-]{86}==$/, 'raw R||S, base64url with padding');
    const { header, payload, key } = await verifyData(token);
    assert.deepEqual(Object.keys(header), ['typ', 'kid', 'alg', 'iss', 'client', 'signer', 'exp']);
    assert.equal(header.alg, 'ES256');
    assert.match(header.kid, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(header.iss, idp.issuer);
    assert.equal(header.client, CLIENT_ID);
    assert.equal(header.signer, 'gatehouse:listener/foo/https');
    assert.equal(payload.iss, idp.issuer);
    assert.equal(payload.exp, header.exp);
    assert.ok(payload.exp > Date.now() / 1000 && payload.exp <= Date.now() / 1000 + 121);
    assert.equal(payload.email, 'alice@example.com');

    // The signature covers the padded text: stripping the padding breaks it.
    const unpadded = segments.map((s) => s.replace(/=+$/, '')).join('.');
    const paddedSomewhere = segments.slice(0, 2).some((s) => s.endsWith('='));
    if (paddedSomewhere) {
      await assert.rejects(jose.compactVerify(unpadded, key),
        { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
    }
    for (const index of [1, 2]) {
      await assert.rejects(jose.compactVerify(flipBit(token, index), key),
        { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' }, `bit flipped in segment ${index}`);
    }
  });

test('Chromium logs alice in and shows httpbin /headers (screenshot kept)', async () => {
  const playwright = await importTestPackage('playwright-core');
  const { chromium } = playwright.default ?? playwright;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    await page.goto(`${origin}/headers`);
    await page.waitForSelector('input[name="login"]', { timeout: 10000 });
    await page.fill('input[name="login"]', 'alice');
    await page.fill('input[name="password"]', 'any password');
    await page.click('button[type="submit"]');
    await page.waitForURL((url) => url.port === String(httpsPort) || url.pathname.includes('interaction'),
      { timeout: 10000 });
    if (new URL(page.url()).port !== String(httpsPort)) {
      await page.click('button[type="submit"]');  // consent
      await page.waitForURL((url) => url.port === String(httpsPort), { timeout: 10000 });
    }
    assert.equal(new URL(page.url()).pathname, '/headers');
    const headers = JSON.parse(await page.locator('body').innerText()).headers;
    assert.equal(headers['X-Amzn-Oidc-Identity'], 'alice');
    assert.equal(decodeSegment(headers['X-Amzn-Oidc-Accesstoken'].split('.')[1]).aud, AUDIENCE);
    const shots = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-chain-screens-'));
    const file = path.join(shots, 'alice-headers.png');
    await page.screenshot({ path: file, fullPage: true });
    assert.ok(fs.statSync(file).size > 1000);
    console.log(`screenshot of /headers after Chromium's login: ${file}`);
  } finally {
    await browser.close();
  }
});
