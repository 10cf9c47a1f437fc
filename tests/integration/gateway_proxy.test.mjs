// The gateway as a proxy: routing through Listener -> mesh -> httpbin, the headers added at
// the listener, streamed bodies both ways, keep-alive and pipelining, path normalization,
// and the admin pages. Real processes on loopback: gatehouse and its built-in httpbin.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { freePort, request } from './lib/harness.mjs';
import {
  meshConfig, rawExchange, startGateway, startHttpbin, statusOf, writeConfig,
} from './lib/gateway.mjs';

let httpbin;
let gateway;
let port;

before(async () => {
  httpbin = await startHttpbin();
  port = await freePort();
  const configDir = writeConfig(meshConfig({
    listenPort: port,
    httpbinPort: httpbin.port,
    routeExtra: '    timeout: 1s',
  }));
  gateway = await startGateway({ configDir, listenPort: port });
});

after(async () => {
  await gateway?.process.stop();
  await httpbin?.process.stop();
});

test('routes through the mesh to httpbin and adds the listener headers', async () => {
  const res = await request({ port, path: '/headers?show_env=1', headers: { 'X-Forwarded-For': '203.0.113.9' } });
  assert.equal(res.status, 200);
  const seen = JSON.parse(res.text).headers;
  assert.equal(seen['X-Forwarded-For'], '203.0.113.9, 127.0.0.1');
  assert.equal(seen['X-Forwarded-Proto'], 'http');
  assert.equal(seen['X-Forwarded-Port'], String(port));
  assert.match(seen['X-Request-Id'], /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.match(seen['X-Amzn-Trace-Id'], /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
});

test('keeps a client request id and adds Self to a trace id with Root', async () => {
  const res = await request({
    port, path: '/headers?show_env=1',
    headers: { 'X-Request-Id': 'abc-123', 'X-Amzn-Trace-Id': 'Root=1-5f84b3e0-000000000000000000000001' },
  });
  const seen = JSON.parse(res.text).headers;
  assert.equal(seen['X-Request-Id'], 'abc-123');
  assert.match(seen['X-Amzn-Trace-Id'], /^Self=1-[0-9a-f]{8}-[0-9a-f]{24};Root=1-5f84b3e0-0{23}1$/);
});

test('a listener rule answers a fixed response without the upstream', async () => {
  const res = await request({ port, path: '/fixed' });
  assert.equal(res.status, 418);
  assert.equal(res.text, 'short and stout');
  assert.equal(res.headers['content-type'], 'text/plain');
});

test('normalizes the path before routing and sends the normalized path upstream', async () => {
  // RFC 3986: each ".." removes one segment, so /status/200/../.. is the root.
  const res = await request({ port, path: '/status/200/../../anything/%61?x=1' });
  assert.equal(res.status, 200);
  assert.match(JSON.parse(res.text).url, /\/anything\/a\?x=1$/);
});

test('refuses a path that climbs above the root or holds %00', async () => {
  for (const path of ['/../etc/passwd', '/a/%2e%2e/%2e%2e/b', '/a%00b']) {
    const { text, closed } = await rawExchange(port, `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
    assert.equal(statusOf(text), 400, path);
    assert.ok(closed, path);
  }
});

test('streams a large request body up and a large response body down', async () => {
  const body = Buffer.alloc(3 * 1024 * 1024, 'a');
  const up = await request({ port, method: 'POST', path: '/anything', body, timeoutMs: 20000,
    headers: { 'Content-Type': 'application/octet-stream' } });
  assert.equal(up.status, 200);
  assert.equal(JSON.parse(up.text).headers['Content-Length'], String(body.length));
  const down = await request({ port, path: '/bytes/102400' });
  assert.equal(down.status, 200);
  assert.equal(down.body.length, 102400);
});

test('forwards a chunked request body and a chunked response', async () => {
  const { text } = await rawExchange(port,
    'POST /anything HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n' +
    '5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n');
  assert.equal(statusOf(text), 200);
  assert.match(text, /"data": "hello world"/);
  const stream = await request({ port, path: '/stream/3' });
  assert.equal(stream.status, 200);
  assert.equal(stream.text.trim().split('\n').length, 3);
});

test('answers pipelined requests in order on one connection', async () => {
  const one = 'GET /status/201 HTTP/1.1\r\nHost: x\r\n\r\n';
  const two = 'GET /status/202 HTTP/1.1\r\nHost: x\r\n\r\n';
  const three = 'GET /status/203 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';
  const { text, closed } = await rawExchange(port, one + two + three);
  const codes = [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
  assert.deepEqual(codes, [201, 202, 203]);
  assert.ok(closed);
});

test('HTTP/1.0 without keep-alive is closed after the response', async () => {
  const { text, closed } = await rawExchange(port, 'GET /status/200 HTTP/1.0\r\nHost: x\r\n\r\n');
  assert.equal(statusOf(text), 200);
  assert.ok(closed);
});

test('HTTP/1.0 with Connection: keep-alive keeps the connection and says so', async () => {
  const ask = 'GET /status/200 HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\n\r\n';
  const { text, closed } = await rawExchange(port, ask + ask, { timeoutMs: 1500 });
  const answers = [...text.matchAll(/HTTP\/1\.0 200/g)].length;
  assert.equal(answers, 2, text);
  assert.match(text, /Connection: keep-alive/i);
  assert.ok(!closed, 'the server closed a keep-alive HTTP/1.0 connection');
});

test('Expect: 100-continue gets 100 before the body is sent', async () => {
  const { text } = await rawExchange(port,
    'POST /anything HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n' +
    'Connection: close\r\n\r\nhello');
  assert.match(text, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200/);
});

test('a route timeout gives 504 upstream request timeout', async () => {
  const res = await request({ port, path: '/delay/3', timeoutMs: 10000 });
  assert.equal(res.status, 504);
  assert.equal(res.text, 'upstream request timeout');
});

test('the admin listener serves ready, config_dump and prometheus stats', async () => {
  const admin = gateway.adminPort;
  assert.equal((await request({ port: admin, path: '/ready' })).status, 200);
  const dump = JSON.parse((await request({ port: admin, path: '/config_dump' })).text);
  const kinds = dump.files.flatMap((f) => f.resources.map((r) => r.kind));
  assert.deepEqual(kinds.sort(), ['Gateway', 'Listener', 'ServiceEntry', 'TargetGroup', 'VirtualService']);
  const stats = (await request({ port: admin, path: '/stats/prometheus' })).text;
  assert.match(stats, /gatehouse_requests_total\{listener="http",route="default",code_class="2xx"\} \d+/);
  assert.match(stats, /gatehouse_request_duration_seconds_bucket\{le="\+Inf"\} \d+/);
});
