// Active health checks with real upstreams: nginx servers whose config is rewritten and
// reloaded to make a target fail and recover, the built-in httpbin for status codes and the
// mesh, a silent TCP server for timeouts and a closed port. Targets go unhealthy after the
// unhealthy threshold and stop getting traffic, come back after the healthy threshold, a
// group whose targets are all unhealthy fails open, and /targets and the metrics show ALB's
// states and reason codes. Checks run every 5 s (ALB's shortest interval), so every wait
// allows a few intervals and no more.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, request, waitForHttp } from './lib/harness.mjs';
import { meshConfig, serviceEntry, startGateway, startHttpbin, writeConfig } from './lib/gateway.mjs';
import { startNginx } from './lib/nginx.mjs';

const INTERVAL_MS = 5000;
// Enough for the threshold (2) in checks every interval, plus one interval of phase.
const TRANSITION_MS = 4 * INTERVAL_MS;

let nginx;
let nginxConf;
let httpbin;
let silent;
const silentSockets = new Set();
let gateway;
let port;
let groupsPort;
let configFile;
const ports = {};

// nginx: the `web` targets a and b answer /health with 200 unless `failing` names them; the
// `down` targets c and d always answer 503. Every server names itself on other paths and
// logs the health checks it gets. No keep-alive: a reload closes idle connections, and
// gatehouse does not retry a target-group request whose pooled connection was closed.
function nginxServers(dir, failing = []) {
  const server = (name) => `
  server {
    listen 127.0.0.1:${ports[name]};
    keepalive_timeout 0;
    access_log ${dir}/probes-${name}.log probes;
    location = /health { return ${['c', 'd'].includes(name) || failing.includes(name) ? 503 : 200} "${name}\\n"; }
    location / { return 200 "${name}\\n"; }
  }`;
  return `log_format probes '$connection $connection_requests "$http_user_agent" "$http_host" "$request"';\n` +
    ['a', 'b', 'c', 'd'].map(server).join('\n');
}

// Rewrites nginx's config and reloads it (SIGHUP); resolves once the new answers show.
async function reloadNginx(failing) {
  const text = fs.readFileSync(nginxConf, 'utf8');
  const start = text.indexOf('log_format probes');
  const end = text.lastIndexOf('}');
  fs.writeFileSync(nginxConf, text.slice(0, start) + nginxServers(path.dirname(nginxConf), failing) + '\n' + text.slice(end));
  process.kill(nginx.pid, 'SIGHUP');
  const deadline = Date.now() + 5000;
  for (;;) {
    const b = await request({ port: ports.b, path: '/health' });
    if ((b.status === 503) === failing.includes('b')) return;
    assert.ok(Date.now() < deadline, 'nginx did not reload within 5 s');
    await sleep(50);
  }
}

// Checks every 5 s with thresholds of 2: the shortest ALB allows.
const fast = (healthPath) => `
  healthCheckPath: ${healthPath}
  healthCheckIntervalSeconds: 5
  healthCheckTimeoutSeconds: 2
  healthyThresholdCount: 2
  unhealthyThresholdCount: 2`;

function targetGroup(name, spec) {
  return `---
apiVersion: gatehouse.dev/v1alpha1
kind: TargetGroup
metadata: {name: ${name}}
spec:${spec}
`;
}

const ipTargets = (...targetPorts) => `
  port: ${targetPorts[0]}
  targets: [${targetPorts.map((p) => `{id: 127.0.0.1, port: ${p}}`).join(', ')}]`;

// The seed's shape (listener -> mesh target group -> Gateway port 80 -> httpbin) from the
// shared fixture, plus Gateway ports 81 (no route for /healthz), 82 (/healthz rewritten to
// httpbin's /status/200) and 83 (a workload whose AuthorizationPolicy wants a principal),
// and a listener whose rules forward to the groups under test.
function config(extra = '') {
  const groups = {
    web: ipTargets(ports.a, ports.b) + fast('/health'),
    down: ipTargets(ports.c, ports.d) + fast('/health'),
    slow: ipTargets(ports.silent) + fast('/health'),
    teapot: ipTargets(httpbin.port) + fast('/status/418'),
    listy: ipTargets(httpbin.port) + fast('/status/418') + '\n  matcher: {httpCode: "200,418"}',
    // Traffic would go to a closed port; the checks go to httpbin's.
    ranged: ipTargets(ports.closed) + fast('/status/204') +
      `\n  healthCheckPort: "${httpbin.port}"\n  matcher: {httpCode: 200-299}`,
    refused: ipTargets(ports.closed) + fast('/health'),
    'mesh-strict': '\n  targetType: mesh\n  port: 81' + fast('/healthz'),
    'mesh-rewrite': '\n  targetType: mesh\n  port: 82' + fast('/healthz'),
    'mesh-denied': '\n  targetType: mesh\n  port: 83' + fast('/status/200'),
  };
  const rules = Object.keys(groups).map((name, i) => `
  - priority: ${10 + i}
    conditions: [{field: path-pattern, values: ["/${name}/*"]}]
    actions: [{type: forward, targetGroupName: ${name}}]`).join('');
  return `${meshConfig({ listenPort: port, httpbinPort: httpbin.port })}---
apiVersion: networking.istio.io/v1alpha3
kind: Gateway
metadata: {name: probes, namespace: foo}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 81, name: http-strict, protocol: HTTP}
    hosts: ["*"]
  - port: {number: 82, name: http-rewrite, protocol: HTTP}
    hosts: ["*"]
  - port: {number: 83, name: http-guarded, protocol: HTTP}
    hosts: ["*"]
---
apiVersion: networking.istio.io/v1alpha3
kind: VirtualService
metadata: {name: probes, namespace: foo}
spec:
  hosts: ["*"]
  gateways: [probes]
  http:
  - match: [{port: 83}]
    route: [{destination: {host: guarded.foo.svc.cluster.local, port: {number: 8000}}}]
  - match: [{uri: {exact: /healthz}, port: 82}]
    rewrite: {uri: /status/200}
    route: [{destination: {host: httpbin.foo.svc.cluster.local, port: {number: 8000}}}]
  - match: [{uri: {prefix: /status/}}]
    route: [{destination: {host: httpbin.foo.svc.cluster.local, port: {number: 8000}}}]
---
${serviceEntry('guarded', httpbin.port)}
---
apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: {name: principals-only, namespace: foo}
spec:
  selector: {matchLabels: {app: guarded}}
  action: ALLOW
  rules:
  - from: [{source: {requestPrincipals: ["*"]}}]
---
apiVersion: gatehouse.dev/v1alpha1
kind: Listener
metadata: {name: checked}
spec:
  address: 127.0.0.1
  port: ${groupsPort}
  defaultActions: [{type: forward, targetGroupName: web}]
  rules:${rules}
${Object.entries(groups).map(([name, spec]) => targetGroup(name, spec)).join('')}${
    targetGroup('spare', ipTargets(ports.closed))}${extra}`;
}

async function targets() {
  const res = await request({ port: gateway.adminPort, path: '/targets' });
  assert.equal(res.status, 200);
  assert.match(res.headers['content-type'], /application\/json/);
  return JSON.parse(res.text).target_groups;
}

function target(groups, group, index = 0) {
  const found = groups.find((g) => g.name === group);
  assert.ok(found, `no target group ${group} in /targets`);
  return found.targets[index];
}

// Polls /targets until `predicate(groups)` holds; fails after `timeoutMs` showing the page.
async function waitForTargets(predicate, what, timeoutMs = TRANSITION_MS) {
  const deadline = Date.now() + timeoutMs;
  let groups;
  while (Date.now() < deadline) {
    groups = await targets();
    if (predicate(groups)) return groups;
    await sleep(200);
  }
  assert.fail(`${what} not seen within ${timeoutMs} ms:\n${JSON.stringify(groups, null, 1)}`);
}

const stateOf = (groups, group, index = 0) => target(groups, group, index).state;

// Which servers answered `count` requests to /prefix/x (nginx servers name themselves).
async function whoServes(prefix, count = 12) {
  const seen = new Map();
  for (let i = 0; i < count; ++i) {
    const res = await request({ port: groupsPort, path: `/${prefix}/x${i}` });
    assert.equal(res.status, 200, res.text);
    const name = res.text.trim();
    seen.set(name, (seen.get(name) ?? 0) + 1);
  }
  return [...seen.keys()].sort();
}

before(async () => {
  for (const name of ['a', 'b', 'c', 'd', 'closed', 'silent']) ports[name] = await freePort();
  ({ process: nginx } = startNginx((dir) => {
    nginxConf = path.join(dir, 'nginx.conf');
    return nginxServers(dir);
  }));
  for (const name of ['a', 'b', 'c', 'd'])
    await waitForHttp(`http://127.0.0.1:${ports[name]}/`, { process: nginx });
  httpbin = await startHttpbin();
  // Accepts connections and never answers: every check of it times out.
  silent = net.createServer((socket) => {
    silentSockets.add(socket);
    socket.on('close', () => silentSockets.delete(socket));
    socket.on('error', () => {});
  });
  await new Promise((resolve) => silent.listen(ports.silent, '127.0.0.1', resolve));

  port = await freePort();
  groupsPort = await freePort();
  const dir = writeConfig('');
  configFile = path.join(dir, 'config.yaml');
  fs.writeFileSync(configFile, config());
  gateway = await startGateway({ configDir: dir, listenPort: port });
});

after(async () => {
  await gateway?.process.stop();
  await nginx?.stop();
  await httpbin?.process.stop();
  for (const socket of silentSockets) socket.destroy();
  silent?.close();
});

test('new targets pass one check and are healthy; probes are ALB-shaped', async () => {
  const groups = await waitForTargets(
    (g) => stateOf(g, 'web', 0) === 'healthy' && stateOf(g, 'web', 1) === 'healthy',
    'web targets healthy', 2 * INTERVAL_MS);
  const a = target(groups, 'web', 0);
  assert.equal(a.reason, null);
  assert.equal(a.description, null);
  assert.equal(a.last_check.status, 200);
  assert.equal(a.last_check.endpoint, `127.0.0.1:${ports.a}`);
  assert.ok(a.last_check.latency_ms >= 0 && a.last_check.latency_ms < 2000);
  assert.match(a.last_check.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.deepEqual(await whoServes('web'), ['a', 'b']);

  // What nginx received: a GET of the path, Host ip:port, ELB's User-Agent, and one request
  // per connection.
  const log = fs.readFileSync(path.join(path.dirname(nginxConf), 'probes-a.log'), 'utf8');
  const probes = log.split('\n').filter((line) => line.includes('ELB-HealthChecker'));
  assert.ok(probes.length >= 1, log);
  for (const line of probes) {
    assert.match(line, new RegExp(`^\\d+ 1 "ELB-HealthChecker/2.0" "127.0.0.1:${ports.a}" "GET /health HTTP/1.1"$`));
  }
});

test('a target that starts failing goes unhealthy, gets no traffic, and comes back', async () => {
  await reloadNginx(['b']);
  const started = Date.now();
  // One failure is not enough (unhealthy threshold 2): b stays healthy in between.
  let groups = await waitForTargets((g) => target(g, 'web', 1).consecutive_failures >= 1,
    'a first failed check of b');
  if (target(groups, 'web', 1).consecutive_failures === 1) assert.equal(stateOf(groups, 'web', 1), 'healthy');
  groups = await waitForTargets((g) => stateOf(g, 'web', 1) === 'unhealthy', 'b unhealthy');
  assert.ok(Date.now() - started >= INTERVAL_MS - 1000, 'unhealthy before two checks');
  const b = target(groups, 'web', 1);
  assert.equal(b.reason, 'Target.ResponseCodeMismatch');
  assert.equal(b.description, 'Health checks failed with these codes: [503]');
  assert.equal(stateOf(groups, 'web', 0), 'healthy');
  assert.deepEqual(await whoServes('web'), ['a']);

  await reloadNginx([]);
  groups = await waitForTargets((g) => target(g, 'web', 1).consecutive_successes >= 1,
    'a first passing check of b');
  if (target(groups, 'web', 1).consecutive_successes === 1) {
    // A target that was unhealthy needs the healthy threshold (2), not one pass.
    assert.equal(stateOf(groups, 'web', 1), 'unhealthy');
  }
  groups = await waitForTargets((g) => stateOf(g, 'web', 1) === 'healthy', 'b healthy again');
  assert.equal(target(groups, 'web', 1).reason, null);
  assert.deepEqual(await whoServes('web'), ['a', 'b']);
});

test('a group whose targets are all unhealthy fails open to all of them', async () => {
  await waitForTargets((g) => stateOf(g, 'down', 0) === 'unhealthy' && stateOf(g, 'down', 1) === 'unhealthy',
    'down targets unhealthy');
  assert.deepEqual(await whoServes('down'), ['c', 'd']);
});

test('timeouts, wrong codes, refused connections and matchers, in ALB terms', async () => {
  const groups = await waitForTargets(
    (g) => ['slow', 'teapot', 'refused', 'mesh-strict', 'mesh-denied'].every((n) => stateOf(g, n) === 'unhealthy') &&
      stateOf(g, 'listy') === 'healthy' && stateOf(g, 'ranged') === 'healthy',
    'every failing group unhealthy');
  const slow = target(groups, 'slow');
  assert.equal(slow.reason, 'Target.Timeout');
  assert.equal(slow.description, 'Request timed out');
  assert.equal(slow.last_check.result, 'timeout');
  assert.ok(slow.last_check.latency_ms >= 1900 && slow.last_check.latency_ms < 3000, `${slow.last_check.latency_ms}`);
  const teapot = target(groups, 'teapot');
  assert.equal(teapot.reason, 'Target.ResponseCodeMismatch');
  assert.equal(teapot.description, 'Health checks failed with these codes: [418]');
  const refused = target(groups, 'refused');
  assert.equal(refused.reason, 'Target.FailedHealthChecks');
  assert.equal(refused.description, 'Health checks failed');
  assert.equal(refused.last_check.result, 'connection_error');
  // healthCheckPort: the check goes to httpbin although traffic would go to a closed port.
  const ranged = target(groups, 'ranged');
  assert.equal(ranged.health_check_port, httpbin.port);
  assert.equal(ranged.last_check.status, 204);
  assert.equal(target(groups, 'listy').last_check.status, 418);
  // Not in any listener action: not checked.
  const spare = target(groups, 'spare');
  assert.equal(spare.state, 'unused');
  assert.equal(spare.reason, 'Target.NotInUse');
  assert.equal(spare.description, 'Target group is not configured to receive traffic from the load balancer');
  assert.equal(spare.last_check, null);
});

test('mesh target groups are checked through the mesh, not through a listener', async () => {
  const groups = await waitForTargets((g) => stateOf(g, 'mesh-rewrite') === 'healthy', 'mesh-rewrite healthy');
  const mesh = target(groups, 'mesh-rewrite');
  assert.equal(mesh.id, 'mesh');
  assert.equal(mesh.port, 82);
  // /healthz exists only as the port-82 VirtualService route rewriting it to httpbin's
  // /status/200; httpbin itself answers /healthz with 404.
  assert.equal(mesh.last_check.route, 'VirtualService/foo/probes');
  assert.equal(mesh.last_check.cluster, 'outbound|8000||httpbin.foo.svc.cluster.local');
  assert.equal(mesh.last_check.endpoint, `127.0.0.1:${httpbin.port}`);
  assert.equal(mesh.last_check.status, 200);
  assert.equal((await request({ port: httpbin.port, path: '/healthz' })).status, 404);
  // On Gateway port 81 no route has /healthz: the mesh answers 404 itself.
  const strict = target(groups, 'mesh-strict');
  assert.equal(strict.description, 'Health checks failed with these codes: [404]');
  assert.equal(strict.last_check.endpoint, null);
  // Port 83: the workload's AuthorizationPolicy refuses a check without a token, as Istio
  // would refuse the ALB's (the article opens /status/200 to everyone for that reason).
  const denied = target(groups, 'mesh-denied');
  assert.equal(denied.reason, 'Target.ResponseCodeMismatch');
  assert.equal(denied.description, 'Health checks failed with these codes: [403]');
  assert.equal(denied.last_check.endpoint, null);
});

test('the metrics carry states, reasons and check results', async () => {
  const res = await request({ port: gateway.adminPort, path: '/stats/prometheus' });
  const text = res.text;
  const b = `target_group="web",target="127.0.0.1:${ports.b}"`;
  assert.ok(text.includes(`gatehouse_target_health{${b},state="healthy"} 1`), text);
  assert.ok(text.includes(`gatehouse_target_health{${b},state="unhealthy"} 0`), text);
  assert.match(text, new RegExp(`gatehouse_health_checks_total\\{${b},result="response_code_mismatch"\\} [1-9]`));
  assert.match(text, /gatehouse_target_health_reason\{target_group="slow",target="127\.0\.0\.1:\d+",reason="Target\.Timeout"\} 1/);
  assert.match(text, /gatehouse_health_checks_total\{target_group="slow",target="127\.0\.0\.1:\d+",result="timeout"\} [1-9]/);
  assert.match(text, /gatehouse_target_health\{target_group="mesh-rewrite",target="mesh:82",state="healthy"\} 1/);
  assert.match(text, /gatehouse_target_health_reason\{target_group="spare",target="127\.0\.0\.1:\d+",reason="Target\.NotInUse"\} 1/);
});

test('a reload keeps the state of the targets that stay', async () => {
  const before = await targets();
  assert.equal(stateOf(before, 'web', 1), 'healthy');
  fs.writeFileSync(configFile, config(targetGroup('spare2', ipTargets(ports.closed))));
  const groups = await waitForTargets((g) => g.some((x) => x.name === 'spare2'), 'the reload', 10000);
  assert.equal(stateOf(groups, 'web', 0), 'healthy');
  assert.equal(stateOf(groups, 'web', 1), 'healthy');
  assert.equal(stateOf(groups, 'slow'), 'unhealthy');
  assert.ok(target(groups, 'web', 0).checks.success >= target(before, 'web', 0).checks.success);
  assert.deepEqual(await whoServes('web'), ['a', 'b']);
});
