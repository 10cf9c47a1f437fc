// HTTPS listeners end to end: certificates made with the openssl command line at test time
// (a CA, localhost/127.0.0.1, other.example, an expired one), gatehouse terminating TLS in
// front of the built-in httpbin and a streaming upstream, and Node's tls/https as clients:
// X-Forwarded-Proto, SNI picking the certificate, TLS versions, plain HTTP and slow handshakes
// on the HTTPS port, keep-alive and pipelining, large bodies both ways, connection.sni in an
// AuthorizationPolicy, and a reload with new certificate files.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tls from 'node:tls';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, request, startProcess, waitForHttp } from './lib/harness.mjs';
import { gatehouseBin, meshConfig, rawExchange, startHttpbin } from './lib/gateway.mjs';

const HEADER_TIMEOUT_SECONDS = 1;
const BIG = 24 * 1024 * 1024;

let dir;
let ca;
let httpbin;
let bigUpstream;
let gateway;
let port;
let expiredPort;
let adminPort;

// ---- certificates, with the openssl command line ------------------------------------------

function openssl(...args) {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
}

function makeCa() {
  fs.writeFileSync(path.join(dir, 'ca.cnf'), `[ca]
default_ca = test_ca
[test_ca]
database = ${dir}/index.txt
new_certs_dir = ${dir}
serial = ${dir}/serial
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
[any]
commonName = supplied
`);
  fs.writeFileSync(path.join(dir, 'index.txt'), '');
  fs.writeFileSync(path.join(dir, 'serial'), '1000\n');
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '30', '-subj', '/CN=gatehouse test CA');
  return fs.readFileSync(path.join(dir, 'ca.crt'));
}

// NAME.crt and NAME.key signed by the CA; `dates` [start, end] as YYYYMMDDHHMMSSZ, else 30 days.
function issue(name, cn, san, dates) {
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`,
    '-addext', `subjectAltName=${san}`);
  const validity = dates ? ['-startdate', dates[0], '-enddate', dates[1]] : ['-days', '30'];
  openssl('ca', '-batch', '-config', 'ca.cnf', '-cert', 'ca.crt', '-keyfile', 'ca.key',
    '-in', `${name}.csr`, '-out', `${name}.crt`, '-notext', ...validity);
  return fingerprint(name);
}

function fingerprint(name) {
  return new crypto.X509Certificate(fs.readFileSync(path.join(dir, `${name}.crt`))).fingerprint256;
}

// ---- a streaming upstream ------------------------------------------------------------------

// Deterministic bytes for /big/download, so the client can check them without a copy.
function pattern(offset, length) {
  const b = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; ++i) {
    const n = offset + i;
    b[i] = (n * 7 + (n >>> 13)) & 0xff;
  }
  return b;
}

function startBigUpstream() {
  const server = http.createServer(async (req, res) => {
    if (req.url === '/big/upload') {
      const hash = crypto.createHash('sha256');
      let bytes = 0;
      for await (const chunk of req) {
        hash.update(chunk);
        bytes += chunk.length;
      }
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ bytes, sha256: hash.digest('hex'), chunked: req.headers['transfer-encoding'] === 'chunked' }));
      return;
    }
    const m = /^\/big\/download\?bytes=(\d+)$/.exec(req.url);
    if (!m) {
      res.statusCode = 404;
      res.end();
      return;
    }
    const total = Number(m[1]);
    res.setHeader('Content-Type', 'application/octet-stream');
    await pipeline(Readable.from((function* () {
      for (let offset = 0; offset < total; offset += 65536) yield pattern(offset, Math.min(65536, total - offset));
    })()), res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// ---- clients -------------------------------------------------------------------------------

// A TLS connection to the gateway; resolves once the handshake is done.
function connectTls(options) {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca, ...options }, () => resolve(socket));
    socket.once('error', reject);
    socket.setTimeout(5000, () => socket.destroy(new Error('TLS connect timed out')));
  });
}

// One HTTPS request; resolves to {status, headers, text, socket facts, reused}.
function httpsRequest({ path: target = '/', method = 'GET', headers = {}, body, servername = 'localhost',
  agent = false, rejectUnauthorized = true, timeoutMs = 10000 } = {}) {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, method, path: target, headers, servername, ca,
      agent, rejectUnauthorized }, (res) => {
      // Read now: a keep-alive agent takes the socket back at the end.
      const peer = res.socket.getPeerCertificate().fingerprint256;
      const protocol = res.socket.getProtocol();
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => resolve({
        status: res.statusCode,
        headers: res.headers,
        text: Buffer.concat(chunks).toString('utf8'),
        peer,
        protocol,
        reused: req.reusedSocket,
      }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${target} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

async function prometheus() {
  return (await request({ port: adminPort, path: '/stats/prometheus' })).text;
}

function handshakes(page, result) {
  const m = new RegExp(`gatehouse_tls_handshakes_total\\{listener="public",result="${result}"\\} (\\d+)`).exec(page);
  return m ? Number(m[1]) : 0;
}

// ---- the gateway ---------------------------------------------------------------------------

function config() {
  const mesh = meshConfig({ listenPort: port, httpbinPort: httpbin.port })
    .replace('metadata: {name: http}', 'metadata: {name: public}')
    .replace('  protocol: HTTP\n', `  protocol: HTTPS
  certificates:
  - {certificateFile: site.crt, keyFile: site.key}
  - {certificateFile: other.crt, keyFile: ./other.key}
`)
    .replace('  rules:\n', `  rules:
  - priority: 5
    conditions:
    - field: path-pattern
      values: [/big/*]
    actions:
    - type: forward
      targetGroupName: big
`);
  return `${mesh}
---
apiVersion: gatehouse.dev/v1alpha1
kind: TargetGroup
metadata: {name: big}
spec:
  port: ${bigUpstream.address().port}
  targets: [{id: 127.0.0.1}]
---
apiVersion: gatehouse.dev/v1alpha1
kind: Listener
metadata: {name: expired}
spec:
  address: 127.0.0.1
  port: ${expiredPort}
  protocol: HTTPS
  certificates:
  - certificateFile: ${dir}/expired.crt
    keyFile: ${dir}/expired.key
  defaultActions: [{type: fixed-response, fixedResponseConfig: {statusCode: "200"}}]
---
apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: {name: deny-blocked-sni, namespace: foo}
spec:
  selector:
    matchLabels: {app: httpbin}
  action: DENY
  rules:
  - when:
    - key: connection.sni
      values: ["blocked.example"]
`;
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-tls-'));
  ca = makeCa();
  issue('site', 'localhost', 'DNS:localhost,IP:127.0.0.1');
  issue('other', 'other.example', 'DNS:other.example');
  issue('expired', 'expired.example', 'DNS:expired.example', ['20200101000000Z', '20200201000000Z']);
  httpbin = await startHttpbin();
  bigUpstream = await startBigUpstream();
  port = await freePort();
  expiredPort = await freePort();
  adminPort = await freePort();
  fs.writeFileSync(path.join(dir, 'config.yaml'), config());
  gateway = startProcess(gatehouseBin, ['run', '--config', dir, '--admin', `127.0.0.1:${adminPort}`,
    '--workers', '2', '--access-log', '', '--header-timeout', String(HEADER_TIMEOUT_SECONDS)]);
  await waitForHttp(`http://127.0.0.1:${adminPort}/ready`, { process: gateway, timeoutMs: 10000 });
});

after(async () => {
  await gateway?.stop();
  await httpbin?.process.stop();
  bigUpstream?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('an HTTPS request reaches httpbin with X-Forwarded-Proto https', async () => {
  const res = await httpsRequest({ path: '/headers?show_env=1' });
  assert.equal(res.status, 200, res.text);
  const seen = JSON.parse(res.text).headers;
  assert.equal(seen['X-Forwarded-Proto'], 'https');
  assert.equal(seen['X-Forwarded-Port'], String(port));
  assert.equal(seen['X-Forwarded-For'], '127.0.0.1');
  assert.equal(res.protocol, 'TLSv1.3');
  assert.equal(res.peer, fingerprint('site'));
  const fixed = await httpsRequest({ path: '/fixed' });
  assert.equal(fixed.status, 418);
  assert.equal(fixed.text, 'short and stout');
});

test('SNI picks the certificate; no SNI or an unknown name gets the first', async () => {
  const cases = [
    [{ servername: 'other.example' }, 'other.example'],
    [{ servername: 'OTHER.example' }, 'other.example'],
    [{ servername: 'localhost' }, 'localhost'],
    [{}, 'localhost'], // an IP address sends no SNI; the certificate names 127.0.0.1 too
    [{ servername: 'nobody.example', rejectUnauthorized: false }, 'localhost'],
  ];
  for (const [options, cn] of cases) {
    const socket = await connectTls(options);
    assert.equal(socket.getPeerCertificate().subject.CN, cn, JSON.stringify(options));
    assert.equal(socket.authorized, options.rejectUnauthorized !== false, JSON.stringify(options));
    socket.destroy();
  }
  const alpn = await connectTls({ servername: 'localhost', ALPNProtocols: ['h2', 'http/1.1'] });
  assert.equal(alpn.alpnProtocol, 'http/1.1');
  alpn.destroy();
  await assert.rejects(connectTls({ servername: 'localhost', ALPNProtocols: ['h2'] }));
});

test('connection.sni reaches AuthorizationPolicy', async () => {
  const blocked = await httpsRequest({ path: '/status/200', servername: 'blocked.example', rejectUnauthorized: false });
  assert.equal(blocked.status, 403);
  assert.equal(blocked.text, 'RBAC: access denied');
  assert.equal((await httpsRequest({ path: '/status/200' })).status, 200);
});

test('TLS 1.2 and 1.3 are served, TLS 1.1 is refused', async () => {
  const tls13 = await connectTls({ servername: 'localhost' });
  assert.equal(tls13.getProtocol(), 'TLSv1.3');
  tls13.destroy();
  const tls12 = await connectTls({ servername: 'localhost', maxVersion: 'TLSv1.2' });
  assert.equal(tls12.getProtocol(), 'TLSv1.2');
  assert.match(tls12.getCipher().name, /^ECDHE-ECDSA-(AES(128|256)-GCM|CHACHA20-POLY1305)/);
  tls12.destroy();
  await assert.rejects(
    connectTls({ servername: 'localhost', minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' }),
    (error) => /PROTOCOL_VERSION/.test(error.code ?? ''),
  );
  await assert.rejects(
    connectTls({ servername: 'localhost', maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-SHA256' }),
  );
});

test('plain HTTP sent to the HTTPS port is closed without an answer, and counted', async () => {
  const before = handshakes(await prometheus(), 'failed');
  const { text, closed } = await rawExchange(port, 'GET /fixed HTTP/1.1\r\nHost: localhost\r\n\r\n');
  assert.equal(closed, true);
  assert.doesNotMatch(text, /HTTP\/1\.[01] \d{3}/);
  assert.equal((await httpsRequest({ path: '/fixed' })).status, 418);
  assert.ok(handshakes(await prometheus(), 'failed') > before);
  assert.ok(handshakes(await prometheus(), 'ok') > 0);
  assert.equal(gateway.running(), true);
});

test('a handshake slower than the header timeout is cut', async () => {
  const before = handshakes(await prometheus(), 'timeout');
  const started = Date.now();
  const elapsed = await new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(Buffer.from([0x16, 0x03, 0x01])));
    socket.on('close', () => resolve(Date.now() - started));
    socket.on('error', () => {});
    socket.resume();
    setTimeout(() => socket.destroy(), 8000);
  });
  assert.ok(elapsed >= HEADER_TIMEOUT_SECONDS * 1000 - 100, `closed after ${elapsed} ms`);
  assert.ok(elapsed < HEADER_TIMEOUT_SECONDS * 1000 + 3000, `closed after ${elapsed} ms`);
  assert.ok(handshakes(await prometheus(), 'timeout') > before);
});

test('keep-alive and pipelining over TLS', async () => {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (let i = 0; i < 5; ++i) {
      const res = await httpsRequest({ path: '/status/200', agent });
      assert.equal(res.status, 200);
      assert.equal(res.reused, i > 0);
    }
  } finally {
    agent.destroy();
  }
  const socket = await connectTls({ servername: 'localhost' });
  const received = new Promise((resolve) => {
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => { text += chunk; });
    socket.on('end', () => resolve(text));
  });
  socket.write('GET /status/201 HTTP/1.1\r\nHost: localhost\r\n\r\n' +
    'GET /fixed HTTP/1.1\r\nHost: localhost\r\n\r\n' +
    'GET /status/202 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
  const text = await received;
  socket.destroy();
  const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
  assert.deepEqual(statuses, [201, 418, 202]);
  assert.match(text, /short and stout/);
});

test('a large body streams both ways over TLS', async () => {
  const hash = crypto.createHash('sha256');
  const upload = await new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, method: 'POST', path: '/big/upload', servername: 'localhost', ca, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.setTimeout(60000, () => req.destroy(new Error('upload timed out')));
    const source = Readable.from((function* () {
      for (let offset = 0; offset < BIG; offset += 65536) {
        const chunk = crypto.randomBytes(65536);
        hash.update(chunk);
        yield chunk;
      }
    })());
    pipeline(source, req).catch(reject);
  });
  assert.equal(upload.status, 200, upload.text);
  assert.deepEqual(JSON.parse(upload.text), { bytes: BIG, sha256: hash.digest('hex'), chunked: true });

  const download = await new Promise((resolve, reject) => {
    const req = https.get({ host: '127.0.0.1', port, path: `/big/download?bytes=${BIG}`, servername: 'localhost', ca, agent: false }, (res) => {
      let offset = 0;
      let same = true;
      res.on('data', (chunk) => {
        if (same && !chunk.equals(pattern(offset, chunk.length))) same = false;
        offset += chunk.length;
      });
      res.on('end', () => resolve({ status: res.statusCode, bytes: offset, same }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(60000, () => req.destroy(new Error('download timed out')));
  });
  assert.deepEqual(download, { status: 200, bytes: BIG, same: true });
});

test('an expired certificate is served with a warning, and clients refuse it', async () => {
  const validate = spawnSync(gatehouseBin, ['validate', '--config', dir], { encoding: 'utf8', timeout: 20000 });
  assert.equal(validate.status, 0, validate.stdout + validate.stderr);
  assert.match(validate.stdout, new RegExp(
    `config\\.yaml:\\d+: resource Listener/default/expired: warning: certificateFile "${dir}/expired\\.crt" ` +
    '\\(expired\\.example\\) expired on 2020-02-01T00:00:00Z; clients will refuse it'));
  await assert.rejects(connectTls({ port: expiredPort, servername: 'expired.example' }),
    (error) => error.code === 'CERT_HAS_EXPIRED');
  const insecure = await connectTls({ port: expiredPort, servername: 'expired.example', rejectUnauthorized: false });
  assert.equal(insecure.getPeerCertificate().subject.CN, 'expired.example');
  insecure.destroy();
});

test('new certificate files reload: new connections get them, open ones keep theirs', async () => {
  const old = fingerprint('site');
  const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const first = await httpsRequest({ path: '/status/200', agent });
    assert.equal(first.peer, old);

    const fresh = issue('renewed', 'localhost', 'DNS:localhost,IP:127.0.0.1');
    // Rewritten in place as a renewal tool does; the gateway notices the files, no signal needed.
    fs.copyFileSync(path.join(dir, 'renewed.key'), path.join(dir, 'site.key'));
    fs.copyFileSync(path.join(dir, 'renewed.crt'), path.join(dir, 'site.crt'));
    const deadline = Date.now() + 10000;
    let seen = old;
    while (seen !== fresh && Date.now() < deadline) {
      await sleep(100);
      seen = (await httpsRequest({ path: '/fixed' })).peer;
    }
    assert.equal(seen, fresh, gateway.stderr());
    assert.match(gateway.stderr(), /config reloaded/);

    const again = await httpsRequest({ path: '/status/200', agent });
    assert.equal(again.status, 200);
    assert.equal(again.reused, true);
    assert.equal(again.peer, old);
  } finally {
    agent.destroy();
  }
});
