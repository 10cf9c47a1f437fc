// ALB listener rules end to end: each condition (http-header, http-request-method,
// query-string, source-ip on the TCP peer) and the redirect action, through a real gatehouse
// in front of the built-in httpbin. A request no rule takes reaches httpbin, so a body from a
// fixed-response proves which rule matched.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { freePort, request } from './lib/harness.mjs';
import {
  gatehouseBin, rawExchange, startGateway, startHttpbin, statusOf, writeConfig,
} from './lib/gateway.mjs';

let httpbin;
let gateway;
let port;

// A rule answering `body` when `conditions` (YAML flow list) hold.
function fixedRule(priority, conditions, body) {
  return `
  - priority: ${priority}
    conditions: ${conditions}
    actions:
    - type: fixed-response
      fixedResponseConfig: {statusCode: "200", messageBody: "${body}"}`;
}

function edgeConfig() {
  return `
apiVersion: gatehouse.dev/v1alpha1
kind: Listener
metadata: {name: edge, namespace: foo}
spec:
  address: 127.0.0.1
  port: ${port}
  defaultActions:
  - type: forward
    targetGroupName: httpbin
  rules:
  - priority: 1
    conditions: [{field: path-pattern, values: [/fixed]}]
    actions:
    - type: fixed-response
      fixedResponseConfig: {statusCode: "418", messageBody: "short and stout"}
${fixedRule(10, '[{field: http-header, httpHeaderConfig: {httpHeaderName: X-Route, values: ["beta*", "canary"]}}]', 'by header')}
${fixedRule(11, '[{field: http-header, httpHeaderConfig: {httpHeaderName: X-A, values: ["1"]}}, {field: http-header, httpHeaderConfig: {httpHeaderName: X-B, values: ["2"]}}]', 'by two headers')}
${fixedRule(20, '[{field: http-request-method, httpRequestMethodConfig: {values: [PURGE]}}]', 'by method')}
${fixedRule(30, '[{field: query-string, queryStringConfig: {values: [{key: version, value: v2}]}}]', 'by query')}
${fixedRule(31, "[{field: query-string, queryStringConfig: {values: [{value: '\\*'}]}}]", 'by literal star')}
${fixedRule(40, '[{field: source-ip, sourceIpConfig: {values: [198.51.100.0/24]}}]', 'by forged source')}
${fixedRule(41, '[{field: path-pattern, values: [/whoami]}, {field: source-ip, sourceIpConfig: {values: [127.0.0.0/8, "::1/128"]}}]', 'by source')}
${fixedRule(45, '[{field: http-header, httpHeaderConfig: {httpHeaderName: X-Forwarded-For, values: ["198.51.100.*"]}}]', 'by forwarded header')}
  - priority: 50
    conditions: [{field: path-pattern, values: ["/old/*"]}]
    actions:
    - type: redirect
      redirectConfig: {path: "/anything/#{path}", query: "moved=1&#{query}", statusCode: HTTP_302}
  - priority: 60
    conditions: [{field: host-header, values: [redirect.example.com]}]
    actions:
    - type: redirect
      redirectConfig: {protocol: HTTPS, port: "443", statusCode: HTTP_301}
---
apiVersion: gatehouse.dev/v1alpha1
kind: TargetGroup
metadata: {name: httpbin, namespace: foo}
spec:
  port: ${httpbin.port}
  targets: [{id: 127.0.0.1}]
  healthCheckPath: /status/200
`;
}

before(async () => {
  httpbin = await startHttpbin();
  port = await freePort();
  gateway = await startGateway({ configDir: writeConfig(edgeConfig()), listenPort: port });
});

after(async () => {
  await gateway?.process.stop();
  await httpbin?.process.stop();
});

// The body of a fixed-response rule, or "upstream" when httpbin answered.
async function ruleFor(options) {
  const res = await request({ port, ...options });
  return res.headers.server === 'awselb/2.0' && res.status === 200 ? res.text : 'upstream';
}

test('http-header: the named header, case-insensitive globs, several headers ANDed', async () => {
  assert.equal(await ruleFor({ path: '/get', headers: { 'x-route': 'BETA-7' } }), 'by header');
  assert.equal(await ruleFor({ path: '/get', headers: { 'X-Route': 'canary' } }), 'by header');
  assert.equal(await ruleFor({ path: '/get', headers: { 'X-Route': 'stable' } }), 'upstream');
  assert.equal(await ruleFor({ path: '/get', headers: { 'X-Routes': 'beta' } }), 'upstream');
  assert.equal(await ruleFor({ path: '/get', headers: { 'X-A': '1', 'X-B': '2' } }), 'by two headers');
  assert.equal(await ruleFor({ path: '/get', headers: { 'X-A': '1', 'X-B': '3' } }), 'upstream');
});

test('http-request-method: exact and case-sensitive', async () => {
  assert.equal(await ruleFor({ path: '/anything', method: 'PURGE' }), 'by method');
  assert.equal(await ruleFor({ path: '/anything', method: 'GET' }), 'upstream');
  const { text } = await rawExchange(port, 'purge /anything HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.ok(!text.includes('by method'), text);
});

test('query-string: decoded key/value pairs, escaped wildcards', async () => {
  assert.equal(await ruleFor({ path: '/get?version=v2' }), 'by query');
  assert.equal(await ruleFor({ path: '/get?a=1&VERSION=%76%32' }), 'by query');
  assert.equal(await ruleFor({ path: '/get?version=v3' }), 'upstream');
  assert.equal(await ruleFor({ path: '/get?q=%2A' }), 'by literal star');
  assert.equal(await ruleFor({ path: '/get?q=x' }), 'upstream');
});

test('source-ip: the TCP peer, never X-Forwarded-For', async () => {
  assert.equal(await ruleFor({ path: '/whoami' }), 'by source');  // we connect from 127.0.0.1
  // A forged X-Forwarded-For does not make the peer 198.51.100.7: rule 40 stays silent and
  // the http-header rule on X-Forwarded-For (45) is the one that sees the header.
  assert.equal(await ruleFor({ path: '/get', headers: { 'X-Forwarded-For': '198.51.100.7' } }),
    'by forwarded header');
});

test('redirect: ALB answer for HTTP to HTTPS, port written out', async () => {
  const res = await request({ port, path: '/some/page?a=1&b=2', headers: { Host: 'redirect.example.com' } });
  assert.equal(res.status, 301);
  assert.equal(res.headers.location, 'https://redirect.example.com:443/some/page?a=1&b=2');
  assert.equal(res.headers.server, 'awselb/2.0');
  assert.equal(res.headers['content-type'], 'text/html');
  assert.equal(res.headers['content-length'], '134');
  assert.match(res.text, /<title>301 Moved Permanently<\/title>/);
  const bare = await request({ port, path: '/', headers: { Host: 'redirect.example.com:8080' } });
  assert.equal(bare.headers.location, 'https://redirect.example.com:443/');  // no `?`
});

test('redirect: placeholders in path and query, followed to httpbin', async () => {
  const res = await request({ port, path: '/old/item?id=7' });
  assert.equal(res.status, 302);
  assert.equal(res.headers.location, `http://127.0.0.1:${port}/anything/old/item?moved=1&id=7`);
  const target = new URL(res.headers.location);
  const followed = await request({ port, path: target.pathname + target.search });
  assert.equal(followed.status, 200);
  const echoed = JSON.parse(followed.text);
  assert.deepEqual(echoed.args, { moved: '1', id: '7' });
});

test('redirect: no Host to build a Location from is a 400', async () => {
  const { text } = await rawExchange(port, 'GET /old/x HTTP/1.0\r\n\r\n');
  assert.equal(statusOf(text), 400, text);
  assert.match(text, /\r\nServer: awselb\/2\.0\r\n/, text);  // the redirect's own answer
  assert.ok(!/\r\nLocation:/i.test(text), text);
});

// A Listener `name` on port 8080 whose spec goes on with `spec` (its line 6 is the file's).
function listenerYaml(name, spec) {
  return `apiVersion: gatehouse.dev/v1alpha1
kind: Listener
metadata: {name: ${name}, namespace: foo}
spec:
  port: 8080
${spec}`;
}

// `gatehouse validate` on `yaml`: {file, status, lines of its output}.
function validate(yaml) {
  const file = path.join(writeConfig(yaml), 'config.yaml');
  const r = spawnSync(gatehouseBin, ['validate', '--config', file], { encoding: 'utf8', timeout: 20000 });
  return { file, status: r.status, lines: (r.stdout + r.stderr).trim().split('\n') };
}

test('validate: bad conditions and redirects are refused with file:line', () => {
  const { file, status, lines } = validate(listenerYaml('bad', `  defaultActions:
  - type: redirect
    redirectConfig: {statusCode: HTTP_301}
  rules:
  - priority: 1
    conditions:
    - {field: http-header, httpHeaderConfig: {httpHeaderName: Host, values: [a.example.com]}}
    - {field: http-request-method, httpRequestMethodConfig: {values: [get]}}
    actions:
    - type: redirect
      redirectConfig: {path: "/#{query}", statusCode: HTTP_302}
  - priority: 2
    conditions: [{field: source-ip, sourceIpConfig: {values: [10.0.0.1]}}]
    actions: [{type: fixed-response, fixedResponseConfig: {statusCode: "200"}}]
`));
  assert.equal(status, 1, lines.join('\n'));
  const at = (line, message) => `${file}:${line}: resource Listener/foo/bad: ${message}`;
  assert.deepEqual(lines, [
    at(8, 'spec.defaultActions[0].redirectConfig: a redirect must change the protocol, host, port or path; this one sends the client back to the URL it asked for'),
    at(12, 'spec.rules[0].conditions[0].httpHeaderConfig.httpHeaderName: use a host-header condition for the Host header'),
    at(13, 'spec.rules[0].conditions[1].httpRequestMethodConfig.values[0]: invalid http-request-method "get": may only contain A-Z, - and _ (methods are case-sensitive)'),
    at(16, 'spec.rules[0].actions[0].redirectConfig.path: invalid path "/#{query}": #{query} cannot be used in path'),
    at(18, 'spec.rules[1].conditions[0].sourceIpConfig.values[0]: invalid source-ip "10.0.0.1": must be a CIDR block (add /32 for one IPv4 address, /128 for one IPv6 address)'),
  ]);
});

test('validate: a CIDR block with bits after its prefix is refused where it is written', () => {
  const { file, status, lines } = validate(listenerYaml('bits', `  defaultActions: [{type: fixed-response, fixedResponseConfig: {statusCode: "404"}}]
  rules:
  - priority: 1
    conditions:
    - field: source-ip
      sourceIpConfig: {values: [10.0.0.1/24]}
    actions: [{type: fixed-response, fixedResponseConfig: {statusCode: "200"}}]
`));
  assert.equal(status, 1, lines.join('\n'));
  assert.deepEqual(lines, [
    `${file}:10: resource Listener/foo/bits: source-ip: "10.0.0.1/24" has bits set after the prefix length`,
  ]);
});
