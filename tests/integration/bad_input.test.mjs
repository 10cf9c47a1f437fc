// Hostile and malformed HTTP from clients and upstreams, over raw sockets: each gets its
// status (400, 414, 431, 502, 503) or a close, and the gateway keeps serving afterwards.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { freePort, request } from './lib/harness.mjs';
import { rawExchange, startGateway, statusOf, writeConfig } from './lib/gateway.mjs';

let gateway;
let port;
let upstreamPort;
let garbage;

// A misbehaving upstream: /garbage answers bytes that are not HTTP, /cut promises 100
// bytes and closes after 5, /cutbig promises 100000 and closes after 50000, /stall sends a
// head and 3 of 10 bytes and then nothing, anything else says 200 with a body.
function startBadUpstream() {
  return new Promise((resolve) => {
    const server = net.createServer((socket) => {
      socket.once('data', (data) => {
        const line = data.toString('latin1').split('\r\n')[0];
        if (line.includes('/garbage')) socket.end('NOT HTTP AT ALL\r\n\r\n');
        else if (line.includes('/stall')) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc');
        else if (line.includes('/cutbig')) {
          socket.end(`HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n${'x'.repeat(50000)}`);
        } else if (line.includes('/cut')) socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhello');
        else socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok');
      });
      socket.on('error', () => {});
    });
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

before(async () => {
  garbage = await startBadUpstream();
  upstreamPort = garbage.address().port;
  port = await freePort();
  const closedPort = await freePort();
  const configDir = writeConfig(`
apiVersion: gatehouse.dev/v1alpha1
kind: Listener
metadata: {name: edge}
spec:
  address: 127.0.0.1
  port: ${port}
  defaultActions:
  - type: forward
    targetGroupName: bad
  rules:
  - priority: 1
    conditions: [{field: path-pattern, values: [/fixed]}]
    actions: [{type: fixed-response, fixedResponseConfig: {statusCode: "200", messageBody: ok}}]
  - priority: 2
    conditions: [{field: path-pattern, values: [/down*]}]
    actions: [{type: forward, targetGroupName: down}]
  - priority: 3
    conditions: [{field: path-pattern, values: [/empty*]}]
    actions: [{type: forward, targetGroupName: empty}]
---
apiVersion: gatehouse.dev/v1alpha1
kind: TargetGroup
metadata: {name: bad}
spec:
  port: ${upstreamPort}
  targets: [{id: 127.0.0.1}]
---
apiVersion: gatehouse.dev/v1alpha1
kind: TargetGroup
metadata: {name: down}
spec:
  port: ${closedPort}
  targets: [{id: 127.0.0.1}]
---
apiVersion: gatehouse.dev/v1alpha1
kind: TargetGroup
metadata: {name: empty}
spec:
  port: 80
`);
  gateway = await startGateway({ configDir, listenPort: port, extraArgs: ['--header-timeout', '1', '--idle-timeout', '2'] });
});

after(async () => {
  await gateway?.process.stop();
  garbage?.close();
});

const refusals = {
  'a malformed request line': ['GET\r\n\r\n', 400],
  'a malformed header line': ['GET / HTTP/1.1\r\nHost x\r\n\r\n', 400],
  'both Content-Length and Transfer-Encoding':
    ['POST /fixed HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400],
  'two different Content-Lengths':
    ['POST /fixed HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd', 400],
  'a Transfer-Encoding other than chunked':
    ['POST /fixed HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n', 400],
  'obs-fold': ['GET /fixed HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n  2\r\n\r\n', 400],
  'a bare CR in a header': ['GET /fixed HTTP/1.1\r\nHost: x\r\nX-A: 1\r2\r\n\r\n', 400],
  'a NUL in a header': ['GET /fixed HTTP/1.1\r\nHost: x\r\nX-A: 1\u00002\r\n\r\n', 400],
  'a lower-case method': ['get /fixed HTTP/1.1\r\nHost: x\r\n\r\n', 400],
  'HTTP/1.1 without Host': ['GET /fixed HTTP/1.1\r\n\r\n', 400],
  'headers over 64 KiB': [`GET /fixed HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(70000)}\r\n\r\n`, 431],
  'a URI over 16 KiB': [`GET /${'a'.repeat(17000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 414],
};

for (const [name, [bytes, status]] of Object.entries(refusals)) {
  test(`${name} gets ${status} and a close`, async () => {
    const { text, closed } = await rawExchange(port, bytes);
    assert.equal(statusOf(text), status, text.slice(0, 200));
    assert.ok(closed);
  });
}

test('a bad chunk size gets 400 and a close', async () => {
  const { text, closed } = await rawExchange(port,
    'POST /anything HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n');
  assert.equal(statusOf(text), 400, text.slice(0, 200));
  assert.ok(closed);
});

test('a head sent slower than the header timeout is closed', async () => {
  const started = Date.now();
  const { closed } = await rawExchange(port, 'GET /fixed HTTP/1.1\r\nHost:', { timeoutMs: 5000 });
  assert.ok(closed);
  assert.ok(Date.now() - started < 4500);
});

test('an idle keep-alive connection is closed after the idle timeout', async () => {
  const started = Date.now();
  const { text, closed } = await rawExchange(port, 'GET /fixed HTTP/1.1\r\nHost: x\r\n\r\n',
    { timeoutMs: 6000 });
  assert.equal(statusOf(text), 200);
  assert.ok(closed, 'still open after 6 s');
  const waited = Date.now() - started;
  assert.ok(waited >= 1500 && waited < 5000, `closed after ${waited} ms`);
});

test('an upstream that answers garbage gives 502', async () => {
  const res = await request({ port, path: '/garbage' });
  assert.equal(res.status, 502);
});

test('an upstream that closes mid-body gets 502 and the client connection is closed', async () => {
  // The upstream promises 100 bytes and sends 5: nothing reached the client yet, so it gets a
  // clean 502, and the pipelined second request is not answered on this connection.
  const { text, closed } = await rawExchange(port, 'GET /cut HTTP/1.1\r\nHost: x\r\n\r\nGET /fixed HTTP/1.1\r\nHost: x\r\n\r\n');
  assert.equal(statusOf(text), 502, text);
  assert.ok(closed);
  assert.equal([...text.matchAll(/HTTP\/1\.1 /g)].length, 1, 'no answer may follow on this connection');
});

test('a half-relayed response ends the client connection and nothing follows it', async () => {
  const { text, closed } = await rawExchange(port,
    'GET /cutbig HTTP/1.1\r\nHost: x\r\n\r\nGET /fixed HTTP/1.1\r\nHost: x\r\n\r\n', { timeoutMs: 5000 });
  assert.equal(statusOf(text), 200);
  assert.ok(closed, 'the connection must close after a truncated body');
  const body = text.slice(text.indexOf('\r\n\r\n') + 4);
  assert.ok(body.length < 100000, `got ${body.length} body bytes`);
  assert.equal([...text.matchAll(/HTTP\/1\.1 /g)].length, 1, 'no answer may follow on this connection');
});

test('an upstream silent past the idle timeout before anything was relayed gives 504', async () => {
  const started = Date.now();
  const res = await request({ port, path: '/stall', timeoutMs: 8000 });
  assert.equal(res.status, 504);
  assert.equal(res.text, 'upstream request timeout');
  assert.ok(Date.now() - started >= 900, 'answered before the idle timeout could pass');
});

test('an upstream that refuses connections gives 502', async () => {
  const res = await request({ port, path: '/down' });
  assert.equal(res.status, 502);
  assert.match(res.text, /connection failure/);
});

test('failed upstream connections are counted', async () => {
  const stats = (await request({ port: gateway.adminPort, path: '/stats/prometheus' })).text;
  assert.match(stats, /gatehouse_upstream_connection_failures_total [1-9]/);
  assert.match(stats, /gatehouse_upstream_connections_total [1-9]/);
});

test('a target group without targets gives 503', async () => {
  const res = await request({ port, path: '/empty' });
  assert.equal(res.status, 503);
  assert.equal(res.text, 'no healthy upstream');
});

test('the gateway still serves after all of the above', async () => {
  const res = await request({ port, path: '/fixed' });
  assert.equal(res.status, 200);
  assert.equal(res.text, 'ok');
});
