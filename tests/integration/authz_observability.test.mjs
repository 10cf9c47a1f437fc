// What the running gateway says about its AuthorizationPolicy decisions (issue 4): the
// explanation in a response header for trusted peers (MeshConfig spec.explainDecisions), on
// 403 answers and on allowed upstream responses; the `authz_result` and `authz` fields of the
// JSON access log; and the Prometheus counters gatehouse_authz_rule_matches_total and
// gatehouse_authz_decisions_total on the admin listener. The reference article's
// configuration (lib/authz_fixtures.mjs), keys served by nginx, tokens minted by npm jose.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, request, startProcess, waitForHttp } from './lib/harness.mjs';
import { gatehouseBin, startHttpbin, writeConfig } from './lib/gateway.mjs';
import { startNginx, writePublicFile } from './lib/nginx.mjs';
import { importTestPackage } from './lib/npm.mjs';
import { LOCKED_HOST, TOKEN_HEADER, authzConfig, createIdp, fromUpstream } from './lib/authz_fixtures.mjs';

const jose = await importTestPackage('jose');
const EXPLAIN = 'x-gatehouse-authz';
const RBAC_DENIED = 'RBAC: access denied';
const NO_TOKEN_DENIAL =
  'denied: no ALLOW rule matched (nearest: foo/httpbin-group rule 0, failed at from.requestPrincipals)';
const HEALTH_ALLOW = 'allowed: matched an ALLOW rule (foo/httpbin-health rule 0)';
const GROUP_ALLOW = 'allowed: matched an ALLOW rule (foo/httpbin-group rule 0)';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-authz-obs-'));
let httpbin, nginx, jwksUri, idp, good;
let trusted;    // {process, adminPort, port, accessLog}: explainDecisions trusts 127.0.0.1/32
let untrusted;  // the same with trustedSources [10.0.0.0/8]

// The fixtures' policies plus an AUDIT policy on /anything/*: audited requests are counted and
// explained, and AUDIT never changes the decision.
function meshConfig(trustedSources) {
  return `
---
apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: {name: httpbin-audit, namespace: foo}
spec:
  selector:
    matchLabels: {app: httpbin}
  action: AUDIT
  rules:
  - to:
    - operation:
        paths: ["/anything/*"]
---
apiVersion: gatehouse.dev/v1alpha1
kind: MeshConfig
metadata: {name: mesh}
spec:
  explainDecisions:
    header: X-Gatehouse-Authz
    trustedSources: [${trustedSources.join(', ')}]
`;
}

// `gatehouse run` with the access log in a file (lib/gateway.mjs's startGateway turns it off).
async function startGatewayWithLog(name, trustedSources) {
  const port = await freePort();
  const configDir = writeConfig(authzConfig({ listenPort: port, httpbinPort: httpbin.port, jwksUri })
    + meshConfig(trustedSources));
  const accessLog = path.join(dir, `${name}.log`);
  const adminPort = await freePort();
  const gw = startProcess(gatehouseBin, [
    'run', '--config', configDir, '--admin', `127.0.0.1:${adminPort}`, '--workers', '2',
    '--access-log', accessLog,
  ]);
  await waitForHttp(`http://127.0.0.1:${adminPort}/ready`, { process: gw, timeoutMs: 10000 });
  await waitForHttp(`http://127.0.0.1:${port}/fixed`, { process: gw, timeoutMs: 10000 });
  // The key set is fetched in the background after start: wait (bounded) until a good token
  // verifies, so the tests do not race the fetch.
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline) {
    const res = await request({ port, path: '/headers', headers: { [TOKEN_HEADER]: good } });
    if (res.text !== 'Jwks remote fetch is failed') break;
    await sleep(200);
  }
  return { process: gw, adminPort, port, accessLog };
}

before(async () => {
  idp = await createIdp(jose);
  good = await idp.mint();
  httpbin = await startHttpbin();
  const jwksPort = await freePort();
  let jwksDir;
  ({ dir: jwksDir, process: nginx } = startNginx((d) => `
  server {
    listen 127.0.0.1:${jwksPort};
    location / { root ${d}; }
  }`));
  writePublicFile(path.join(jwksDir, 'jwks.json'), idp.jwks);
  await waitForHttp(`http://127.0.0.1:${jwksPort}/jwks.json`, { process: nginx });
  jwksUri = `http://127.0.0.1:${jwksPort}/jwks.json`;
  trusted = await startGatewayWithLog('trusted', ['127.0.0.1/32']);
  untrusted = await startGatewayWithLog('untrusted', ['10.0.0.0/8']);
});

after(async () => {
  await trusted?.process.stop();
  await untrusted?.process.stop();
  await nginx?.stop();
  await httpbin?.process.stop();
});

// A GET with a fresh x-request-id, so its access-log line can be found.
async function get(gw, p, headers = {}) {
  const id = randomUUID();
  const res = await request({ port: gw.port, path: p, headers: { 'x-request-id': id, ...headers } });
  return { ...res, id };
}

const withToken = (t, extra = {}) => ({ [TOKEN_HEADER]: t, ...extra });
const describe = (res) => `${res.status} ${JSON.stringify(res.text.slice(0, 120))} headers ${JSON.stringify(res.headers)}`;

// The access-log entries with these request ids; waits (bounded) for the 200 ms flush.
async function logEntries(gw, ids, { timeoutMs = 5000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let found = new Map();
  for (;;) {
    const text = fs.existsSync(gw.accessLog) ? fs.readFileSync(gw.accessLog, 'utf8') : '';
    found = new Map();
    // Complete lines only: a batch may be half written when read.
    for (const line of text.slice(0, text.lastIndexOf('\n') + 1).split('\n')) {
      if (!line.trim()) continue;
      let entry;
      try {
        entry = JSON.parse(line);
      } catch {
        assert.fail(`access log line is not JSON: ${line}`);
      }
      if (ids.includes(entry.request_id)) found.set(entry.request_id, entry);
    }
    if (found.size === ids.length || Date.now() >= deadline) break;
    await sleep(100);
  }
  for (const id of ids) assert.ok(found.has(id), `no access-log line for request ${id} in ${gw.accessLog}`);
  return found;
}

// Prometheus text into {"name{k=v,...}": value}, label order normalised.
async function scrape(gw) {
  const res = await request({ port: gw.adminPort, path: '/stats/prometheus' });
  assert.equal(res.status, 200);
  const samples = {};
  for (const line of res.text.split('\n')) {
    const m = /^(gatehouse_authz_\w+)\{([^}]*)\} (\d+(?:\.\d+)?)$/.exec(line);
    if (!m) continue;
    const labels = [...m[2].matchAll(/(\w+)="([^"]*)"/g)].map(([, k, v]) => `${k}=${v}`).sort();
    samples[`${m[1]}{${labels.join(',')}}`] = Number(m[3]);
  }
  return samples;
}

const ruleKey = (policy, rule, action, mode = 'enforced') =>
  `gatehouse_authz_rule_matches_total{${[`action=${action}`, `mode=${mode}`, `policy=${policy}`, `rule=${rule}`].join(',')}}`;
const decisionKey = (decision, reason) => `gatehouse_authz_decisions_total{decision=${decision},reason=${reason}}`;

// ---------------------------------------------------------------------------------------------
// 1. The explanation header, for a trusted peer.

test('header: a denied request\'s 403 names the nearest rule and the field that failed', async () => {
  const res = await get(trusted, '/headers');
  assert.equal(res.status, 403, describe(res));
  assert.equal(res.text, RBAC_DENIED);
  assert.ok(!fromUpstream(res), describe(res));
  const explanation = res.headers[EXPLAIN] ?? '';
  assert.ok(explanation.startsWith(NO_TOKEN_DENIAL), `${EXPLAIN}: ${JSON.stringify(explanation)}`);
});

test('header: an allowed request\'s upstream response carries the deciding rule', async () => {
  const res = await get(trusted, '/status/200');
  assert.equal(res.status, 200, describe(res));
  assert.ok(fromUpstream(res), describe(res));
  const explanation = res.headers[EXPLAIN] ?? '';
  assert.ok(explanation.startsWith(HEALTH_ALLOW), `${EXPLAIN}: ${JSON.stringify(explanation)}`);
});

test('header: tokens, DENY, dry-run and allow-nothing are each explained', async () => {
  const cases = [
    { what: 'good token', path: '/headers', headers: withToken(good), status: 200, upstream: true, explain: GROUP_ALLOW },
    { what: 'an upstream 403 after an allow is not an RBAC denial', path: '/status/403', headers: withToken(good), status: 403, upstream: true, explain: GROUP_ALLOW },
    {
      what: 'token without the group', path: '/headers', headers: withToken(await idp.mint({ claims: { groups: ['everyone'] } })),
      status: 403, explain: 'denied: no ALLOW rule matched (nearest: foo/httpbin-group rule 0, failed at when request.auth.claims[groups]',
    },
    { what: 'mallory', path: '/headers', headers: withToken(await idp.mint({ sub: 'mallory' })), status: 403, explain: 'denied: matched a DENY rule (foo/httpbin-deny rule 0)' },
    { what: 'x-block', path: '/status/200', headers: { 'x-block': 'yes' }, status: 403, explain: 'denied: matched a DENY rule (foo/httpbin-deny rule 1)' },
    {
      what: 'dry-run deny', path: '/status/200', headers: { 'x-dry-run-deny': 'yes' }, status: 200, upstream: true,
      explain: `${HEALTH_ALLOW}; dry-run: denied: matched a DENY rule (foo/httpbin-dry-run-deny rule 0)`,
    },
    { what: 'allow-nothing', path: '/status/200', headers: { host: LOCKED_HOST }, status: 403, explain: 'denied: no ALLOW rule matched' },
    { what: 'audited and allowed', path: '/anything/x', headers: withToken(good), status: 200, upstream: true, explain: `${GROUP_ALLOW}; audit: foo/httpbin-audit rule 0` },
    { what: 'audited and denied', path: '/anything/x', status: 403, explain: `${NO_TOKEN_DENIAL}; audit: foo/httpbin-audit rule 0` },
  ];
  for (const c of cases) {
    const res = await get(trusted, c.path, c.headers);
    assert.equal(res.status, c.status, `${c.what}: ${describe(res)}`);
    assert.equal(fromUpstream(res), Boolean(c.upstream), `${c.what}: ${describe(res)}`);
    if (c.status === 403 && !c.upstream) assert.equal(res.text, RBAC_DENIED, c.what);
    const explanation = res.headers[EXPLAIN] ?? '';
    assert.ok(explanation.startsWith(c.explain), `${c.what}: ${EXPLAIN}: ${JSON.stringify(explanation)}, expected it to start with ${JSON.stringify(c.explain)}`);
  }
});

test('header: answers where no policy decided carry none (401 from authn, listener fixed-response)', async () => {
  const expired = await get(trusted, '/headers', withToken(await idp.mint({ exp: Math.floor(Date.now() / 1000) - 600 })));
  assert.equal(expired.status, 401, describe(expired));
  assert.equal(expired.text, 'Jwt is expired');
  assert.equal(expired.headers[EXPLAIN], undefined, describe(expired));
  const fixed = await get(trusted, '/fixed');
  assert.equal(fixed.status, 418, describe(fixed));
  assert.equal(fixed.headers[EXPLAIN], undefined, describe(fixed));
});

test('header: a client cannot plant its own explanation on a trusted answer', async () => {
  const res = await get(trusted, '/status/200', { [EXPLAIN]: 'allowed: forged' });
  assert.equal(res.status, 200, describe(res));
  assert.ok((res.headers[EXPLAIN] ?? '').startsWith(HEALTH_ALLOW), describe(res));
  assert.doesNotMatch(res.headers[EXPLAIN] ?? '', /forged/, describe(res));
});

// ---------------------------------------------------------------------------------------------
// 2. The access log.

test('access log: authz_result and authz on decided requests, null where no policy ran', async () => {
  const denied = await get(trusted, '/headers');
  const allowed = await get(trusted, '/status/200');
  const token = await get(trusted, '/headers', withToken(good));
  const expired = await get(trusted, '/headers', withToken(await idp.mint({ exp: Math.floor(Date.now() / 1000) - 600 })));
  const fixed = await get(trusted, '/fixed');
  const entries = await logEntries(trusted, [denied.id, allowed.id, token.id, expired.id, fixed.id]);

  const d = entries.get(denied.id);
  assert.equal(d.response_code, 403, JSON.stringify(d));
  assert.equal(d.authz_result, 'denied', JSON.stringify(d));
  assert.ok(String(d.authz).startsWith(NO_TOKEN_DENIAL), JSON.stringify(d));
  assert.equal(d.authz, denied.headers[EXPLAIN], 'the log and the header say the same');

  const a = entries.get(allowed.id);
  assert.equal(a.response_code, 200, JSON.stringify(a));
  assert.equal(a.authz_result, 'allowed', JSON.stringify(a));
  assert.ok(String(a.authz).startsWith(HEALTH_ALLOW), JSON.stringify(a));

  const t = entries.get(token.id);
  assert.equal(t.authz_result, 'allowed', JSON.stringify(t));
  assert.ok(String(t.authz).startsWith(GROUP_ALLOW), JSON.stringify(t));
  assert.equal(t.jwt_status, 'Ok', JSON.stringify(t));

  const e = entries.get(expired.id);
  assert.equal(e.response_code, 401, JSON.stringify(e));
  assert.equal(e.jwt_status, 'JwtExpired', JSON.stringify(e));
  assert.equal(e.authz_result, null, JSON.stringify(e));
  assert.equal(e.authz, null, JSON.stringify(e));

  const f = entries.get(fixed.id);
  assert.equal(f.response_code, 418, JSON.stringify(f));
  assert.equal(f.authz_result, null, JSON.stringify(f));
  assert.equal(f.authz, null, JSON.stringify(f));
});

// ---------------------------------------------------------------------------------------------
// 3. Metrics: the counters move by exactly what a known batch of requests should add.

test('metrics: rule and decision counters count a known batch of requests', async () => {
  const mallory = await idp.mint({ sub: 'mallory' });
  const expiredToken = await idp.mint({ exp: Math.floor(Date.now() / 1000) - 600 });
  const before = await scrape(trusted);
  const batch = [
    ...Array(3).fill(['/status/200', {}, 200]),
    ...Array(2).fill(['/headers', {}, 403]),
    ...Array(4).fill(['/headers', withToken(good), 200]),
    ['/headers', withToken(mallory), 403],
    ...Array(2).fill(['/status/200', { 'x-block': 'yes' }, 403]),
    ...Array(2).fill(['/status/200', { 'x-dry-run-deny': 'yes' }, 200]),
    ['/status/200', { host: LOCKED_HOST }, 403],
    ...Array(2).fill(['/anything/x', withToken(good), 200]),
    ['/anything/y', {}, 403],
    ['/headers', withToken(expiredToken), 401],  // authn answers: no authz decision
    ['/fixed', {}, 418],                         // listener rule: no authz decision
  ];
  for (const [p, headers, status] of batch) {
    const res = await get(trusted, p, headers);
    assert.equal(res.status, status, `GET ${p} ${JSON.stringify(headers).slice(0, 60)}: ${describe(res)}`);
  }
  const expected = {
    [ruleKey('foo/httpbin-health', 0, 'ALLOW')]: 5,
    [ruleKey('foo/httpbin-group', 0, 'ALLOW')]: 6,
    [ruleKey('foo/httpbin-audit', 0, 'AUDIT')]: 3,
    [ruleKey('foo/httpbin-deny', 0, 'DENY')]: 1,
    [ruleKey('foo/httpbin-deny', 1, 'DENY')]: 2,
    [ruleKey('foo/httpbin-dry-run-deny', 0, 'DENY', 'dry_run')]: 2,
    [decisionKey('allow', 'allowed_by_rule')]: 11,
    [decisionKey('deny', 'no_allow_rule_matched')]: 4,
    [decisionKey('deny', 'denied_by_rule')]: 3,
    [decisionKey('allow', 'no_allow_policy')]: 0,
  };
  // Workers count on their own; the admin sums them. Poll (bounded) until the sums settle.
  const deadline = Date.now() + 5000;
  let deltas;
  for (;;) {
    const now = await scrape(trusted);
    deltas = {};
    for (const key of new Set([...Object.keys(now), ...Object.keys(before)])) {
      const delta = (now[key] ?? 0) - (before[key] ?? 0);
      if (delta !== 0) deltas[key] = delta;
    }
    const ok = Object.entries(expected).every(([k, v]) => (deltas[k] ?? 0) === v);
    if (ok || Date.now() >= deadline) break;
    await sleep(100);
  }
  const wanted = Object.fromEntries(Object.entries(expected).filter(([, v]) => v !== 0));
  assert.deepEqual(deltas, wanted);
});

test('metrics: every counter family has its HELP and TYPE lines', async () => {
  const text = (await request({ port: trusted.adminPort, path: '/stats/prometheus' })).text;
  for (const family of ['gatehouse_authz_rule_matches_total', 'gatehouse_authz_decisions_total']) {
    assert.match(text, new RegExp(`^# TYPE ${family} counter$`, 'm'), family);
    assert.match(text, new RegExp(`^# HELP ${family} .+$`, 'm'), family);
  }
});

// ---------------------------------------------------------------------------------------------
// 4. A peer outside trustedSources gets no header; the access log still explains.

test('untrusted peer: no explanation header on 403 or on allowed answers, but the access log has it', async () => {
  const denied = await get(untrusted, '/headers');
  assert.equal(denied.status, 403, describe(denied));
  assert.equal(denied.text, RBAC_DENIED);
  const allowed = await get(untrusted, '/status/200');
  assert.equal(allowed.status, 200, describe(allowed));
  const token = await get(untrusted, '/headers', withToken(good));
  assert.equal(token.status, 200, describe(token));
  // Trust is the TCP peer's address: a claimed X-Forwarded-For inside 10.0.0.0/8 changes nothing.
  const spoofed = await get(untrusted, '/headers', { 'x-forwarded-for': '10.1.2.3' });
  assert.equal(spoofed.status, 403, describe(spoofed));
  for (const res of [denied, allowed, token, spoofed]) {
    assert.equal(res.headers[EXPLAIN], undefined, describe(res));
    for (const [name, value] of Object.entries(res.headers)) {
      assert.doesNotMatch(String(value), /foo\/httpbin|no ALLOW rule|nearest/, `header ${name} explains the decision`);
    }
  }
  const entries = await logEntries(untrusted, [denied.id, allowed.id, token.id]);
  assert.equal(entries.get(denied.id).authz_result, 'denied');
  assert.ok(String(entries.get(denied.id).authz).startsWith(NO_TOKEN_DENIAL), JSON.stringify(entries.get(denied.id)));
  assert.equal(entries.get(allowed.id).authz_result, 'allowed');
  assert.ok(String(entries.get(allowed.id).authz).startsWith(HEALTH_ALLOW), JSON.stringify(entries.get(allowed.id)));
  assert.ok(String(entries.get(token.id).authz).startsWith(GROUP_ALLOW), JSON.stringify(entries.get(token.id)));
});

test('untrusted peer: the decisions are still counted', async () => {
  const before = await scrape(untrusted);
  for (let i = 0; i < 2; ++i) assert.equal((await get(untrusted, '/headers')).status, 403);
  const key = decisionKey('deny', 'no_allow_rule_matched');
  const deadline = Date.now() + 5000;
  let delta = 0;
  while (Date.now() < deadline) {
    delta = ((await scrape(untrusted))[key] ?? 0) - (before[key] ?? 0);
    if (delta === 2) break;
    await sleep(100);
  }
  assert.equal(delta, 2, key);
});

// ---------------------------------------------------------------------------------------------
// 5. The configuration of explainDecisions is checked when it loads.

test('config: a bad explainDecisions header name or trusted source is refused with file:line', async () => {
  const bad = writeConfig(`apiVersion: gatehouse.dev/v1alpha1
kind: MeshConfig
metadata: {name: mesh}
spec:
  explainDecisions:
    header: "bad header"
    trustedSources: [127.0.0.1/32, not-an-ip, 10.0.0.0/33]
`);
  const r = startProcess(gatehouseBin, ['validate', '--config', bad]);
  const { code } = await Promise.race([r.exited, sleep(20000, { code: 'timeout' }, { ref: false })]);
  if (code === 'timeout') await r.stop();
  const out = r.stdout() + r.stderr();
  assert.equal(code, 1, out);
  assert.match(out, /config\.yaml:6: .*invalid header name "bad header"/, out);
  assert.match(out, /config\.yaml:7: .*"not-an-ip"/, out);
  assert.match(out, /"10\.0\.0\.0\/33"/, out);
});
