// `gatehouse demo` as a newcomer uses it: one process with the built-in IdP, the built-in
// httpbin and the gateway on examples/seed, driven by Debian's Chromium (playwright-core).
// alice logs in and sees her access token on /headers, bob gets 403 RBAC: access denied,
// /status/200 needs no login, HTTP redirects to HTTPS, logout ends the session. Each step's
// screenshot goes to $GATEHOUSE_ARTIFACTS (default <tmpdir>/gatehouse-demo-artifacts).
// Also: the demo refuses a port in use or a bad seed with a clear message and exit 1.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, request, startProcess, waitForHttp } from './lib/harness.mjs';
import { gatehouseBin } from './lib/gateway.mjs';
import { importTestPackage } from './lib/npm.mjs';

const sourceDir = process.env.GATEHOUSE_SOURCE_DIR
  ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const seedDir = path.join(sourceDir, 'examples', 'seed');
const artifactsDir = process.env.GATEHOUSE_ARTIFACTS
  ?? path.join(os.tmpdir(), 'gatehouse-demo-artifacts');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run'];
const SECRET_FILES = ['tls.crt', 'tls.key', 'session.keys', 'client.secret'];

let stateDir;
let ports;
let demo;
let browser;
let issuer;

// `count` distinct ports that were free a moment ago.
async function freePorts(count) {
  const found = new Set();
  while (found.size < count) found.add(await freePort());
  return [...found];
}

function demoArgs(p, state) {
  return ['demo', '--seed', seedDir, '--state-dir', state,
    '--http-port', String(p.http), '--https-port', String(p.https),
    '--idp-port', String(p.idp), '--httpbin-port', String(p.httpbin),
    '--admin', `127.0.0.1:${p.admin}`];
}

// Starts the demo and waits (bounded) for the admin's /ready, the IdP's discovery and the
// banner. Retries with new ports when it loses a race for a free port.
async function startDemo() {
  let lastError;
  for (let attempt = 0; attempt < 3; ++attempt) {
    const [http, httpsPort, idp, httpbin, admin] = await freePorts(5);
    const p = { http, https: httpsPort, idp, httpbin, admin };
    const started = startProcess(gatehouseBin, demoArgs(p, stateDir));
    try {
      await waitForHttp(`http://127.0.0.1:${admin}/ready`, { process: started, timeoutMs: 20000 });
      const discovery = `http://127.0.0.1:${idp}/oauth2/default/.well-known/openid-configuration`;
      await waitForHttp(discovery, { process: started, timeoutMs: 10000 });
      const deadline = Date.now() + 5000;
      while (!started.stdout().includes('Ctrl-C stops everything') && Date.now() < deadline)
        await sleep(50);
      return { process: started, ports: p };
    } catch (error) {
      lastError = error;
      await started.stop();
    }
  }
  throw lastError;
}

// One HTTPS request to the demo's listener (its certificate is self-signed).
function getHttps(target) {
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: '127.0.0.1', port: ports.https, path: target, servername: 'localhost',
      headers: { host: `localhost:${ports.https}` }, rejectUnauthorized: false, agent: false,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers,
        text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.setTimeout(10000, () => req.destroy(new Error(`GET ${target} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

async function screenshot(page, name) {
  const file = path.join(artifactsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`screenshot: ${file}`);
}

// Goes to /headers and signs in as `user` at the built-in IdP's form.
async function logIn(page, user, step) {
  await page.goto(`https://localhost:${ports.https}/headers`);
  await page.waitForSelector('input[name="username"]', { timeout: 10000 });
  assert.equal(new URL(page.url()).port, String(ports.idp), 'the login form is the IdP\'s');
  await page.fill('input[name="username"]', user);
  await page.fill('input[name="password"]', user);
  await screenshot(page, `${step}-${user}-login-form`);
  const answer = page.waitForResponse((r) => new URL(r.url()).pathname === '/headers'
    && new URL(r.url()).port === String(ports.https), { timeout: 15000 });
  await page.click('button[type="submit"]');
  return answer;
}

function jwtPayload(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

before(async () => {
  fs.mkdirSync(artifactsDir, { recursive: true });
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-demo-'));
  ({ process: demo, ports } = await startDemo());
  issuer = `http://127.0.0.1:${ports.idp}/oauth2/default`;
  const playwright = await importTestPackage('playwright-core');
  const { chromium } = playwright.default ?? playwright;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
});

after(async () => {
  if (demo && !demo.running()) console.log(demo.describe());
  await browser?.close();
  const status = await demo?.stop();
  if (status) assert.equal(status.code, 0, `the demo stops cleanly on SIGTERM: ${demo.describe()}`);
  if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
});

test('the demo prints what to open and who to log in as', () => {
  const out = demo.stdout();
  for (const text of [`https://localhost:${ports.https}/headers`,
    `https://localhost:${ports.https}/status/200`, `https://localhost:${ports.https}/logout`,
    `http://localhost:${ports.http}/`, issuer, `http://127.0.0.1:${ports.admin}`,
    'alice / alice', 'bob / bob', 'RBAC: access denied', 'self-signed'])
    assert.ok(out.includes(text), `${text} in:\n${out}`);
});

test('the state folder holds the seed with the chosen ports and private secrets', () => {
  for (const file of fs.readdirSync(seedDir).filter((f) => f.endsWith('.yaml'))) {
    assert.ok(fs.existsSync(path.join(stateDir, file)), file);
  }
  const edge = fs.readFileSync(path.join(stateDir, '30-edge-listener.yaml'), 'utf8');
  assert.match(edge, new RegExp(`port: ${ports.https}\\n`));
  assert.match(edge, new RegExp(`port: "${ports.https}"`));
  assert.ok(edge.includes(`issuer: ${issuer}\n`));
  assert.ok(!/\b(8080|8443|9000)\b/.test(edge), edge);
  for (const file of SECRET_FILES) {
    const mode = fs.statSync(path.join(stateDir, file)).mode & 0o777;
    assert.equal(mode, 0o600, `${file} mode ${mode.toString(8)}`);
  }
  const keyLine = fs.readFileSync(path.join(stateDir, 'session.keys'), 'utf8').split('\n')
    .find((line) => line && !line.startsWith('#'));
  assert.equal(Buffer.from(keyLine, 'base64').length, 32);
  const certificate = new crypto.X509Certificate(fs.readFileSync(path.join(stateDir, 'tls.crt')));
  assert.equal(certificate.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1');
  assert.equal(certificate.publicKey.asymmetricKeyDetails.namedCurve, 'prime256v1');
  assert.ok(certificate.checkPrivateKey(crypto.createPrivateKey(
    fs.readFileSync(path.join(stateDir, 'tls.key')))));
});

test('/status/200 answers without login', async () => {
  const res = await getHttps('/status/200');
  assert.equal(res.status, 200, res.text);
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  const answer = await page.goto(`https://localhost:${ports.https}/status/200`);
  assert.equal(answer.status(), 200);
  assert.equal(new URL(page.url()).port, String(ports.https), 'no detour through the IdP');
  await screenshot(page, '1-status-200-without-login');
  await context.close();
});

test('HTTP redirects to HTTPS with the path and the query', async () => {
  const res = await request({ port: ports.http, path: '/x?y=1',
    headers: { host: `127.0.0.1:${ports.http}` } });
  assert.equal(res.status, 301, res.text);
  assert.equal(res.headers.location, `https://127.0.0.1:${ports.https}/x?y=1`);
});

test('alice logs in, sees her access token on /headers, and logout ends the session',
  async () => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    const answer = await logIn(page, 'alice', '2');
    assert.equal(answer.status(), 200, await answer.text());
    await page.waitForLoadState();
    await screenshot(page, '3-alice-headers');
    const headers = JSON.parse(await page.locator('body').innerText()).headers;
    const token = headers['X-Amzn-Oidc-Accesstoken'];
    assert.ok(token, JSON.stringify(headers));
    const claims = jwtPayload(token);
    assert.equal(claims.iss, issuer);
    assert.equal(claims.sub, 'alice');
    assert.ok(claims.groups.includes('httpbin'), JSON.stringify(claims));
    assert.equal(headers['X-Amzn-Oidc-Identity'], 'alice');

    await page.goto(`https://localhost:${ports.https}/logout`);
    assert.equal(new URL(page.url()).port, String(ports.idp), page.url());
    await screenshot(page, '4-alice-signed-out');
    const left = await context.cookies(`https://localhost:${ports.https}`);
    assert.ok(!left.some((c) => c.name.startsWith('AWSELBAuthSessionCookie')),
      JSON.stringify(left.map((c) => c.name)));

    await page.goto(`https://localhost:${ports.https}/headers`);
    await page.waitForSelector('input[name="username"]', { timeout: 10000 });
    assert.equal(new URL(page.url()).port, String(ports.idp), 'back at the IdP\'s login form');
    assert.equal(new URL(page.url()).pathname, '/oauth2/default/v1/authorize');
    await screenshot(page, '5-after-logout-login-again');
    await context.close();
  });

test('bob logs in and gets 403 RBAC: access denied', async () => {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  const answer = await logIn(page, 'bob', '6');
  assert.equal(answer.status(), 403);
  await page.waitForLoadState();
  assert.equal(await page.locator('body').innerText(), 'RBAC: access denied');
  await screenshot(page, '7-bob-rbac-access-denied');
  await context.close();
});

test('the demo refuses a port in use, naming it and the flag to change', async () => {
  const busy = net.createServer();
  await new Promise((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const busyPort = busy.address().port;
  const state = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-demo-busy-'));
  try {
    const [http, httpsPort, idp, httpbin, admin] = await freePorts(5);
    const free = { http, https: httpsPort, idp, httpbin, admin };
    // The running demo's own port too: gatehouse binds with SO_REUSEPORT, so a second demo
    // must notice the first rather than share its port.
    for (const [which, flag, port] of [['httpbin', '--httpbin-port', busyPort],
      ['idp', '--idp-port', busyPort], ['https', '--https-port', ports.https],
      ['admin', '--admin', ports.admin]]) {
      const run = spawnSync(gatehouseBin, demoArgs({ ...free, [which]: port }, state),
        { encoding: 'utf8', timeout: 20000 });
      const out = run.stdout + run.stderr;
      assert.equal(run.status, 1, `${which}: ${out}`);
      assert.match(out, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: `), out);
      assert.ok(out.includes(flag), `${flag} named in:\n${out}`);
    }
  } finally {
    busy.close();
    fs.rmSync(state, { recursive: true, force: true });
  }
});

test('the demo refuses a seed that is not there', () => {
  const state = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-demo-seed-'));
  try {
    const run = spawnSync(gatehouseBin, ['demo', '--seed', path.join(state, 'missing'),
      '--state-dir', path.join(state, 'demo')], { encoding: 'utf8', timeout: 20000 });
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stderr, /seed .*missing is not a folder/);
  } finally {
    fs.rmSync(state, { recursive: true, force: true });
  }
});
