// `gatehouse check` (issue 4): the reference article's configuration checked offline, one
// request at a time (--request, --header, --token with --jwks FILE, --claims, --source-ip) and
// from a file of cases (--cases), with exit codes 0 (allowed / every case passed), 1 (denied /
// a case failed), 2 (usage, configuration or cases-file error). Then the same requests sent to a
// running gateway with the same configuration: check must predict every answer, because both
// run the same routing, authn and authz code.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { freePort, request, waitForHttp } from './lib/harness.mjs';
import { gatehouseBin, startGateway, startHttpbin, writeConfig } from './lib/gateway.mjs';
import { startNginx, writePublicFile } from './lib/nginx.mjs';
import { importTestPackage } from './lib/npm.mjs';
import {
  ISSUER, LOCKED_HOST, TOKEN_HEADER, authzConfig, createIdp, fromUpstream, rawGet, rawResponses,
} from './lib/authz_fixtures.mjs';

const jose = await importTestPackage('jose');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-check-'));
const jwksFile = path.join(dir, 'jwks.json');
// The listener port the offline configuration names; nothing listens there.
const PORT = 18080;
const BASE = `http://127.0.0.1:${PORT}`;

let idp, configDir, configFile, keyServer, keyServerHits = 0;

// spawnSync would block the event loop, and with it the key server this test watches.
function gatehouse(...args) {
  return new Promise((resolve) => {
    const child = spawn(gatehouseBin, args);
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
    child.on('error', (error) => { stderr += String(error); });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, out: stdout + stderr });
    });
  });
}

const check = (...args) => gatehouse('check', '-c', configDir, ...args);
const show = (r) => `exit ${r.code}\n--- stdout ---\n${r.stdout}--- stderr ---\n${r.stderr}`;
const claims = (extra) => JSON.stringify({ iss: ISSUER, sub: 'alice', ...extra });

// The value printed on one step line ("authz     denied: ..."), or undefined.
function step(out, name) {
  const m = new RegExp(`^${name} +(.*)$`, 'm').exec(out);
  return m ? m[1] : undefined;
}

before(async () => {
  idp = await createIdp(jose);
  fs.writeFileSync(jwksFile, idp.jwks);
  // A key server that counts requests: check is offline and must never fetch jwksUri.
  keyServer = http.createServer((req, res) => { keyServerHits += 1; res.end(idp.jwks); });
  await new Promise((r) => keyServer.listen(0, '127.0.0.1', r));
  configDir = writeConfig(authzConfig({
    listenPort: PORT, httpbinPort: 18000, jwksUri: `http://127.0.0.1:${keyServer.address().port}/keys`,
  }));
  configFile = path.join(configDir, 'config.yaml');
});

after(() => keyServer?.close());

// ---------------------------------------------------------------------------------------------
// 1. One request.

test('check: /status/200 without a token is allowed by foo/httpbin-health (exit 0)', async () => {
  const r = await check('--request', `GET ${BASE}/status/200`);
  assert.equal(r.code, 0, show(r));
  assert.match(step(r.stdout, 'authz') ?? '', /^allowed: matched an ALLOW rule \(foo\/httpbin-health rule 0\)/, show(r));
  assert.match(step(r.stdout, 'route') ?? '', /VirtualService\/foo\/httpbin/, show(r));
  assert.match(step(r.stdout, 'workload') ?? '', /foo \{app=httpbin\}/, show(r));
  assert.match(step(r.stdout, 'authn') ?? '', /no token/, show(r));
  assert.equal(step(r.stdout, 'result'), 'forwarded', show(r));
});

test('check: /headers without a token is denied 403, naming the nearest rule and from.requestPrincipals (exit 1)', async () => {
  const r = await check('--request', `GET ${BASE}/headers`);
  assert.equal(r.code, 1, show(r));
  const authz = step(r.stdout, 'authz') ?? '';
  assert.match(authz, /^denied: no ALLOW rule matched \(nearest: foo\/httpbin-group rule 0, failed at from\.requestPrincipals\)/, show(r));
  assert.equal(step(r.stdout, 'result'), '403 denied', show(r));
});

test('check: --claims with groups [everyone] is denied, naming request.auth.claims[groups] (exit 1)', async () => {
  const r = await check('--request', `GET ${BASE}/headers`, '--claims', claims({ groups: ['everyone'] }));
  assert.equal(r.code, 1, show(r));
  assert.match(step(r.stdout, 'authn') ?? '', /claims taken on trust: iss=https:\/\/idp\.example\/oauth2\/default sub=alice/, show(r));
  assert.match(step(r.stdout, 'authz') ?? '', /nearest: foo\/httpbin-group rule 0, failed at when request\.auth\.claims\[groups\]/, show(r));
  assert.equal(step(r.stdout, 'result'), '403 denied', show(r));
});

test('check: --claims with groups [httpbin] is allowed by foo/httpbin-group (exit 0)', async () => {
  for (const groups of [['httpbin'], ['everyone', 'httpbin'], 'httpbin']) {
    const r = await check('--request', `GET ${BASE}/headers`, '--claims', claims({ groups }));
    assert.equal(r.code, 0, `groups ${JSON.stringify(groups)}: ${show(r)}`);
    assert.match(step(r.stdout, 'authz') ?? '', /^allowed: matched an ALLOW rule \(foo\/httpbin-group rule 0\)/, show(r));
  }
});

test('check: --token signed by jose verifies against --jwks FILE and is allowed (exit 0)', async () => {
  const r = await check('--request', `GET ${BASE}/headers`, '--token', await idp.mint(), '--jwks', jwksFile);
  assert.equal(r.code, 0, show(r));
  assert.match(step(r.stdout, 'authn') ?? '', /^verified: iss=https:\/\/idp\.example\/oauth2\/default sub=alice/, show(r));
  assert.match(step(r.stdout, 'authz') ?? '', /^allowed: matched an ALLOW rule \(foo\/httpbin-group rule 0\)/, show(r));
});

test('check: a verified token without the group is denied at the groups claim (exit 1)', async () => {
  const t = await idp.mint({ claims: { groups: ['everyone'] } });
  const r = await check('--request', `GET ${BASE}/headers`, '--token', t, '--jwks', jwksFile);
  assert.equal(r.code, 1, show(r));
  assert.match(step(r.stdout, 'authn') ?? '', /^verified:/, show(r));
  assert.match(step(r.stdout, 'authz') ?? '', /failed at when request\.auth\.claims\[groups\]/, show(r));
});

test('check: an expired token is 401 Jwt is expired (exit 1)', async () => {
  const t = await idp.mint({ exp: Math.floor(Date.now() / 1000) - 600 });
  const r = await check('--request', `GET ${BASE}/status/200`, '--token', t, '--jwks', jwksFile);
  assert.equal(r.code, 1, show(r));
  assert.match(step(r.stdout, 'authn') ?? '', /rejected: Jwt is expired/, show(r));
  assert.equal(step(r.stdout, 'result'), '401 denied', show(r));
});

test('check: a token signed by a key the --jwks file lacks is 401 Jwt verification fails (exit 1)', async () => {
  const t = await idp.mint({ kid: 'k1', signer: 'rogue' });
  const r = await check('--request', `GET ${BASE}/headers`, '--token', t, '--jwks', jwksFile);
  assert.equal(r.code, 1, show(r));
  assert.match(step(r.stdout, 'authn') ?? '', /rejected: Jwt verification fails/, show(r));
});

test('check: a token without --jwks is 401 with the hint that the keys are remote (exit 1)', async () => {
  const r = await check('--request', `GET ${BASE}/headers`, '--token', await idp.mint());
  assert.equal(r.code, 1, show(r));
  assert.match(step(r.stdout, 'authn') ?? '', /rejected: Jwks remote fetch is failed/, show(r));
  assert.match(step(r.stdout, 'hint') ?? '', /keys are remote: pass --jwks FILE/, show(r));
  assert.equal(step(r.stdout, 'result'), '401 denied', show(r));
});

test('check: DENY wins: subject mallory with the group, and /status/200 with x-block: yes (exit 1)', async () => {
  const mallory = await check('--request', `GET ${BASE}/headers`, '--token', await idp.mint({ sub: 'mallory' }),
    '--jwks', jwksFile);
  assert.equal(mallory.code, 1, show(mallory));
  assert.match(step(mallory.stdout, 'authz') ?? '', /^denied: matched a DENY rule \(foo\/httpbin-deny rule 0\)/, show(mallory));
  assert.equal(step(mallory.stdout, 'result'), '403 denied', show(mallory));

  const blocked = await check('--request', `GET ${BASE}/status/200`, '-H', 'x-block: yes');
  assert.equal(blocked.code, 1, show(blocked));
  assert.match(step(blocked.stdout, 'authz') ?? '', /^denied: matched a DENY rule \(foo\/httpbin-deny rule 1\)/, show(blocked));

  const notBlocked = await check('--request', `GET ${BASE}/status/200`, '--header', 'x-block: no');
  assert.equal(notBlocked.code, 0, show(notBlocked));
});

test('check: a dry-run DENY is reported but does not deny; allow-nothing denies the locked workload', async () => {
  const dry = await check('--request', `GET ${BASE}/status/200`, '-H', 'x-dry-run-deny: yes');
  assert.equal(dry.code, 0, show(dry));
  assert.match(step(dry.stdout, 'authz') ?? '',
    /^allowed: matched an ALLOW rule \(foo\/httpbin-health rule 0\); dry-run: denied: matched a DENY rule \(foo\/httpbin-dry-run-deny rule 0\)/, show(dry));

  for (const args of [['--request', `GET http://${LOCKED_HOST}:${PORT}/status/200`],
    ['--request', `GET ${BASE}/status/200`, '-H', `Host: ${LOCKED_HOST}`]]) {
    const r = await check(...args);
    assert.equal(r.code, 1, show(r));
    assert.match(step(r.stdout, 'workload') ?? '', /foo \{app=locked\}/, show(r));
    assert.match(step(r.stdout, 'authz') ?? '', /^denied: no ALLOW rule matched/, show(r));
  }
});

test('check: --source-ip is accepted for a valid address', async () => {
  const r = await check('--request', `GET ${BASE}/status/200`, '--source-ip', '10.1.2.3');
  assert.equal(r.code, 0, show(r));
});

test('check: never fetches the configuration\'s jwksUri (it is offline)', async () => {
  await check('--request', `GET ${BASE}/headers`, '--token', await idp.mint());
  await check('--request', `GET ${BASE}/headers`, '--token', await idp.mint(), '--jwks', jwksFile);
  assert.equal(keyServerHits, 0, 'check fetched the jwksUri');
});

// ---------------------------------------------------------------------------------------------
// 2. Usage and configuration errors: exit 2, a clear message on stderr, no verdict on stdout.

async function assertUsage(args, message, what) {
  const r = await gatehouse('check', ...args);
  assert.equal(r.code, 2, `${what}: ${show(r)}`);
  assert.match(r.stderr, message, `${what}: ${show(r)}`);
  assert.doesNotMatch(r.stdout, /^result /m, `${what}: printed a verdict: ${show(r)}`);
}

test('usage: neither --request nor --cases', async () => {
  await assertUsage(['-c', configDir], /needs --request or --cases/, 'no --request');
});

test('usage: both --request and --cases, or --token and --claims', async () => {
  await assertUsage(['-c', configDir, '--request', `GET ${BASE}/`, '--cases', path.join(dir, 'x.yaml')],
    /--request excludes --cases/, '--request and --cases');
  await assertUsage(['-c', configDir, '--request', `GET ${BASE}/`, '--token', 'a.b.c', '--claims', '{}'],
    /--token excludes --claims/, '--token and --claims');
});

test('usage: a request line that is not METHOD URL', async () => {
  await assertUsage(['-c', configDir, '--request', 'GET'], /--request wants 'METHOD URL', got "GET"/, 'one word');
  await assertUsage(['-c', configDir, '--request', `GET ${BASE}/ HTTP/1.1`], /--request wants 'METHOD URL'/, 'three words');
  await assertUsage(['-c', configDir, '--request', 'GET /headers'], /not an http\(s\) URL with a host: \/headers/, 'origin form');
  await assertUsage(['-c', configDir, '--request', `GET ftp://127.0.0.1:${PORT}/`], /not an http\(s\) URL/, 'ftp URL');
});

test('usage: a header that is not Name: value', async () => {
  const req = ['-c', configDir, '--request', `GET ${BASE}/headers`];
  await assertUsage([...req, '-H', 'no-colon'], /--header wants 'Name: value', got no-colon/, 'no colon');
  await assertUsage([...req, '-H', ': value'], /--header wants 'Name: value'/, 'empty name');
});

test('a header name the gateway would refuse (a space in it) is refused as the gateway does', async () => {
  // The gateway answers such a request 400; check runs the same parser and must not pretend
  // the request reaches the policies.
  const r = await gatehouse('check', '-c', configDir, '--request', `GET ${BASE}/status/200`, '-H', 'bad name: v');
  assert.equal(r.code, 1, show(r));
  assert.equal(step(r.stdout, 'result'), '400 refused', show(r));
  assert.equal(step(r.stdout, 'authz'), undefined, show(r));
});

test('usage: a URL whose port has no Listener', async () => {
  await assertUsage(['-c', configDir, '--request', 'GET http://127.0.0.1:9999/headers'], /no Listener on port 9999/, 'port 9999');
});

test('usage: --jwks that cannot be read or is not a key set', async () => {
  const req = ['-c', configDir, '--request', `GET ${BASE}/headers`, '--token', await idp.mint()];
  await assertUsage([...req, '--jwks', path.join(dir, 'missing.json')], /cannot read .*missing\.json/, 'missing file');
  const garbage = path.join(dir, 'garbage.json');
  fs.writeFileSync(garbage, 'not json');
  await assertUsage([...req, '--jwks', garbage], /garbage\.json: Jwks is an invalid JSON/, 'not JSON');
});

test('usage: --jwks naming a folder or an empty file is an error, not "no --jwks"', async () => {
  // Both currently read as an empty text, which check takes for "no --jwks given".
  const req = ['-c', configDir, '--request', `GET ${BASE}/headers`, '--token', await idp.mint()];
  await assertUsage([...req, '--jwks', dir], /cannot read/, '--jwks FOLDER');
  const empty = path.join(dir, 'empty.json');
  fs.writeFileSync(empty, '');
  await assertUsage([...req, '--jwks', empty], /empty\.json/, '--jwks EMPTY-FILE');
});

test('usage: --claims that are not a JSON object', async () => {
  await assertUsage(['-c', configDir, '--request', `GET ${BASE}/headers`, '--claims', 'not json'], /--claims: /, 'not JSON');
});

test('usage: an invalid --source-ip', async () => {
  await assertUsage(['-c', configDir, '--request', `GET ${BASE}/headers`, '--source-ip', 'not-an-ip'],
    /source-ip/, '--source-ip not-an-ip');
});

test('config: a configuration with an error exits 2 with file:line messages', async () => {
  const bad = writeConfig(fs.readFileSync(configFile, 'utf8').replace('action: DENY', 'action: DENNY'));
  const file = path.join(bad, 'config.yaml');
  const r = await gatehouse('check', '-c', bad, '--request', `GET ${BASE}/status/200`);
  assert.equal(r.code, 2, show(r));
  assert.match(r.stderr, new RegExp(`${file.replace(/[.]/g, '\\.')}:\\d+: resource AuthorizationPolicy/foo/httpbin-deny: .*"DENNY"`), show(r));
  assert.equal(r.stdout, '', show(r));
  await assertUsage(['-c', path.join(dir, 'nowhere'), '--request', `GET ${BASE}/`], /nowhere/, 'missing config');
  await assertUsage(['--request', `GET ${BASE}/`], /--config is required/, 'no --config');
});

// ---------------------------------------------------------------------------------------------
// 3. --cases files.

function writeCases(name, text) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

// The 1-based line of the `- name: <name>` entry in `text`.
function lineOf(text, name) {
  return text.split('\n').findIndex((l) => l.includes(`name: ${name}`)) + 1;
}

test('cases: passing and failing cases: PASS/FAIL lines, FAIL with file:line and why, exit 1', async () => {
  const good = await idp.mint();
  const text = `# policies of the reference article
cases:
- name: health is open
  request: GET ${BASE}/status/200
  expect: allow
  policy: foo/httpbin-health
- name: headers needs a token
  request: GET ${BASE}/headers
  expect: deny
  status: 403
- name: group member by claims
  request: GET ${BASE}/headers
  claims: {iss: "${ISSUER}", sub: alice, groups: [httpbin]}
  expect: allow
  policy: foo/httpbin-group
- name: claims as a JSON string
  request: GET ${BASE}/headers
  claims: '{"iss": "${ISSUER}", "sub": "alice", "groups": ["everyone"]}'
  expect: deny
- name: real token
  request: GET ${BASE}/headers
  token: ${good}
  expect: allow
- name: blocked by header
  request: GET ${BASE}/status/200
  headers: {x-block: "yes"}
  expect: deny
  policy: foo/httpbin-deny
- name: wrong expectation
  request: GET ${BASE}/headers
  expect: allow
- name: wrong status
  request: GET ${BASE}/headers
  expect: deny
  status: 401
- name: wrong policy
  request: GET ${BASE}/status/200
  sourceIp: 10.1.2.3
  expect: allow
  policy: foo/httpbin-group
`;
  const file = writeCases('mixed.yaml', text);
  const r = await gatehouse('check', '-c', configDir, '--cases', file, '--jwks', jwksFile);
  assert.equal(r.code, 1, show(r));
  for (const name of ['health is open', 'headers needs a token', 'group member by claims',
    'claims as a JSON string', 'real token', 'blocked by header']) {
    assert.match(r.stdout, new RegExp(`^PASS +${name.replace(/[()]/g, '\\$&')}$`, 'm'), `${name}: ${show(r)}`);
  }
  const fails = {
    'wrong expectation': /expected allow, got deny/,
    'wrong status': /expected status 401, got 403/,
    'wrong policy': /expected policy foo\/httpbin-group, got foo\/httpbin-health/,
  };
  for (const [name, why] of Object.entries(fails)) {
    const line = r.stdout.split('\n').find((l) => l.startsWith('FAIL') && l.includes(name));
    assert.ok(line, `no FAIL line for ${name}: ${show(r)}`);
    assert.match(line, why, line);
    assert.ok(line.endsWith(`(${file}:${lineOf(text, name)})`), `${name}: expected (${file}:${lineOf(text, name)}) in ${line}`);
  }
  // A failing case shows the steps, so the reason is visible without rerunning it.
  assert.match(r.stdout, /^ +authz: denied: no ALLOW rule matched \(nearest: foo\/httpbin-group rule 0, failed at from\.requestPrincipals\)/m, show(r));
  assert.match(r.stdout, /^6 passed, 3 failed$/m, show(r));
});

test('cases: a token case without --jwks fails (the keys are remote) and says so', async () => {
  const text = `cases:\n- name: token needs keys\n  request: GET ${BASE}/headers\n  token: ${await idp.mint()}\n  expect: allow\n`;
  const file = writeCases('token.yaml', text);
  const r = await gatehouse('check', '-c', configDir, '--cases', file);
  assert.equal(r.code, 1, show(r));
  assert.match(r.stdout, new RegExp(`^FAIL +token needs keys: expected allow, got deny \\(401 denied\\) \\(${file.replace(/[.]/g, '\\.')}:2\\)$`, 'm'), show(r));
  assert.match(r.stdout, /Jwks remote fetch is failed/, show(r));
  assert.match(r.stdout, /pass --jwks FILE/, show(r));
});

test('cases: a file where every case passes exits 0', async () => {
  const text = `cases:
- name: open
  request: GET ${BASE}/status/200
  expect: allow
- name: closed
  request: GET ${BASE}/headers
  expect: deny
  status: 403
- name: mallory
  request: GET ${BASE}/headers
  token: ${await idp.mint({ sub: 'mallory' })}
  expect: deny
  status: 403
  policy: foo/httpbin-deny
- name: expired
  request: GET ${BASE}/headers
  token: ${await idp.mint({ exp: Math.floor(Date.now() / 1000) - 600 })}
  expect: deny
  status: 401
- name: locked
  request: GET ${BASE}/status/200
  headers: {Host: ${LOCKED_HOST}}
  expect: deny
`;
  const r = await gatehouse('check', '-c', configDir, '--cases', writeCases('pass.yaml', text), '--jwks', jwksFile);
  assert.equal(r.code, 0, show(r));
  assert.doesNotMatch(r.stdout, /^FAIL/m, show(r));
  assert.equal((r.stdout.match(/^PASS /gm) ?? []).length, 5, show(r));
  assert.match(r.stdout, /^5 passed, 0 failed$/m, show(r));
});

test('cases: malformed files exit 2 with the file (and line) named', async () => {
  const req = `request: GET ${BASE}/status/200`;
  const malformed = {
    'not YAML': [`cases: [\n  - {name: x\n`, /bad\.yaml: .*(line|error)/],
    'unknown field': [`cases:\n- name: a\n  ${req}\n  expect: allow\n  expected: deny\n`, /bad\.yaml:5: unknown field "expected"/],
    'bad expect': [`cases:\n- name: a\n  ${req}\n  expect: allowed\n`, /bad\.yaml:2: expect must be allow or deny/],
    'no expect': [`cases:\n- name: a\n  ${req}\n`, /bad\.yaml:2: expect must be allow or deny/],
    'no cases list': ['tests: []\n', /bad\.yaml: expected a map with a list `cases`/],
    'a list at the top': [`- name: a\n  ${req}\n  expect: allow\n`, /bad\.yaml: expected a map with a list `cases`/],
    'empty file': ['', /bad\.yaml: expected a map with a list `cases`/],
    'a case that is not a map': ['cases:\n- just a string\n', /bad\.yaml:2: a case is a map/],
    'no request': ['cases:\n- name: a\n  expect: allow\n', /bad\.yaml:2: request wants 'METHOD URL'/],
    'status not a number': [`cases:\n- name: a\n  ${req}\n  expect: allow\n  status: abc\n`, /bad\.yaml/],
  };
  for (const [what, [text, message]] of Object.entries(malformed)) {
    const file = writeCases('bad.yaml', text);
    const r = await gatehouse('check', '-c', configDir, '--cases', file);
    assert.equal(r.code, 2, `${what}: ${show(r)}`);
    assert.match(r.stderr, message, `${what}: ${show(r)}`);
    assert.doesNotMatch(r.stdout, /^(PASS|FAIL)/m, `${what}: ran cases: ${show(r)}`);
  }
  const missing = await gatehouse('check', '-c', configDir, '--cases', path.join(dir, 'missing.yaml'));
  assert.equal(missing.code, 2, show(missing));
  assert.match(missing.stderr, /missing\.yaml/, show(missing));
});

test('cases: headers given as a list (not a map) are refused, not silently dropped', async () => {
  // Dropping them would make this case run without x-block and pass or fail for the wrong reason.
  const text = `cases:\n- name: a\n  request: GET ${BASE}/status/200\n  headers: [x-block]\n  expect: deny\n`;
  const r = await gatehouse('check', '-c', configDir, '--cases', writeCases('headers-list.yaml', text));
  assert.equal(r.code, 2, show(r));
  assert.match(r.stderr, /headers-list\.yaml:\d+: .*headers/, show(r));
});

test('cases: a case with both token and claims is refused, as --token with --claims is', async () => {
  const text = `cases:\n- name: a\n  request: GET ${BASE}/headers\n  token: a.b.c\n  claims: {iss: "${ISSUER}", sub: x, groups: [httpbin]}\n  expect: allow\n`;
  const r = await gatehouse('check', '-c', configDir, '--cases', writeCases('token-claims.yaml', text));
  assert.equal(r.code, 2, show(r));
  assert.match(r.stderr, /token-claims\.yaml:\d+: .*(token|claims)/, show(r));
});

// ---------------------------------------------------------------------------------------------
// 4. check predicts the running gateway: same configuration, same requests, same answers.
// Each request goes to the gateway as raw bytes (so methods and header bytes are exactly what
// check is given), and the answer is compared with the "result" line check prints for it.

let live = null;  // {httpbin, nginx, gateway, port, configDir, good}, started on first use

async function startLive() {
  const stack = {};
  live = stack;
  stack.httpbin = await startHttpbin();
  const jwksPort = await freePort();
  const started = startNginx((d) => `
  server {
    listen 127.0.0.1:${jwksPort};
    location / { root ${d}; }
  }`);
  stack.nginx = started.process;
  writePublicFile(path.join(started.dir, 'jwks.json'), idp.jwks);
  await waitForHttp(`http://127.0.0.1:${jwksPort}/jwks.json`, { process: stack.nginx });
  stack.port = await freePort();
  stack.configDir = writeConfig(authzConfig({
    listenPort: stack.port, httpbinPort: stack.httpbin.port, jwksUri: `http://127.0.0.1:${jwksPort}/jwks.json`,
  }));
  stack.gateway = await startGateway({ configDir: stack.configDir, listenPort: stack.port });
  // The key set is fetched in the background after start: wait (bounded) until it is there.
  stack.good = await idp.mint();
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline) {
    const res = await request({ port: stack.port, path: '/headers', headers: { [TOKEN_HEADER]: stack.good } });
    if (res.text !== 'Jwks remote fetch is failed') break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return stack;
}

after(async () => {
  await live?.gateway?.process.stop();
  await live?.nginx?.stop();
  await live?.httpbin?.process.stop();
});

// `c`: {method = GET, path, host (default 127.0.0.1:port), headers: ['Name: value'...], token}.
// Returns a description of each disagreement between check and the gateway.
async function compareWithGateway(stack, cases) {
  const mismatches = [];
  for (const c of cases) {
    const method = c.method ?? 'GET';
    const host = c.host ?? `127.0.0.1:${stack.port}`;
    const headers = [...(c.headers ?? []), ...(c.token ? [`${TOKEN_HEADER}: ${c.token}`] : [])];
    // The URL names the listener's address; a different Host goes in as a header, as it does
    // on the wire.
    const args = ['--request', `${method} http://127.0.0.1:${stack.port}${c.path}`, '--jwks', jwksFile];
    if (c.host) args.push('-H', `Host: ${c.host}`);
    for (const h of c.headers ?? []) args.push('-H', h);
    if (c.token) args.push('--token', c.token);
    const predicted = await gatehouse('check', '-c', stack.configDir, ...args);
    const { responses } = await rawResponses(stack.port, rawGet(c.path, { method, host, headers }));
    const res = responses[0];
    const label = `${method} ${c.path} host ${host} ${JSON.stringify(c.headers ?? [])}${c.token ? ` token ...${c.token.slice(-8)}` : ''}`;
    if (!res) {
      mismatches.push(`${label}: no answer from the gateway`);
      continue;
    }
    const result = step(predicted.stdout, 'result');
    const gatewaySaid = `${res.status} ${JSON.stringify(res.body.slice(0, 80))}`;
    if (result === undefined) {
      mismatches.push(`${label}: check gave no result (exit ${predicted.code}: ${predicted.stderr.trim()}); gateway answered ${gatewaySaid}`);
      continue;
    }
    const kind = { 401: ' denied', 403: ' denied', 400: ' refused', 431: ' refused' }[res.status] ?? '';
    const actual = fromUpstream(res) ? 'forwarded' : `${res.status}${kind}`;
    if (actual !== result) {
      mismatches.push(`${label}: check says "${result}" (authn: ${step(predicted.stdout, 'authn')}; authz: ${step(predicted.stdout, 'authz')}), gateway answered ${gatewaySaid}`);
    }
    const expectedCode = /denied|refused/.test(result) ? 1 : 0;
    if (predicted.code !== expectedCode) mismatches.push(`${label}: result "${result}" but exit ${predicted.code}`);
  }
  return mismatches;
}

test('check and the running gateway decide the same for the same requests', async () => {
  const stack = live ?? await startLive();
  const now = Math.floor(Date.now() / 1000);
  const cases = [
    { path: '/status/200' },
    { path: '/headers' },
    { path: '/headers', token: stack.good },
    { path: '/get', token: stack.good },
    { path: '/headers', token: await idp.mint({ claims: { groups: ['everyone'] } }) },
    { path: '/headers', token: await idp.mint({ claims: { groups: 'httpbin' } }) },
    { path: '/headers', token: await idp.mint({ sub: 'mallory' }) },
    { path: '/headers', token: await idp.mint({ exp: now - 600 }) },
    { path: '/headers', token: await idp.mint({ kid: 'k1', signer: 'rogue' }) },
    { path: '/headers', token: 'garbage' },
    { path: '/status/200', headers: ['x-block: yes'] },
    { path: '/status/200', headers: ['x-dry-run-deny: yes'] },
    { path: '/status/200', host: LOCKED_HOST },
    { path: '/status/200', host: LOCKED_HOST, token: stack.good },
    { path: '/status/200/../../headers' },
    { path: '/status/200/%2e%2e/%2e%2e/headers' },
    { path: '/status/200?x=/headers' },
    { path: '/STATUS/200' },
    { path: '/status/200/' },
    { path: '/headers', headers: [`authorization: Bearer ${stack.good}`] },
    { method: 'POST', path: '/anything', token: stack.good },
    { method: 'DELETE', path: '/status/200' },
    { path: '/fixed' },
  ];
  assert.deepEqual(await compareWithGateway(stack, cases), []);
});

test('check and the running gateway agree on header and method bytes the gateway reads specially', async () => {
  // The gateway trims whitespace around header values, and answers 400 to header names or
  // values it cannot accept and to lower-case methods; check must predict the same.
  const stack = live ?? await startLive();
  const cases = [
    { path: '/status/200', headers: ['x-block: yes '] },
    { path: '/status/200', headers: ['x-block: yes\t'] },
    { path: '/status/200', headers: ['x-block : yes'] },
    { path: '/status/200', headers: ['bad name: v'] },
    { method: 'get', path: '/status/200' },
  ];
  assert.deepEqual(await compareWithGateway(stack, cases), []);
});

test('check: a rule with authenticate-oidc: login redirect, deny or anonymous without a token; the session assumed with one', async () => {
  const loginDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-check-login-'));
  const rule = (priority, prefix, mode) => `
  - priority: ${priority}
    conditions: [{field: path-pattern, values: ["${prefix}*"]}]
    actions:
    - type: authenticate-oidc
      order: 1
      authenticateOidcConfig:
        issuer: https://idp.example/oauth2/default
        authorizationEndpoint: https://idp.example/oauth2/default/v1/authorize
        tokenEndpoint: https://idp.example/oauth2/default/v1/token
        userInfoEndpoint: https://idp.example/oauth2/default/v1/userinfo
        clientId: gatehouse
        clientSecretFile: absent.secret
        sessionKeysFile: absent.keys
        onUnauthenticatedRequest: ${mode}
    - {type: fixed-response, order: 2, fixedResponseConfig: {statusCode: "200", messageBody: in}}`;
  fs.writeFileSync(path.join(loginDir, 'config.yaml'), `apiVersion: gatehouse.dev/v1alpha1
kind: Listener
metadata: {name: login}
spec:
  port: 18443
  protocol: HTTPS
  certificates: [{certificateFile: absent.crt, keyFile: absent.key}]
  rules:${rule(1, '/a', 'authenticate')}${rule(2, '/d', 'deny')}${rule(3, '/o', 'allow')}
  defaultActions: [{type: fixed-response, fixedResponseConfig: {statusCode: "404"}}]
`);
  const run = (target, ...args) => gatehouse('check', '-c', loginDir, '--request',
    `GET https://127.0.0.1:18443${target}`, ...args);
  const login = await run('/a');
  assert.equal(step(login.out, 'login'),
    'no session: redirect to https://idp.example/oauth2/default/v1/authorize', show(login));
  assert.match(login.out, /302/, show(login));
  const denied = await run('/d');
  assert.equal(denied.code, 1, show(denied));
  assert.equal(step(denied.out, 'login'), 'no session: denied');
  const anonymous = await run('/o');
  assert.equal(step(anonymous.out, 'login'), 'no session: forwarded without identity');
  const withSession = await run('/a', '--claims', claims());
  assert.equal(step(withSession.out, 'login'),
    'session assumed (its access token: --token or --claims)', show(withSession));
  assert.equal(withSession.code, 0, show(withSession));
  fs.rmSync(loginDir, { recursive: true, force: true });
});
