// AuthorizationPolicy through the gateway (issue 4): the reference article's setup end to end
// (RequestAuthentication on x-amzn-oidc-accesstoken, keys served by nginx, tokens minted by npm
// jose, /status/200 open to anyone, everything else for the httpbin group), DENY over ALLOW, a
// dry-run DENY that must not deny, an allow-nothing policy, and bypass attempts against the
// /status/200 exemption sent as raw bytes.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { freePort, request, waitForHttp } from './lib/harness.mjs';
import { startGateway, startHttpbin, writeConfig } from './lib/gateway.mjs';
import { startNginx, writePublicFile } from './lib/nginx.mjs';
import { importTestPackage } from './lib/npm.mjs';
import {
  ISSUER, LOCKED_HOST, OTHER_ISSUER, TOKEN_HEADER, authzConfig, createIdp, describe,
  fromUpstream, isStatus200Answer, rawGet, rawResponses,
} from './lib/authz_fixtures.mjs';

const jose = await importTestPackage('jose');
const RBAC_DENIED = 'RBAC: access denied';
const FORMAT_MESSAGE = 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections';

let httpbin, nginx, gateway, port, idp;

const get = (p, headers = {}) => request({ port, path: p, headers });
const withToken = (t, extra = {}) => ({ [TOKEN_HEADER]: t, ...extra });

before(async () => {
  idp = await createIdp(jose);
  httpbin = await startHttpbin();
  const jwksPort = await freePort();
  let jwksDir;
  ({ dir: jwksDir, process: nginx } = startNginx((dir) => `
  server {
    listen 127.0.0.1:${jwksPort};
    location / { root ${dir}; }
  }`));
  writePublicFile(path.join(jwksDir, 'jwks.json'), idp.jwks);
  await waitForHttp(`http://127.0.0.1:${jwksPort}/jwks.json`, { process: nginx });
  port = await freePort();
  const configDir = writeConfig(authzConfig({
    listenPort: port, httpbinPort: httpbin.port, jwksUri: `http://127.0.0.1:${jwksPort}/jwks.json`,
  }));
  gateway = await startGateway({ configDir, listenPort: port });
  // The key set is fetched in the background after start: wait (bounded) until a good token
  // verifies, so the first tests do not race the fetch. The tests themselves say what failed.
  const good = await idp.mint();
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline) {
    const res = await get('/headers', withToken(good));
    if (res.text !== 'Jwks remote fetch is failed') break;
    await new Promise((r) => setTimeout(r, 200));
  }
});

after(async () => {
  await gateway?.process.stop();
  await nginx?.stop();
  await httpbin?.process.stop();
});

function assertRbacDenied(res, what) {
  assert.equal(res.status, 403, `${what}: expected 403 RBAC, got ${res.status} ${JSON.stringify(res.text)}`);
  assert.equal(res.text, RBAC_DENIED, what);
  assert.match(res.headers['content-type'] ?? '', /^text\/plain/, `${what}: content-type`);
  assert.equal(res.headers['www-authenticate'], undefined, `${what}: no www-authenticate on a 403 RBAC`);
  assert.equal(res.headers['access-control-allow-credentials'], undefined, `${what}: answered by the upstream`);
  // Explanations go into a response header only when MeshConfig enables it for trusted peers.
  for (const [name, value] of Object.entries(res.headers)) {
    assert.doesNotMatch(String(value), /foo\/httpbin|no ALLOW rule|nearest/, `${what}: header ${name} explains the decision`);
  }
}

function assertUpstream200(res, what) {
  assert.equal(res.status, 200, `${what}: expected 200, got ${res.status} ${JSON.stringify(res.text)}`);
  assert.ok(res.headers['access-control-allow-credentials'] !== undefined, `${what}: not from httpbin`);
}

// ---------------------------------------------------------------------------------------------
// 1. The reference article's setup.

test('article: /status/200 without a token is 200 (open to anyone)', async () => {
  const res = await get('/status/200');
  assertUpstream200(res, 'GET /status/200');
  assert.equal(res.text, '');
});

test('article: /headers without a token is 403 RBAC: access denied', async () => {
  assertRbacDenied(await get('/headers'), 'GET /headers, no token');
});

test('article: other paths without a token are 403 too (/get, /anything, /status/201, /)', async () => {
  for (const p of ['/get', '/anything', '/anything/status/200', '/status/201', '/', '/nope']) {
    assertRbacDenied(await get(p), `GET ${p}, no token`);
  }
});

test('article: a token with groups [httpbin, everyone] is 200 and httpbin sees the token', async () => {
  const t = await idp.mint({ claims: { groups: ['httpbin', 'everyone'] } });
  const res = await get('/headers', withToken(t));
  assertUpstream200(res, 'GET /headers, groups [httpbin, everyone]');
  assert.equal(JSON.parse(res.text).headers['X-Amzn-Oidc-Accesstoken'], t, 'forwardOriginalToken');
});

test('article: a token with groups [everyone] is 403 RBAC: access denied', async () => {
  const t = await idp.mint({ claims: { groups: ['everyone'] } });
  assertRbacDenied(await get('/headers', withToken(t)), 'GET /headers, groups [everyone]');
});

test('article: a token with groups as the plain string "httpbin" is 200', async () => {
  const t = await idp.mint({ claims: { groups: 'httpbin' } });
  assertUpstream200(await get('/headers', withToken(t)), 'GET /headers, groups "httpbin"');
});

test('article: a token without a groups claim, or groups of other types, is 403', async () => {
  const cases = {
    'no groups': {},
    'groups "httpbin everyone" (not split)': { groups: 'httpbin everyone' },
    'groups [["httpbin"]] (nested list)': { groups: [['httpbin']] },
    'groups {httpbin: true} (object)': { groups: { httpbin: true } },
    'groups ["HTTPBIN"] (case)': { groups: ['HTTPBIN'] },
  };
  for (const [name, claims] of Object.entries(cases)) {
    assertRbacDenied(await get('/headers', withToken(await idp.mint({ claims }))), `GET /headers, ${name}`);
  }
});

test('article: an expired token is 401 Jwt is expired (authn runs before authz)', async () => {
  const t = await idp.mint({ exp: Math.floor(Date.now() / 1000) - 600 });
  for (const p of ['/headers', '/status/200']) {
    const res = await get(p, withToken(t));
    assert.equal(res.status, 401, `GET ${p}, expired token: ${res.status} ${res.text}`);
    assert.equal(res.text, 'Jwt is expired');
    assert.match(res.headers['www-authenticate'] ?? '', /error="invalid_token"/);
  }
});

test('article: a token from another issuer signed by an unknown key is 401', async () => {
  const t = await idp.mint({ iss: OTHER_ISSUER, kid: 'rogue' });
  const res = await get('/headers', withToken(t));
  assert.equal(res.status, 401, `${res.status} ${res.text}`);
  assert.equal(res.text, 'Jwt issuer is not configured');
  assert.match(res.headers['www-authenticate'] ?? '', /error="invalid_token"/);
});

test('article: a token of the issuer signed by an unknown key is 401', async () => {
  const t = await idp.mint({ kid: 'k1', signer: 'rogue' });
  const res = await get('/headers', withToken(t));
  assert.equal(res.status, 401, `${res.status} ${res.text}`);
  assert.equal(res.text, 'Jwt verification fails');
});

test('article: a good token in a header the rule does not list is ignored: 403', async () => {
  const t = await idp.mint();
  assertRbacDenied(await get('/headers', { authorization: `Bearer ${t}` }), 'token in Authorization');
});

test('article: a good token opens other paths too (/get, /anything/x, /status/201)', async () => {
  const t = await idp.mint();
  for (const p of ['/get', '/anything/x', '/status/201']) {
    const res = await get(p, withToken(t));
    assert.ok(fromUpstream(res) && res.status !== 403, `GET ${p} with token: ${res.status} ${res.text}`);
  }
});

// ---------------------------------------------------------------------------------------------
// 2. DENY, dry-run, allow-nothing.

test('deny: DENY wins over ALLOW: subject mallory with the httpbin group is 403', async () => {
  const mallory = await idp.mint({ sub: 'mallory' });
  assertRbacDenied(await get('/headers', withToken(mallory)), 'GET /headers as mallory');
  assertUpstream200(await get('/headers', withToken(await idp.mint({ sub: 'bob' }))), 'GET /headers as bob');
});

test('deny: DENY wins over the open /status/200: x-block: yes is 403, without it 200', async () => {
  assertRbacDenied(await get('/status/200', { 'x-block': 'yes' }), 'GET /status/200 x-block: yes');
  assertRbacDenied(await get('/status/200', withToken(await idp.mint(), { 'x-block': 'yes' })),
    'GET /status/200 x-block: yes with a good token');
  assertUpstream200(await get('/status/200', { 'x-block': 'no' }), 'GET /status/200 x-block: no');
});

test('dry-run: a DENY policy annotated istio.io/dry-run: "true" does not deny', async () => {
  const h = { 'x-dry-run-deny': 'yes' };
  assertUpstream200(await get('/status/200', h), 'GET /status/200 x-dry-run-deny: yes');
  assertUpstream200(await get('/headers', withToken(await idp.mint(), h)), 'GET /headers x-dry-run-deny: yes with token');
  // ...and it does not turn the ALLOW policies off either.
  assertRbacDenied(await get('/headers', h), 'GET /headers x-dry-run-deny: yes without token');
});

test('allow-nothing: an ALLOW policy without rules denies everything on its workload', async () => {
  const t = await idp.mint();
  const locked = (p, headers = {}) => request({ port, path: p, headers: { host: LOCKED_HOST, ...headers } });
  assertRbacDenied(await locked('/status/200'), `GET /status/200 Host ${LOCKED_HOST}`);
  assertRbacDenied(await locked('/headers'), `GET /headers Host ${LOCKED_HOST}`);
  assertRbacDenied(await locked('/headers', withToken(t)), `GET /headers Host ${LOCKED_HOST} with token`);
  assertRbacDenied(await locked('/status/200', withToken(t)), `GET /status/200 Host ${LOCKED_HOST} with token`);
  // The policy selects app: locked only: the httpbin workload is unaffected.
  assertUpstream200(await get('/status/200'), 'GET /status/200 default host');
});

// ---------------------------------------------------------------------------------------------
// 4. Forged or garbage tokens.

test('garbage: a forged x-amzn-oidc-accesstoken is 401 on /headers', async () => {
  for (const value of ['garbage', 'Bearer x.y.z', 'eyJhbGciOiJub25lIn0.eyJncm91cHMiOlsiaHR0cGJpbiJdfQ.']) {
    const res = await get('/headers', withToken(value));
    assert.equal(res.status, 401, `GET /headers ${TOKEN_HEADER}: ${value}: ${res.status} ${res.text}`);
    assert.match(res.headers['www-authenticate'] ?? '', /error="invalid_token"/);
  }
  assert.equal((await get('/headers', withToken('garbage'))).text, FORMAT_MESSAGE);
});

test('garbage: /status/200 with a garbage token is 401 although anonymous access is allowed', async () => {
  const res = await get('/status/200', withToken('garbage'));
  assert.equal(res.status, 401, `${res.status} ${res.text}`);
  assert.equal(res.text, FORMAT_MESSAGE);
  const t = await idp.mint();
  const tampered = t.slice(0, -4) + (t.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  const res2 = await get('/status/200', withToken(tampered));
  assert.equal(res2.status, 401, `tampered: ${res2.status} ${res2.text}`);
  assert.equal(res2.text, 'Jwt verification fails');
});

test('garbage: an unsigned (alg none) token claiming the group is 401, never 200', async () => {
  const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify({
    iss: ISSUER, sub: 'alice', groups: ['httpbin'], exp: Math.floor(Date.now() / 1000) + 300,
  })).toString('base64url');
  const res = await get('/headers', withToken(`${header}.${payload}.`));
  assert.equal(res.status, 401, `${res.status} ${res.text}`);
});

// ---------------------------------------------------------------------------------------------
// 3. Bypass attempts against the /status/200 exemption, as raw bytes. Each must answer 400,
// 403 (RBAC) or 404 from the gateway, or httpbin's own answer to /status/200 (200, empty body):
// anything else from httpbin means the gateway let another path through unauthenticated.
// `allow: true` marks the few that are /status/200 (the query is not the path) and must pass.

const H = '127.0.0.1';
const bypasses = [
  // controls: the raw helper sees what the HTTP client saw
  { name: 'control: plain /status/200', bytes: rawGet('/status/200'), allow: true },
  { name: 'control: plain /headers', bytes: rawGet('/headers') },
  // dot segments
  { name: 'dot segments', bytes: rawGet('/status/200/../../headers') },
  { name: 'dot segments to /anything', bytes: rawGet('/status/200/../../anything') },
  { name: 'dot segments above the root', bytes: rawGet('/status/200/../../../headers') },
  { name: 'dot segment with ./', bytes: rawGet('/status/200/./../../get') },
  { name: 'dot segments after //', bytes: rawGet('/status/200//../../headers') },
  { name: 'trailing /..', bytes: rawGet('/status/200/..') },
  { name: 'trailing /.', bytes: rawGet('/status/200/.') },
  { name: 'dots with encoded slashes %2F', bytes: rawGet('/status/200/..%2F..%2Fheaders') },
  { name: 'dots with encoded slashes %2f', bytes: rawGet('/status/200/..%2f..%2fheaders') },
  { name: 'all encoded %2E%2E%2F', bytes: rawGet('/status/200/%2E%2E%2F%2E%2E%2Fheaders') },
  // encoded dots
  { name: 'encoded dots %2e%2e', bytes: rawGet('/status/200/%2e%2e/%2e%2e/headers') },
  { name: 'encoded dots %2E%2E', bytes: rawGet('/status/200/%2E%2E/%2E%2E/get') },
  { name: 'half encoded .%2e', bytes: rawGet('/status/200/.%2e/.%2e/headers') },
  { name: 'half encoded %2E.', bytes: rawGet('/status/200/%2E./%2e./headers') },
  { name: 'encoded dots in /status/..', bytes: rawGet('/status/%2e%2e/headers') },
  { name: 'trailing %2e', bytes: rawGet('/status/200%2e') },
  { name: 'double encoded %252e', bytes: rawGet('/status/200/%252e%252e/%252e%252e/headers') },
  // encoded slashes
  { name: 'encoded slash %2F in /status%2F200', bytes: rawGet('/status%2F200') },
  { name: 'encoded slash %2f in /status%2f200', bytes: rawGet('/status%2f200') },
  { name: 'encoded slash trailing %2F', bytes: rawGet('/status/200%2F') },
  { name: 'encoded slashes after 200', bytes: rawGet('/status/200%2F..%2F..%2Fheaders') },
  { name: 'encoded slashes before /status/200', bytes: rawGet('/headers%2F..%2Fstatus%2F200') },
  // backslashes
  { name: 'backslashes', bytes: rawGet('/status/200\\..\\..\\headers') },
  { name: 'backslash for the separator', bytes: rawGet('/status\\200') },
  { name: 'backslash dots leading back to /status/200', bytes: rawGet('/headers\\..\\status\\200') },
  { name: 'encoded backslash %5C', bytes: rawGet('/status/200%5C..%5C..%5Cheaders') },
  { name: 'encoded backslash %5c', bytes: rawGet('/status/200%5c..%5c..%5cheaders') },
  { name: 'leading backslash', bytes: rawGet('\\status\\200') },
  // doubled slashes
  { name: 'leading //', bytes: rawGet('//status/200') },
  { name: 'inner //', bytes: rawGet('/status//200') },
  { name: 'trailing //', bytes: rawGet('/status/200//') },
  { name: '//headers', bytes: rawGet('//headers') },
  { name: '//host-like path', bytes: rawGet(`//${H}/headers`) },
  // ; parameters
  { name: '; then dot segments', bytes: rawGet('/status/200;/../headers') },
  { name: '; then two dot segments', bytes: rawGet('/status/200;/../../headers') },
  { name: '; parameter', bytes: rawGet('/status/200;x=y') },
  { name: '; in the middle', bytes: rawGet('/status;/200') },
  { name: '..; segment', bytes: rawGet('/..;/headers') },
  { name: 'encoded ; %3B then dots', bytes: rawGet('/status/200%3B/../../headers') },
  // case changes
  { name: 'upper case /STATUS/200', bytes: rawGet('/STATUS/200') },
  { name: 'capitalised /Status/200', bytes: rawGet('/Status/200') },
  { name: 'encoded upper case %53TATUS', bytes: rawGet('/%53TATUS/200') },
  { name: 'encoded unreserved %73tatus (is /status/200)', bytes: rawGet('/%73tatus/%32%30%30') },
  // trailing characters
  { name: 'trailing /', bytes: rawGet('/status/200/') },
  { name: 'trailing 0', bytes: rawGet('/status/2000') },
  { name: 'trailing .', bytes: rawGet('/status/200.') },
  { name: 'trailing %20', bytes: rawGet('/status/200%20') },
  { name: 'trailing %00', bytes: rawGet('/status/200%00') },
  { name: 'trailing %09', bytes: rawGet('/status/200%09') },
  { name: 'trailing ,headers', bytes: rawGet('/status/200,401') },
  { name: 'trailing ?', bytes: rawGet('/status/200?'), allow: true },
  { name: 'trailing raw space before version', bytes: `GET /status/200  HTTP/1.1\r\nHost: ${H}\r\nConnection: close\r\n\r\n` },
  { name: 'raw NUL in the target', bytes: rawGet('/status/200\x00/../../headers') },
  // absolute-form request targets
  { name: 'absolute-form with dots', bytes: rawGet(`http://${H}/status/200/../headers`) },
  { name: 'absolute-form with two dot segments', bytes: rawGet(`http://${H}/status/200/../../headers`) },
  { name: 'absolute-form /headers', bytes: rawGet(`http://${H}/headers`) },
  { name: 'absolute-form https /headers', bytes: rawGet(`https://${H}/headers`) },
  { name: 'absolute-form upper-case scheme', bytes: rawGet(`HTTP://${H}/headers`) },
  { name: 'absolute-form with encoded slashes', bytes: rawGet(`http://${H}/status/200/..%2F..%2Fheaders`) },
  { name: 'absolute-form with userinfo', bytes: rawGet(`http://user@${H}/headers`) },
  { name: 'absolute-form path after @', bytes: rawGet(`http://${H}/status/200@${H}/headers`) },
  { name: 'absolute-form with query only', bytes: rawGet(`http://${H}?/status/200`) },
  { name: 'absolute-form /status/200 (is /status/200)', bytes: rawGet(`http://${H}/status/200`) },
  { name: 'absolute-form other authority, dots', bytes: rawGet('http://evil.example/status/200/../../headers') },
  { name: 'absolute-form to the locked host', bytes: rawGet(`http://${LOCKED_HOST}/status/200`) },
  { name: 'scheme-relative-like http:/', bytes: rawGet('http:/status/200/../../headers') },
  { name: 'asterisk-form', bytes: rawGet('*') },
  { name: 'authority-form on GET', bytes: rawGet(`${H}:80`) },
  // fragments
  { name: 'fragment with dots', bytes: rawGet('/status/200#/../headers') },
  { name: 'fragment hiding the path', bytes: rawGet('/headers#/status/200') },
  { name: 'encoded fragment %23 with dots', bytes: rawGet('/status/200%23/../../headers') },
  // query tricks
  { name: 'query holding /status/200', bytes: rawGet('/headers?/status/200') },
  { name: 'query parameter holding /status/200', bytes: rawGet('/headers?x=/status/200') },
  { name: 'query with dots (is /status/200)', bytes: rawGet('/status/200?x=/../headers'), allow: true },
  { name: 'query of dots (is /status/200)', bytes: rawGet('/status/200?/../../headers'), allow: true },
  { name: 'encoded ? %3F', bytes: rawGet('/headers%3F/status/200') },
  { name: 'access_token query parameter with garbage', bytes: rawGet('/headers?access_token=garbage') },
  // unicode / overlong encodings
  { name: 'overlong %c0%ae%c0%ae', bytes: rawGet('/status/200/%c0%ae%c0%ae/%c0%ae%c0%ae/headers') },
  { name: 'overlong dots and slash %c0%af', bytes: rawGet('/status/200/%c0%ae%c0%ae%c0%af%c0%ae%c0%ae%c0%afheaders') },
  { name: 'overlong 3-byte %e0%80%ae', bytes: rawGet('/status/200/%e0%80%ae%e0%80%ae/%e0%80%ae%e0%80%ae/headers') },
  { name: '%u002e IIS encoding', bytes: rawGet('/status/200/%u002e%u002e/%u002e%u002e/headers') },
  { name: 'raw UTF-8 two-dot leader', bytes: rawGet(Buffer.from('/status/200/\u2025/\u2025/headers').toString('latin1')) },
  { name: 'raw UTF-8 fullwidth digits', bytes: rawGet(Buffer.from('/status/\uff12\uff10\uff10').toString('latin1')) },
  { name: 'raw UTF-8 fullwidth solidus', bytes: rawGet(Buffer.from('/status/200\uff0f..\uff0f..\uff0fheaders').toString('latin1')) },
  // tabs and whitespace
  { name: 'raw tab in the target', bytes: `GET /status/200\t/../../headers HTTP/1.1\r\nHost: ${H}\r\nConnection: close\r\n\r\n` },
  { name: 'tab as request-line separator', bytes: `GET\t/headers\tHTTP/1.1\r\nHost: ${H}\r\nConnection: close\r\n\r\n` },
  { name: 'encoded tab %09 then dots', bytes: rawGet('/status/200%09/../../headers') },
  { name: 'space inside the target', bytes: `GET /status/200 /../../headers HTTP/1.1\r\nHost: ${H}\r\nConnection: close\r\n\r\n` },
  { name: 'bare LF line endings', bytes: `GET /status/200/../../headers HTTP/1.1\nHost: ${H}\nConnection: close\n\n` },
  // Host header games
  { name: 'two Host headers', bytes: rawGet('/headers', { headers: [`Host: ${H}`] }) },
  { name: 'two Host headers, locked first', bytes: rawGet('/status/200', { host: LOCKED_HOST, headers: [`Host: ${H}`] }) },
  { name: 'Host with a path', bytes: rawGet('/headers', { host: `${H}/status/200` }) },
  { name: 'Host with a fragment', bytes: rawGet('/headers', { host: `${H}#/status/200` }) },
  { name: 'Host folded onto the next line (obs-fold)', bytes: rawGet('/headers', { host: H, headers: [' /status/200'] }) },
  { name: 'no Host in HTTP/1.1', bytes: rawGet('/headers', { host: null }) },
  { name: 'no Host in HTTP/1.0', bytes: rawGet('/headers', { host: null, version: 'HTTP/1.0' }) },
  // methods and request lines
  { name: 'lower-case method with dots', bytes: rawGet('/status/200/../../headers', { method: 'get' }) },
  { name: 'HTTP/0.9 request line', bytes: 'GET /headers\r\n\r\n' },
  { name: 'unknown version', bytes: rawGet('/headers', { version: 'HTTP/2.0' }) },
  { name: 'POST to /status/200/../headers', bytes: rawGet('/status/200/../../headers', { method: 'POST', headers: ['Content-Length: 0'] }) },
  // headers that some backends treat as the path
  { name: 'X-Original-URL header', bytes: rawGet('/status/200', { headers: ['X-Original-URL: /headers', 'X-Rewrite-URL: /headers'] }) },
  { name: ':path pseudo header', bytes: rawGet('/status/200', { headers: [':path: /headers'] }) },
  { name: 'X-HTTP-Method-Override', bytes: rawGet('/status/200', { headers: ['X-HTTP-Method-Override: GET', 'X-Forwarded-Prefix: /headers'] }) },
  // several requests on one connection
  {
    name: 'pipelined /status/200 then /headers',
    bytes: `GET /status/200 HTTP/1.1\r\nHost: ${H}\r\n\r\n${rawGet('/headers')}`,
    count: 2,
  },
  {
    name: 'chunked body smuggling GET /headers after POST /status/200',
    bytes: `POST /status/200 HTTP/1.1\r\nHost: ${H}\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${rawGet('/headers')}`,
  },
  {
    name: 'Content-Length and Transfer-Encoding both (CL.TE)',
    bytes: `POST /status/200 HTTP/1.1\r\nHost: ${H}\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${rawGet('/headers')}`,
  },
  {
    name: 'two Content-Length headers',
    bytes: `POST /status/200 HTTP/1.1\r\nHost: ${H}\r\nContent-Length: 0\r\nContent-Length: 44\r\n\r\n${rawGet('/headers')}`,
  },
];

const printable = (s) => s.replace(/[\x00-\x1f\x7f-\xff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

for (const c of bypasses) {
  const firstLine = printable(c.bytes.slice(0, c.bytes.search(/\r?\n/)));
  test(`bypass: ${c.name} [${firstLine}]`, async (t) => {
    const { responses, text, closed } = await rawResponses(port, c.bytes);
    t.diagnostic(`responses: ${responses.map(describe).join(' | ') || '(none)'}`);
    assert.ok(responses.length > 0,
      `no HTTP response (connection ${closed ? 'closed' : 'left open'}): ${JSON.stringify(text.slice(0, 200))}`);
    if (c.count) assert.equal(responses.length, c.count, `expected ${c.count} responses: ${responses.map(describe).join(' | ')}`);
    for (const [i, res] of responses.entries()) {
      const where = `response ${i + 1} of ${responses.length}: ${describe(res)}`;
      if (fromUpstream(res)) {
        assert.ok(isStatus200Answer(res), `the upstream served something other than /status/200: ${where}`);
      } else {
        assert.ok([400, 403, 404].includes(res.status), `unexpected gateway status: ${where}`);
        if (res.status === 403) assert.equal(res.body, RBAC_DENIED, where);
      }
    }
    if (c.allow) assert.ok(isStatus200Answer(responses[0]), `this is /status/200 and must pass: ${describe(responses[0])}`);
  });
}

test('bypass: at least 40 variants are checked', () => {
  assert.ok(bypasses.filter((c) => !c.name.startsWith('control:')).length >= 40);
});
