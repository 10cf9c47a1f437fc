// gatehouse in front of real nginx: an `ip` target group of two nginx servers is balanced
// round robin, upstream connections are pooled and reused, and a large static file is
// streamed through with its exact bytes.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { freePort, request, waitForHttp } from './lib/harness.mjs';
import { startGateway, writeConfig } from './lib/gateway.mjs';
import { startNginx, writePublicFile } from './lib/nginx.mjs';

let nginx;
let gateway;
let port;
let meshPort;
let bigFile;

before(async () => {
  bigFile = crypto.randomBytes(5 * 1024 * 1024);
  const [a, b] = [await freePort(), await freePort()];
  const server = (dir, p, name) => `
  server {
    listen 127.0.0.1:${p};
    keepalive_requests 10000;
    location = /who { add_header X-Connection $connection; return 200 "${name}\\n"; }
    location / { root ${dir}; }
  }`;
  ({ process: nginx } = startNginx((dir) => {
    writePublicFile(path.join(dir, 'big.bin'), bigFile);
    return server(dir, a, 'a') + server(dir, b, 'b');
  }));
  await waitForHttp(`http://127.0.0.1:${a}/who`, { process: nginx });
  await waitForHttp(`http://127.0.0.1:${b}/who`, { process: nginx });

  port = await freePort();
  meshPort = await freePort();
  const configDir = writeConfig(`
apiVersion: gatehouse.dev/v1alpha1
kind: Listener
metadata: {name: edge}
spec:
  address: 127.0.0.1
  port: ${port}
  defaultActions: [{type: forward, targetGroupName: nginx}]
  rules:
  - priority: 1
    conditions: [{field: path-pattern, values: [/fixed]}]
    actions: [{type: fixed-response, fixedResponseConfig: {statusCode: "200", messageBody: ok}}]
---
apiVersion: gatehouse.dev/v1alpha1
kind: TargetGroup
metadata: {name: nginx}
spec:
  port: ${a}
  targets: [{id: 127.0.0.1}, {id: 127.0.0.1, port: ${b}}]
---
apiVersion: gatehouse.dev/v1alpha1
kind: Listener
metadata: {name: mesh}
spec:
  address: 127.0.0.1
  port: ${meshPort}
  defaultActions: [{type: forward, targetGroupName: mesh}]
---
apiVersion: gatehouse.dev/v1alpha1
kind: TargetGroup
metadata: {name: mesh}
spec: {targetType: mesh, port: 80}
---
apiVersion: networking.istio.io/v1beta1
kind: Gateway
metadata: {name: gw}
spec:
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {name: nginx}
spec:
  hosts: ["*"]
  gateways: [gw]
  http: [{route: [{destination: {host: nginx.local, port: {number: 80}}}]}]
---
apiVersion: networking.istio.io/v1beta1
kind: ServiceEntry
metadata: {name: nginx}
spec:
  hosts: [nginx.local]
  ports: [{number: 80, name: http, protocol: HTTP, targetPort: ${a}}]
  resolution: STATIC
  endpoints: [{address: 127.0.0.1}]
---
apiVersion: networking.istio.io/v1beta1
kind: DestinationRule
metadata: {name: nginx}
spec:
  host: nginx.local
  trafficPolicy:
    connectionPool:
      http: {maxRequestsPerConnection: 2}
`);
  gateway = await startGateway({ configDir, listenPort: port, workers: 1 });
});

after(async () => {
  await gateway?.process.stop();
  await nginx?.stop();
});

test('round robin alternates between the two targets', async () => {
  const names = [];
  for (let i = 0; i < 6; ++i) names.push((await request({ port, path: '/who' })).text.trim());
  assert.deepEqual([...new Set(names)].sort(), ['a', 'b']);
  for (let i = 1; i < names.length; ++i) assert.notEqual(names[i], names[i - 1]);
});

test('upstream connections are kept alive and reused', async () => {
  const seen = new Map();
  for (let i = 0; i < 10; ++i) {
    const res = await request({ port, path: '/who' });
    const key = `${res.text.trim()}#${res.headers['x-connection']}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  // Ten sequential requests over two targets need two connections, not ten.
  assert.ok(seen.size <= 2, `upstream connections used: ${[...seen.keys()].join(', ')}`);
});

test('DestinationRule maxRequestsPerConnection bounds how often a connection is reused', async () => {
  const connections = new Map();
  for (let i = 0; i < 6; ++i) {
    const res = await request({ port: meshPort, path: '/who' });
    assert.equal(res.text.trim(), 'a');
    const id = res.headers['x-connection'];
    connections.set(id, (connections.get(id) ?? 0) + 1);
  }
  assert.ok(connections.size >= 3, `6 requests used ${connections.size} connections`);
  for (const [id, count] of connections) assert.ok(count <= 2, `connection ${id} carried ${count}`);
});

test('a 5 MiB file streams through byte for byte', async () => {
  const res = await request({ port, path: '/big.bin', timeoutMs: 20000 });
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-length'], String(bigFile.length));
  assert.ok(res.body.equals(bigFile));
});

test('HEAD through the proxy gets the headers and no body', async () => {
  const res = await request({ port, method: 'HEAD', path: '/big.bin' });
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-length'], String(bigFile.length));
  assert.equal(res.body.length, 0);
});
