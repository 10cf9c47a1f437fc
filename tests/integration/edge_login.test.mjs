// authenticate-oidc end to end, as an ALB does it: Debian's Chromium (driven by playwright-core)
// logs in through npm `oidc-provider` at a gatehouse HTTPS listener in front of the built-in
// httpbin. Checks the identity headers the target gets (x-amzn-oidc-data verified with the PEM
// from /public-keys/{kid}), the session cookie, refresh, logout, deny/allow modes, and the
// callback's error answers with their access-log reasons.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, request, startProcess, waitForHttp } from './lib/harness.mjs';
import { gatehouseBin, loginFolder, readAccessLog, startHttpbin } from './lib/gateway.mjs';
import { importTestPackage } from './lib/npm.mjs';
import { startOidcProvider } from './lib/oidc_provider.mjs';

const CLIENT_ID = 'gatehouse-edge';
const CLIENT_SECRET = 'edge-secret-for-tests';
const ACCESS_TOKEN_TTL = 3;
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run'];

let dir;
let httpbin;
let idp;
let gateway;
let port;
let brokenPort;
let adminPort;
let trustingPort;
let distrustingPort;
let browser;

function authenticateAction(mode, { tokenEndpoint } = {}) {
  return `
    - type: authenticate-oidc
      order: 1
      authenticateOidcConfig:
        issuer: ${idp.issuer}
        authorizationEndpoint: ${idp.issuer}/auth
        tokenEndpoint: ${tokenEndpoint ?? `${idp.issuer}/token`}
        userInfoEndpoint: ${idp.issuer}/me
        clientId: ${CLIENT_ID}
        clientSecretFile: client.secret
        scope: openid email profile
        sessionKeysFile: session.keys
        onUnauthenticatedRequest: ${mode}
        logoutPath: /logout
        allowInsecureHttp: true
    - type: forward
      order: 2
      targetGroupName: httpbin`;
}

function listener(name, listenPort, defaultMode, extra = {}) {
  return `apiVersion: gatehouse.dev/v1alpha1
kind: Listener
metadata: {name: ${name}}
spec:
  address: 127.0.0.1
  port: ${listenPort}
  protocol: HTTPS
  certificates: [{certificateFile: tls.crt, keyFile: tls.key}]
  rules:
  - priority: 1
    conditions: [{field: path-pattern, pathPatternConfig: {values: [/status/200, "/anything/open*"]}}]
    actions: [{type: forward, targetGroupName: httpbin}]
  - priority: 2
    conditions: [{field: path-pattern, values: ["/anything/deny*"]}]
    actions:${authenticateAction('deny', extra)}
  - priority: 3
    conditions: [{field: path-pattern, values: ["/anything/allow*"]}]
    actions:${authenticateAction('allow', extra)}
  defaultActions:${authenticateAction(defaultMode, extra)}
`;
}

// A plain HTTP listener forwarding to httpbin, keeping x-amzn-oidc-* from `trusted` peers.
function forwarder(name, listenPort, trusted) {
  return `apiVersion: gatehouse.dev/v1alpha1
kind: Listener
metadata: {name: ${name}}
spec:
  address: 127.0.0.1
  port: ${listenPort}
  trustOidcHeadersFrom: [${trusted}]
  defaultActions: [{type: forward, targetGroupName: httpbin}]
`;
}

function config() {
  return `${listener('edge', port, 'authenticate')}---
${forwarder('behind-alb', trustingPort, '127.0.0.0/8')}---
${forwarder('elsewhere', distrustingPort, '10.0.0.0/8')}---
${listener('broken', brokenPort, 'authenticate', { tokenEndpoint: 'http://127.0.0.1:9/token' })}---
apiVersion: gatehouse.dev/v1alpha1
kind: TargetGroup
metadata: {name: httpbin}
spec:
  port: ${httpbin.port}
  targets: [{id: 127.0.0.1}]
  healthCheckPath: /status/200
`;
}

// One HTTPS request to a gatehouse listener (certificate not checked: it is self-signed).
function get(listenPort, target, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: '127.0.0.1', port: listenPort, path: target, servername: 'localhost',
      headers: { host: `localhost:${listenPort}`, ...headers }, rejectUnauthorized: false,
      agent: false,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers,
        text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.setTimeout(10000, () => req.destroy(new Error(`GET ${target} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

function setCookies(res) {
  return res.headers['set-cookie'] ?? [];
}

// The login redirect's state and the nonce cookie that goes with it.
async function startLogin(listenPort) {
  const res = await get(listenPort, '/anything/start');
  assert.equal(res.status, 302, res.text);
  const location = new URL(res.headers.location);
  const nonce = setCookies(res).find((c) => c.startsWith('AWSALBAuthNonce='));
  assert.ok(nonce, 'the login sets AWSALBAuthNonce');
  return { location, state: location.searchParams.get('state'), nonceCookie: nonce.split(';')[0] };
}

// Waits (bounded) until the access log holds every one of `reasons` in error_reason; lines are
// batched per worker, so they appear a little after the answers.
async function waitForReasons(reasons) {
  const file = path.join(dir, 'access.log');
  const deadline = Date.now() + 5000;
  let seen = [];
  while (Date.now() < deadline) {
    const entries = readAccessLog(file);
    seen = entries.map((entry) => entry.error_reason);
    if (reasons.every((r) => seen.includes(r))) return entries;
    await sleep(100);
  }
  assert.fail(`access log reasons ${reasons} not all in ${seen}`);
}

// Chromium logs in as `user` at the provider's development login and consent pages.
async function browserLogin(page, target, user) {
  await page.goto(`https://localhost:${port}${target}`);
  await page.waitForSelector('input[name="login"]', { timeout: 10000 });
  await page.fill('input[name="login"]', user);
  await page.fill('input[name="password"]', 'any password');
  await page.click('button[type="submit"]');
  // The provider asks for consent once per client.
  await page.waitForURL((url) => url.port === String(port) || url.pathname.includes('interaction'),
    { timeout: 10000 });
  if (!page.url().includes(`:${port}/`)) {
    await page.click('button[type="submit"]');
    await page.waitForURL((url) => url.port === String(port), { timeout: 10000 });
  }
  return JSON.parse(await page.locator('body').innerText());
}

// Verifies x-amzn-oidc-data as an ALB target does: the PEM for the header's kid, ES256 over the
// padded base64url text, then the claims.
async function verifyDataToken(token) {
  const [header64, payload64, signature64] = token.split('.');
  const header = JSON.parse(Buffer.from(header64, 'base64url').toString());
  const pem = await request({ port: adminPort, path: `/public-keys/${header.kid}` });
  assert.equal(pem.status, 200, pem.text);
  const valid = crypto.verify('sha256', Buffer.from(`${header64}.${payload64}`),
    { key: crypto.createPublicKey(pem.text), dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature64, 'base64url'));
  assert.ok(valid, 'x-amzn-oidc-data verifies with the published PEM');
  return { header, payload: JSON.parse(Buffer.from(payload64, 'base64url').toString()) };
}

before(async () => {
  dir = loginFolder('gatehouse-login-', CLIENT_SECRET);
  httpbin = await startHttpbin();
  port = await freePort();
  brokenPort = await freePort();
  adminPort = await freePort();
  trustingPort = await freePort();
  distrustingPort = await freePort();
  idp = await startOidcProvider({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUris: [`https://localhost:${port}/oauth2/idpresponse`],
    accessTokenTtl: ACCESS_TOKEN_TTL,
  });
  fs.writeFileSync(path.join(dir, 'config.yaml'), config());
  gateway = startProcess(gatehouseBin, ['run', '--config', dir, '--admin', `127.0.0.1:${adminPort}`,
    '--workers', '2', '--access-log', path.join(dir, 'access.log')]);
  await waitForHttp(`http://127.0.0.1:${adminPort}/ready`, { process: gateway, timeoutMs: 10000 });
  const playwright = await importTestPackage('playwright-core');
  const { chromium } = playwright.default ?? playwright;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
});

after(async () => {
  if (!gateway?.running()) console.log(gateway?.describe());
  await browser?.close();
  await gateway?.stop();
  await idp?.stop();
  await httpbin?.process.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('Chromium logs in through the IdP and the target gets the identity headers', async () => {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  const body = await browserLogin(page, '/headers', 'alice');
  assert.equal(new URL(page.url()).pathname, '/headers', 'back at the URL first asked for');
  const h = body.headers;
  assert.equal(h['X-Amzn-Oidc-Identity'], 'alice');
  assert.ok(h['X-Amzn-Oidc-Accesstoken'].length > 10);
  const data = await verifyDataToken(h['X-Amzn-Oidc-Data']);
  assert.equal(data.header.alg, 'ES256');
  assert.equal(data.header.iss, idp.issuer);
  assert.equal(data.header.client, CLIENT_ID);
  assert.equal(data.header.signer, 'gatehouse:listener/default/edge');
  assert.equal(data.payload.sub, 'alice');
  assert.equal(data.payload.email, 'alice@example.com');
  assert.ok(data.payload.exp > Date.now() / 1000 && data.payload.exp <= Date.now() / 1000 + 121);
  assert.ok(!(h.Cookie ?? '').includes('AWSELBAuthSessionCookie'), 'the session stays at the edge');

  const cookies = await context.cookies(`https://localhost:${port}`);
  const shard = cookies.find((c) => c.name === 'AWSELBAuthSessionCookie-0');
  assert.ok(shard, JSON.stringify(cookies.map((c) => c.name)));
  assert.equal(shard.secure, true);
  assert.equal(shard.httpOnly, true);
  assert.equal(shard.sameSite, 'None');
  assert.ok(!cookies.some((c) => c.name === 'AWSALBAuthNonce'), 'the nonce cookie is spent');

  // The session carries the next request without the IdP.
  const tokensBefore = idp.tokenRequests();
  await page.goto(`https://localhost:${port}/anything/again`);
  const again = JSON.parse(await page.locator('body').innerText());
  assert.equal(again.headers['X-Amzn-Oidc-Identity'], 'alice');
  assert.equal(idp.tokenRequests(), tokensBefore);

  // After the access token expires, gatehouse refreshes it and renews the cookie.
  await sleep((ACCESS_TOKEN_TTL + 1) * 1000);
  await page.goto(`https://localhost:${port}/headers`);
  const refreshed = JSON.parse(await page.locator('body').innerText()).headers;
  assert.equal(idp.tokenRequests(), tokensBefore + 1, 'one refresh_token grant');
  assert.equal(refreshed['X-Amzn-Oidc-Identity'], 'alice');
  assert.notEqual(refreshed['X-Amzn-Oidc-Accesstoken'], h['X-Amzn-Oidc-Accesstoken']);

  // deny and allow rules let the session through as well.
  await page.goto(`https://localhost:${port}/anything/deny-with-session`);
  assert.equal(JSON.parse(await page.locator('body').innerText()).headers['X-Amzn-Oidc-Identity'],
    'alice');

  // Logout expires the shards and sends the browser to the IdP's end_session_endpoint.
  await page.goto(`https://localhost:${port}/logout`);
  assert.equal(new URL(page.url()).port, String(idp.port), page.url());
  assert.ok(!(await context.cookies(`https://localhost:${port}`))
    .some((c) => c.name.startsWith('AWSELBAuthSessionCookie')));
  await context.close();
});

test('a request without a session is sent to the authorization endpoint', async () => {
  const { location } = await startLogin(port);
  assert.equal(`${location.origin}${location.pathname}`, `${idp.issuer}/auth`);
  const q = location.searchParams;
  assert.equal(q.get('client_id'), CLIENT_ID);
  assert.equal(q.get('redirect_uri'), `https://localhost:${port}/oauth2/idpresponse`);
  assert.equal(q.get('response_type'), 'code');
  assert.equal(q.get('scope'), 'openid email profile');
  assert.equal(q.get('code_challenge_method'), 'S256');
  assert.ok(q.get('nonce') && q.get('state') && q.get('code_challenge'));
});

test('a tampered, truncated or foreign session cookie means logging in again, not an error',
  async () => {
    for (const cookie of ['AWSELBAuthSessionCookie-0=garbage',
      'AWSELBAuthSessionCookie-0=AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==',
      'AWSELBAuthSessionCookie-1=only-the-second-shard', `AWSELBAuthSessionCookie-0=${'A'.repeat(4000)}`]) {
      const res = await get(port, '/headers', { cookie });
      assert.equal(res.status, 302, `${cookie.slice(0, 40)}: ${res.text}`);
      assert.ok(res.headers.location.startsWith(`${idp.issuer}/auth?`));
    }
  });

test('deny mode answers 401 without a session; allow mode forwards anonymously', async () => {
  const denied = await get(port, '/anything/deny');
  assert.equal(denied.status, 401);
  assert.match(denied.headers['content-type'], /text\/html/);
  const allowed = await get(port, '/anything/allow', { 'x-amzn-oidc-identity': 'forged' });
  assert.equal(allowed.status, 200);
  assert.equal(JSON.parse(allowed.text).headers['X-Amzn-Oidc-Identity'], undefined);
});

test('client-supplied x-amzn-oidc headers never reach the target', async () => {
  const res = await get(port, '/anything/open', {
    'x-amzn-oidc-identity': 'admin', 'X-AMZN-OIDC-DATA': 'forged', 'x-amzn-oidc-accesstoken': 'x',
    'x-amzn-oidc-anything-else': 'y',
  });
  assert.equal(res.status, 200);
  const seen = Object.keys(JSON.parse(res.text).headers).map((h) => h.toLowerCase());
  assert.deepEqual(seen.filter((h) => h.startsWith('x-amzn-oidc')), []);
});

test('trustOidcHeadersFrom keeps x-amzn-oidc headers from a trusted peer only', async () => {
  const send = (listenPort) => request({ port: listenPort, path: '/headers',
    headers: { 'x-amzn-oidc-accesstoken': 'from-the-alb', 'x-amzn-oidc-identity': 'alice' } });
  const kept = JSON.parse((await send(trustingPort)).text).headers;
  assert.equal(kept['X-Amzn-Oidc-Accesstoken'], 'from-the-alb');
  assert.equal(kept['X-Amzn-Oidc-Identity'], 'alice');
  const removed = JSON.parse((await send(distrustingPort)).text).headers;
  assert.equal(removed['X-Amzn-Oidc-Accesstoken'], undefined);
  assert.equal(removed['X-Amzn-Oidc-Identity'], undefined);
});

test('the callback refuses bad logins with ALB statuses and access-log reasons', async () => {
  const login = await startLogin(port);
  const cb = (query, cookie) => get(port, `/oauth2/idpresponse?${query}`, cookie ? { cookie } : {});
  const cases = [
    [await cb('code=abc'), 401, 'AuthMissingStateParam'],
    [await cb('code=a&code=b&state=x'), 401, 'AuthInvalidCallbackQuery'],
    [await cb(`error=access_denied&state=${encodeURIComponent(login.state)}`, login.nonceCookie),
      401, 'AuthIdpError'],
    [await cb('code=abc&state=not-a-sealed-state', login.nonceCookie), 401, 'AuthInvalidStateParam'],
    [await cb(`code=abc&state=${encodeURIComponent(login.state)}`), 401,
      'AuthMissingAWSALBAuthNonce'],
    [await cb(`code=abc&state=${encodeURIComponent(login.state)}`, 'AWSALBAuthNonce=other'), 401,
      'AuthInvalidAWSALBAuthNonce'],
    // A code the IdP never issued: its token endpoint answers invalid_grant.
    [await cb(`code=forged-code&state=${encodeURIComponent(login.state)}`, login.nonceCookie),
      561, 'AuthInvalidGrantError'],
  ];
  for (const [res, status] of cases) {
    assert.equal(res.status, status, res.text);
    assert.match(res.headers['content-type'], /text\/html/);
    assert.ok(setCookies(res).some((c) => c.startsWith('AWSALBAuthNonce=;')), 'nonce expired');
  }
  const entries = await waitForReasons(cases.map(([, , reason]) => reason));
  const details = entries.map((entry) => entry.error_detail);
  for (const detail of ['IdpError: access_denied', 'MissingNonceCookie', 'NonceCookieMismatch',
    'TokenInvalidGrant: invalid_grant', 'InvalidState: CookieBadBase64'])
    assert.ok(details.includes(detail), `${detail} in ${details}`);
});

test('an unreachable token endpoint answers 500', async () => {
  const login = await startLogin(brokenPort);
  const res = await get(brokenPort,
    `/oauth2/idpresponse?code=abc&state=${encodeURIComponent(login.state)}`,
    { cookie: login.nonceCookie });
  assert.equal(res.status, 500, res.text);
  await waitForReasons(['AuthTokenEpRequestTimeout']);
});

test('authenticate-oidc on a plain HTTP listener is a config error without allowInsecureHttp',
  () => {
    const bad = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-login-bad-'));
    fs.writeFileSync(path.join(bad, 'config.yaml'), config()
      .replace(/ {2}protocol: HTTPS\n {2}certificates: .*\n/g, '')
      .replaceAll('allowInsecureHttp: true', 'allowInsecureHttp: false'));
    const run = spawnSync(gatehouseBin, ['validate', '--config', bad], { encoding: 'utf8' });
    fs.rmSync(bad, { recursive: true, force: true });
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stdout + run.stderr, /authenticate-oidc needs an HTTPS listener/);
  });
