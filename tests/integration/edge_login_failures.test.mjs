// authenticate-oidc against bad input and hostile IdPs: a scriptable fake IdP (lib/fake_idp.mjs)
// makes the token and userinfo endpoints fail every way ALB names, and the tests check that
// each failure gets its documented answer (docs/edge.md: status, access-log error_reason and
// error_detail), that damaged session cookies mean logging in again (never an error page), and
// that login states cannot be forged, replayed or turned into an open redirect. No browser: the
// login redirect, nonce cookie and callback are driven by hand.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { send } from './lib/cookie_client.mjs';
import { startFakeIdp, SLOW_ANSWER_MS } from './lib/fake_idp.mjs';
import { gatehouseBin, loginFolder, readAccessLog, startHttpbin } from './lib/gateway.mjs';
import { freePort, startProcess, waitForHttp } from './lib/harness.mjs';

const CLIENT_ID = 'gatehouse-failures';
const CLIENT_SECRET = 'failures-secret-for-tests';
const SESSION = 'AWSELBAuthSessionCookie';

let dir;
let httpbin;
let idp;
let gateway;
let edgePort;
let downPort;
let cases = 0;

function authenticate({
  tokenEndpoint = `${idp.issuer}/token`, cookieName = SESSION, mode = 'authenticate',
} = {}) {
  return `
    - type: authenticate-oidc
      order: 1
      authenticateOidcConfig:
        issuer: ${idp.issuer}
        authorizationEndpoint: ${idp.issuer}/authorize
        tokenEndpoint: ${tokenEndpoint}
        userInfoEndpoint: ${idp.issuer}/userinfo
        clientId: ${CLIENT_ID}
        clientSecretFile: client.secret
        sessionKeysFile: session.keys
        sessionCookieName: ${cookieName}
        onUnauthenticatedRequest: ${mode}
        allowInsecureHttp: true
    - type: forward
      order: 2
      targetGroupName: httpbin`;
}

function listener(name, port, rules, defaultActions) {
  return `apiVersion: gatehouse.dev/v1alpha1
kind: Listener
metadata: {name: ${name}}
spec:
  address: 127.0.0.1
  port: ${port}
  protocol: HTTPS
  certificates: [{certificateFile: tls.crt, keyFile: tls.key}]
  rules: ${rules}
  defaultActions:${defaultActions}
`;
}

async function config() {
  // Nothing listens on refusedPort: its token endpoint is down.
  const refusedPort = await freePort();
  return `${listener('edge', edgePort, `
  - priority: 1
    conditions: [{field: path-pattern, values: ["/other*"]}]
    actions:${authenticate({ cookieName: 'OtherSession' })}
  - priority: 2
    conditions: [{field: path-pattern, values: ["/deny*"]}]
    actions:${authenticate({ mode: 'deny' })}`, authenticate())}---
${listener('down', downPort, '[]',
    authenticate({ tokenEndpoint: `http://127.0.0.1:${refusedPort}/token` }))}---
apiVersion: gatehouse.dev/v1alpha1
kind: TargetGroup
metadata: {name: httpbin}
spec:
  port: ${httpbin.port}
  targets: [{id: 127.0.0.1}]
`;
}

// A user agent naming one request, to find its access-log line.
function tag() {
  cases += 1;
  return `failures-case-${cases}-${crypto.randomBytes(4).toString('hex')}`;
}

function url(port, target) {
  return `https://localhost:${port}${target}`;
}

// The access-log entry of the request sent with user agent `ua`, polled (bounded: lines are
// batched per worker, so they appear a little after the answers).
async function logEntry(ua) {
  const file = path.join(dir, 'access.log');
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const found = readAccessLog(file).find((entry) => entry.user_agent === ua);
    if (found) return found;
    await sleep(50);
  }
  return assert.fail(`no access-log entry for ${ua}`);
}

// Asserts an answer and its access-log reason and detail (`detail` a string for an exact value,
// or a RegExp).
async function expectLogged(res, ua, status, reason, detail) {
  assert.equal(res.status, status, `${ua}: ${res.text}`);
  const entry = await logEntry(ua);
  assert.equal(entry.response_code, status);
  assert.equal(entry.error_reason, reason, JSON.stringify(entry));
  if (detail instanceof RegExp) assert.match(entry.error_detail, detail);
  else assert.equal(entry.error_detail, detail);
  return entry;
}

function cookiePairs(res) {
  return (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]);
}

// Starts a login at `target`: the 302's authorization query and the nonce cookie.
async function startLogin({ port = edgePort, target = '/anything/start' } = {}) {
  const res = await send(url(port, target), { headers: { 'user-agent': tag() } });
  assert.equal(res.status, 302, res.text);
  const location = new URL(res.headers.location);
  assert.equal(`${location.origin}${location.pathname}`, `${idp.issuer}/authorize`);
  const nonceCookie = cookiePairs(res).find((c) => c.startsWith('AWSALBAuthNonce='));
  assert.ok(nonceCookie, 'the login sets AWSALBAuthNonce');
  return { port, authorize: location.searchParams, state: location.searchParams.get('state'),
    nonceCookie };
}

// The callback for `login` with a code registered with `spec`.
async function callback(login, spec = {}, { cookie = login.nonceCookie, ua = tag(), code } = {}) {
  const theCode = code ?? idp.code({ authorize: login.authorize, ...spec });
  const query = `code=${theCode}&state=${encodeURIComponent(login.state)}`;
  const res = await send(url(login.port, `/oauth2/idpresponse?${query}`),
    { headers: { 'user-agent': ua, ...(cookie ? { cookie } : {}) } });
  return { res, ua, code: theCode };
}

// A whole successful login; resolves to the callback answer and the session shards, in order.
async function logIn(spec = {}, options = {}) {
  const login = await startLogin(options);
  const { res } = await callback(login, spec);
  assert.equal(res.status, 302, res.text);
  const shards = cookiePairs(res).filter((c) => /^\w+-\d=./.test(c))
    .sort((a, b) => a.localeCompare(b));
  return { login, res, shards };
}

function assertErrorPage(res) {
  assert.match(res.headers['content-type'], /^text\/html/);
  assert.equal(res.headers['cache-control'], 'no-store');
  assert.ok(!res.text.includes('IDP-MARKER'), 'nothing the IdP sent is echoed');
  assert.ok(cookiePairs(res).includes('AWSALBAuthNonce='), 'the nonce cookie is expired');
}

// Random text that no compression shrinks, `bytes` long.
function incompressible(bytes) {
  return crypto.randomBytes(Math.ceil(bytes * 0.75)).toString('base64').slice(0, bytes);
}

before(async () => {
  dir = loginFolder('gatehouse-login-failures-', CLIENT_SECRET);
  httpbin = await startHttpbin();
  idp = await startFakeIdp({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  edgePort = await freePort();
  downPort = await freePort();
  fs.writeFileSync(path.join(dir, 'config.yaml'), await config());
  const adminPort = await freePort();
  gateway = startProcess(gatehouseBin, ['run', '--config', dir, '--admin', `127.0.0.1:${adminPort}`,
    '--workers', '2', '--access-log', path.join(dir, 'access.log')]);
  await waitForHttp(`http://127.0.0.1:${adminPort}/ready`, { process: gateway, timeoutMs: 10000 });
  // The issuer's keys are fetched in the background; a callback before that is refused.
  const deadline = Date.now() + 10000;
  while (!idp.requests().includes('GET /jwks') && Date.now() < deadline) await sleep(50);
  assert.ok(idp.requests().includes('GET /jwks'), `gatehouse fetched the JWKS: ${idp.requests()}`);
  await sleep(200);
});

after(async () => {
  if (gateway && !gateway.running()) console.log(gateway.describe());
  await gateway?.stop();
  await idp?.stop();
  await httpbin?.process.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('a normal login through the fake IdP ends back at the URL with a working session', async () => {
  const login = await startLogin({ target: '/anything/start?x=1' });
  const { res } = await callback(login, { claims: { email: 'alice@example.com' } });
  assert.equal(res.status, 302, res.text);
  assert.equal(new URL(res.headers.location, url(edgePort, '/')).href, url(edgePort, '/anything/start?x=1'));
  const cookies = cookiePairs(res);
  assert.ok(cookies.includes('AWSALBAuthNonce='), 'the nonce cookie is expired');
  const shards = cookies.filter((c) => c.startsWith(`${SESSION}-`) && !c.endsWith('-1=')
    && !c.endsWith('-2=') && !c.endsWith('-3='));
  assert.deepEqual(shards.map((c) => c.split('=')[0]), [`${SESSION}-0`]);
  const page = await send(url(edgePort, '/headers'), { headers: { cookie: shards.join('; ') } });
  assert.equal(page.status, 200, page.text);
  const h = JSON.parse(page.text).headers;
  assert.equal(h['X-Amzn-Oidc-Identity'], 'alice');
  assert.match(h['X-Amzn-Oidc-Accesstoken'], /^at-/);
});

test('token endpoint failures get 561, 401 or 500 with ALB reasons', async () => {
  const expectations = [
    [{ token: 'error500' }, 561, 'AuthTokenEpRequestFailed', /^TokenEndpointError/],
    [{ token: 'garbage' }, 401, 'AuthInvalidTokenResponse', /^TokenResponseNotJson/],
    [{ token: 'reset' }, 500, 'AuthTokenEpRequestTimeout', /^TokenEndpointUnreachable/],
  ];
  for (const [spec, status, reason, detail] of expectations) {
    const { res, ua } = await callback(await startLogin(), spec);
    await expectLogged(res, ua, status, reason, detail);
    assertErrorPage(res);
  }
});

test('a token endpoint slower than 5 s answers 500 AuthTokenEpRequestTimeout', async () => {
  const login = await startLogin();
  const started = Date.now();
  const { res, ua } = await callback(login, { token: 'slow' });
  const elapsed = Date.now() - started;
  await expectLogged(res, ua, 500, 'AuthTokenEpRequestTimeout', /^TokenEndpointUnreachable/);
  assertErrorPage(res);
  assert.ok(elapsed >= 4500 && elapsed < SLOW_ANSWER_MS, `gave up after ${elapsed} ms`);
});

test('a token endpoint that refuses connections answers 500 AuthTokenEpRequestTimeout', async () => {
  const { res, ua } = await callback(await startLogin({ port: downPort }));
  await expectLogged(res, ua, 500, 'AuthTokenEpRequestTimeout', /^TokenEndpointUnreachable/);
  assertErrorPage(res);
});

test('ID tokens failing a check get 401 AuthInvalidIdToken with the check as detail', async () => {
  const now = Math.floor(Date.now() / 1000);
  const expectations = [
    [{ idToken: { aud: 'another-client' } }, /^IdTokenWrongAudience/],
    [{ idToken: { nonce: 'not-the-login-nonce' } }, /^IdTokenWrongNonce/],
    [{ idToken: { iat: now - 7200, exp: now - 3600 } }, /^IdTokenExpired/],
    [{ idToken: { iss: 'http://127.0.0.1:9/other' } }, /^IdTokenWrongIssuer/],
    [{ signWith: 'rogue' }, /^IdTokenBadSignature/],
    [{ signWith: 'rogue', kid: 'good' }, /^IdTokenBadSignature/],
  ];
  for (const [spec, detail] of expectations) {
    const { res, ua } = await callback(await startLogin(), spec);
    await expectLogged(res, ua, 401, 'AuthInvalidIdToken', detail);
    assertErrorPage(res);
  }
});

test('userinfo failures get 561 or 401 with ALB reasons', async () => {
  const expectations = [
    [{ userinfo: 'error500' }, 561, 'AuthUserinfoEpRequestFailed', /^UserinfoEndpointError/],
    [{ userinfo: 'reset' }, 500, 'AuthUserinfoEpRequestTimeout', /^UserinfoEndpointUnreachable/],
    [{ userinfo: 'garbage' }, 401, 'AuthInvalidUserinfoResponse', /^UserinfoNotJson/],
    [{ claims: { sub: 'mallory' } }, 401, 'AuthInvalidUserinfoResponse', /^UserinfoSubjectMismatch/],
    [{ claims: { blob: incompressible(12 * 1024) } }, 401, 'AuthUserinfoResponseSizeExceeded',
      /^UserinfoTooLarge/],
  ];
  for (const [spec, status, reason, detail] of expectations) {
    const { res, ua } = await callback(await startLogin(), spec);
    await expectLogged(res, ua, status, reason, detail);
    assertErrorPage(res);
  }
});

test('damaged session cookies mean a new login (302, AuthInvalidCookie), never an error',
  async () => {
    // ~7 KB of claims: the session needs three shards (4000 characters each).
    const { shards } = await logIn({ claims: { blob: incompressible(7 * 1024) } });
    assert.ok(shards.length >= 3, `three shards or more: ${shards.map((s) => s.slice(0, 26))}`);
    const works = async (cookie, why) => {
      const res = await send(url(edgePort, '/headers'), { headers: { cookie } });
      assert.equal(res.status, 200, `${why}: ${res.text.slice(0, 200)}`);
      assert.equal(JSON.parse(res.text).headers['X-Amzn-Oidc-Identity'], 'alice', why);
    };
    await works(shards.join('; '), 'shards in order');
    await works([...shards].reverse().join('; '), 'shards in reverse order');
    await works([shards[1], 'a=b', shards[0], ...shards.slice(2)].join('; '), 'shards shuffled');

    const [name0, value0] = shards[0].split(/=(.*)/s);
    const flip = (value, at) => value.slice(0, at) + (value[at] === 'A' ? 'B' : 'A') + value.slice(at + 1);
    const last = shards.at(-1);
    const otherName = (await logIn({}, { target: '/other/start' })).shards
      .find((c) => c.startsWith('OtherSession-0='));
    assert.ok(otherName, 'the /other rule logs in with its own cookie name');
    const damaged = [
      ['one byte altered', [`${name0}=${flip(value0, 1000)}`, ...shards.slice(1)],
        'CookieAuthenticationFailed'],
      ['truncated', [...shards.slice(0, -1), last.slice(0, last.length - 3)], 'CookieBadBase64'],
      ['middle shard missing', [shards[0], ...shards.slice(2)], 'CookieShardMissing'],
      ['shard of another cookie name', [otherName.replace('OtherSession-0=', `${SESSION}-0=`)],
        'CookieAuthenticationFailed'],
    ];
    for (const [why, cookies, detail] of damaged) {
      // The default rule authenticates; a deny rule redirects too (ALB's quirk for stale cookies).
      for (const target of ['/headers', '/deny/x']) {
        const ua = tag();
        const res = await send(url(edgePort, target),
          { headers: { 'user-agent': ua, cookie: cookies.join('; ') } });
        assert.equal(res.status, 302, `${why} on ${target}: ${res.text}`);
        assert.ok(res.headers.location.startsWith(`${idp.issuer}/authorize?`), why);
        const entry = await logEntry(ua);
        assert.equal(entry.error_reason, 'AuthInvalidCookie', `${why}: ${JSON.stringify(entry)}`);
        assert.equal(entry.error_detail, detail, why);
      }
    }
  });

// A Cookie header past the session module's limits makes the session unusable (as a tampered
// one), not absent: logged, and a deny rule sends to the login as for any stale cookie.
test('an oversized shard is an unusable cookie: 302 and AuthInvalidCookie, also on a deny rule',
  async () => {
    const { shards } = await logIn({ claims: { blob: incompressible(5 * 1024) } });
    assert.ok(shards.length >= 2, 'two shards or more');
    const cookie = [shards[0], `${SESSION}-1=${'A'.repeat(4100)}`, ...shards.slice(2)].join('; ');
    const observed = [];
    for (const target of ['/headers', '/deny/x']) {
      const ua = tag();
      const res = await send(url(edgePort, target), { headers: { 'user-agent': ua, cookie } });
      const entry = await logEntry(ua);
      observed.push({ target, status: res.status, reason: entry.error_reason, detail: entry.error_detail });
    }
    assert.deepEqual(observed, ['/headers', '/deny/x'].map((target) => ({
      target, status: 302, reason: 'AuthInvalidCookie', detail: 'CookieHeaderTooLarge' })));
  });

test('a replayed callback reaches the IdP again, whose single-use code refuses it (561)',
  async () => {
    const login = await startLogin();
    const first = await callback(login);
    assert.equal(first.res.status, 302, first.res.text);
    const tokenCalls = idp.requests().filter((r) => r === 'POST /token').length;
    const replay = await callback(login, {}, { code: first.code });
    await expectLogged(replay.res, replay.ua, 561, 'AuthInvalidGrantError',
      'TokenInvalidGrant: invalid_grant');
    assert.equal(idp.requests().filter((r) => r === 'POST /token').length, tokenCalls + 1,
      'gatehouse keeps no record of used states: the replay is refused by the IdP');
  });

test('a forged or altered state is 401 AuthInvalidStateParam', async () => {
  const login = await startLogin();
  const bytes = Buffer.from(login.state, 'base64');
  bytes[bytes.length - 20] ^= 0x01;
  for (const state of [bytes.toString('base64'), crypto.randomBytes(180).toString('base64')]) {
    const { res, ua } = await callback({ ...login, state });
    await expectLogged(res, ua, 401, 'AuthInvalidStateParam', /^InvalidState/);
    assertErrorPage(res);
  }
});

test('a callback without the nonce cookie is 401 AuthMissingAWSALBAuthNonce', async () => {
  const login = await startLogin();
  const { res, ua } = await callback(login, {}, { cookie: 'unrelated=1' });
  await expectLogged(res, ua, 401, 'AuthMissingAWSALBAuthNonce', 'MissingNonceCookie');
  // The cookie of another login does not fit this state either.
  const other = await startLogin();
  const mixed = await callback(login, {}, { cookie: other.nonceCookie });
  await expectLogged(mixed.res, mixed.ua, 401, 'AuthInvalidAWSALBAuthNonce', 'NonceCookieMismatch');
});

// Starts a login with `requestTarget` (and `host`) sent as given, and completes it with a
// successful callback sent on `callbackHost`. Resolves to {first, res, ua} (first: the login
// redirect, res: the callback's answer).
async function loginThrough(requestTarget, { host, callbackHost = `localhost:${edgePort}` } = {}) {
  const first = await send(url(edgePort, '/'), { requestTarget,
    headers: { 'user-agent': tag(), ...(host ? { host } : {}) } });
  if (first.status !== 302) return { first };
  const location = new URL(first.headers.location);
  const nonceCookie = cookiePairs(first).find((c) => c.startsWith('AWSALBAuthNonce='));
  const code = idp.code({ authorize: location.searchParams });
  const state = encodeURIComponent(location.searchParams.get('state'));
  const ua = tag();
  const res = await send(url(edgePort, '/'), {
    requestTarget: `/oauth2/idpresponse?code=${code}&state=${state}`,
    headers: { 'user-agent': ua, host: callbackHost, cookie: nonceCookie } });
  return { first, res, ua };
}

test('a return URL that is not a plain path on this host comes back as a path on this host',
  async () => {
    const home = new URL(url(edgePort, '/'));
    for (const target of ['//evil.example/x', '///evil.example/x', '/\\evil.example',
      '/\\/evil.example/x', '/%2F%2Fevil.example', '/%5Cevil.example', '/./\\/evil.example']) {
      const { first, res } = await loginThrough(target);
      if (first.status !== 302) {
        // Refused outright: no login, so no redirect anywhere.
        assert.ok(first.status >= 400 && first.status < 500, `${target}: ${first.status}`);
        continue;
      }
      assert.equal(new URL(first.headers.location).searchParams.get('redirect_uri'),
        `${home.origin}/oauth2/idpresponse`, target);
      assert.equal(res.status, 302, `${target}: ${res.text}`);
      const back = res.headers.location;
      assert.ok(back.startsWith('/') && !back.startsWith('//') && !back.includes('\\'),
        `${target} -> ${back}`);
      assert.equal(new URL(back, home).origin, home.origin, `${target} -> ${back}`);
    }
  });

test('a login started for another host cannot be completed on this one', async () => {
  // The redirect URI is built from the request's host (Host, or the absolute-form target's
  // authority, RFC 9112 3.2.2), as ALB does; the state remembers it.
  for (const [target, host] of [['/x', 'evil.example'], ['https://evil.example/x', undefined]]) {
    const { first, res, ua } = await loginThrough(target, { host });
    assert.equal(first.status, 302, `${target}: ${first.text}`);
    assert.equal(new URL(first.headers.location).searchParams.get('redirect_uri'),
      'https://evil.example/oauth2/idpresponse', target);
    await expectLogged(res, ua, 401, 'AuthInvalidStateParam', /^StateHostMismatch/);
  }
});
