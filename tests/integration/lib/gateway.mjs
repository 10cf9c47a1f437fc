// Starts the pieces of a gateway test: the built-in httpbin as upstream and gatehouse
// serving a config written to a temporary folder. Also raw-socket helpers for tests that
// must send bytes no HTTP client would.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, startHttpServer, startProcess, waitForHttp } from './harness.mjs';

export const gatehouseBin = process.env.GATEHOUSE_BIN ?? 'build/src/app/gatehouse';

export async function startHttpbin() {
  return startHttpServer({
    cmd: gatehouseBin,
    args: (port) => ['httpbin', '--listen', `127.0.0.1:${port}`],
    readyPath: '/status/200',
  });
}

// A ServiceEntry putting NAME.foo.svc.cluster.local:8000 (workload app: NAME) on the httpbin
// listening on 127.0.0.1:httpbinPort.
export function serviceEntry(name, httpbinPort) {
  return `apiVersion: networking.istio.io/v1beta1
kind: ServiceEntry
metadata: {name: ${name}, namespace: foo}
spec:
  hosts: [${name}.foo.svc.cluster.local]
  location: MESH_INTERNAL
  ports:
  - {number: 8000, name: http, protocol: HTTP, targetPort: ${httpbinPort}}
  resolution: STATIC
  endpoints:
  - address: 127.0.0.1
    ports: {http: ${httpbinPort}}
    labels: {app: ${name}}`;
}

// The reference article's Istio routing to httpbin: the Gateway on port 80 for every host, the
// VirtualService sending everything to httpbin.foo, and its ServiceEntry on the built-in
// httpbin listening on httpbinPort. `routeExtra` is appended to the VirtualService's route.
function httpbinRoute({ httpbinPort, routeExtra = '' }) {
  return `apiVersion: networking.istio.io/v1alpha3
kind: Gateway
metadata: {name: httpbin-gateway, namespace: foo}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["*"]
---
apiVersion: networking.istio.io/v1alpha3
kind: VirtualService
metadata: {name: httpbin, namespace: foo}
spec:
  hosts: ["*"]
  gateways: [httpbin-gateway]
  http:
  - route:
    - destination:
        port: {number: 8000}
        host: httpbin.foo.svc.cluster.local
${routeExtra}
---
${serviceEntry('httpbin', httpbinPort)}`;
}

// The reference article's mesh behind an edge: the TargetGroup `istio-ingressgateway` handing
// requests to the Gateway on port 80, the VirtualService to httpbin.foo (the built-in httpbin
// on httpbinPort), and the RequestAuthentication reading x-amzn-oidc-accesstoken from `issuer`
// with forwardOriginalToken. Callers add the Listeners and AuthorizationPolicies.
export function articleMesh({ httpbinPort, issuer, jwksUri }) {
  return `apiVersion: gatehouse.dev/v1alpha1
kind: TargetGroup
metadata: {name: istio-ingressgateway, namespace: foo}
spec:
  targetType: mesh
  port: 80
---
${httpbinRoute({ httpbinPort })}
---
apiVersion: security.istio.io/v1beta1
kind: RequestAuthentication
metadata: {name: httpbin, namespace: foo}
spec:
  selector:
    matchLabels: {app: httpbin}
  jwtRules:
  - issuer: "${issuer}"
    jwksUri: "${jwksUri}"
    fromHeaders:
    - name: x-amzn-oidc-accesstoken
    forwardOriginalToken: true`;
}

// The seed config's shape: Listener -> mesh TargetGroup -> Gateway/VirtualService -> the
// ServiceEntry for httpbin. `vsExtra` is appended to the VirtualService's first route.
// The tests send x-amzn-oidc-accesstoken themselves, standing in for an ALB in front: the
// listener keeps those headers from 127.0.0.1 (trustOidcHeadersFrom), as it would from an ALB.
export function meshConfig({ listenPort, httpbinPort, routeExtra = '' }) {
  return `
${httpbinRoute({ httpbinPort, routeExtra })}
---
apiVersion: gatehouse.dev/v1alpha1
kind: Listener
metadata: {name: http}
spec:
  address: 127.0.0.1
  port: ${listenPort}
  protocol: HTTP
  trustOidcHeadersFrom: [127.0.0.1]
  defaultActions:
  - type: forward
    targetGroupName: mesh
  rules:
  - priority: 10
    conditions:
    - field: path-pattern
      values: [/fixed]
    actions:
    - type: fixed-response
      fixedResponseConfig: {statusCode: "418", contentType: text/plain, messageBody: "short and stout"}
---
apiVersion: gatehouse.dev/v1alpha1
kind: TargetGroup
metadata: {name: mesh}
spec:
  targetType: mesh
  port: 80
`;
}

// A temporary folder holding what an HTTPS listener with authenticate-oidc names: tls.crt and
// tls.key (a self-signed P-256 certificate for localhost and 127.0.0.1, made with the openssl
// command line), session.keys (one fresh key) and client.secret. Returns its path.
export function loginFolder(prefix, clientSecret) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
    '-nodes', '-days', '2', '-subj', '/CN=localhost', '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', 'tls.key', '-out', 'tls.crt'],
  { cwd: dir, stdio: 'ignore', timeout: 10000 });
  fs.writeFileSync(path.join(dir, 'session.keys'), `${crypto.randomBytes(32).toString('base64')}\n`);
  fs.writeFileSync(path.join(dir, 'client.secret'), `${clientSecret}\n`);
  return dir;
}

// The entries of gatehouse's JSON-lines access log, complete lines only: workers append their
// batches with write(2), so a reader can see the last line half written.
export function readAccessLog(file) {
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, 'utf8');
  return text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter(Boolean)
    .map((line) => JSON.parse(line));
}

export function writeConfig(yaml) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-test-'));
  fs.writeFileSync(path.join(dir, 'config.yaml'), yaml);
  return dir;
}

// Starts `gatehouse run` on `configDir` and waits until the admin says ready.
export async function startGateway({ configDir, listenPort, workers = 2, extraArgs = [] }) {
  const adminPort = await freePort();
  const gateway = startProcess(gatehouseBin, [
    'run', '--config', configDir, '--admin', `127.0.0.1:${adminPort}`, '--workers', String(workers),
    '--access-log', '', ...extraArgs,
  ]);
  await waitForHttp(`http://127.0.0.1:${adminPort}/ready`, { process: gateway, timeoutMs: 10000 });
  await waitForHttp(`http://127.0.0.1:${listenPort}/fixed`, { process: gateway, timeoutMs: 10000 });
  return { process: gateway, adminPort };
}

// Sends `bytes` on a fresh connection and collects everything until the server closes it
// or `timeoutMs` passes. Resolves to {text, closed}.
export function rawExchange(port, bytes, { timeoutMs = 3000 } = {}) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    let done = false;
    const finish = (closed) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve({ text, closed });
    };
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => { text += chunk; });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.write(Buffer.from(bytes, 'latin1'));
  });
}

export function statusOf(text) {
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  return m ? Number(m[1]) : null;
}
