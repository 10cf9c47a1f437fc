// The command line: `validate` on good and bad configs (exit code and file:line messages),
// `version`, `--help`, and `run` refusing to start on a bad config.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { gatehouseBin, writeConfig } from './lib/gateway.mjs';

const sourceDir = process.env.GATEHOUSE_SOURCE_DIR ?? '.';

function gatehouse(...args) {
  const r = spawnSync(gatehouseBin, args, { encoding: 'utf8', timeout: 20000 });
  return { code: r.status, out: r.stdout + r.stderr };
}

// The seed names files `gatehouse demo` creates next to its copy (certificate, secrets);
// validated here with stand-ins for them.
test('validate accepts the seed example', () => {
  const seed = path.join(sourceDir, 'examples/seed');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-seed-'));
  try {
    const yamls = fs.readdirSync(seed).filter((f) => f.endsWith('.yaml'));
    for (const file of yamls) fs.copyFileSync(path.join(seed, file), path.join(dir, file));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt',
      'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=localhost',
      '-keyout', 'tls.key', '-out', 'tls.crt'], { cwd: dir, stdio: 'ignore' });
    fs.writeFileSync(path.join(dir, 'session.keys'), `${crypto.randomBytes(32).toString('base64')}\n`);
    fs.writeFileSync(path.join(dir, 'client.secret'), 'seed-test-secret\n');
    const r = gatehouse('validate', '--config', dir);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, new RegExp(`configuration OK \\(${yamls.length} files\\)`));
    assert.equal(yamls.length, 6);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('validate reports every problem as file:line: resource: message', () => {
  const dir = writeConfig(`apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {name: vs, namespace: foo}
spec:
  hots: ["*"]
---
apiVersion: gatehouse.dev/v1alpha1
kind: Listener
metadata: {name: l}
spec:
  port: 70000
  defaultActions: [{type: forward, targetGroupName: missing}]
`);
  const file = path.join(dir, 'config.yaml');
  const r = gatehouse('validate', '--config', file);
  assert.equal(r.code, 1, r.out);
  const lines = r.out.trim().split('\n');
  assert.ok(lines.length >= 2, r.out);
  for (const line of lines) assert.match(line, new RegExp(`^${file.replace(/[.]/g, '\\.')}:\\d+: `));
  assert.match(r.out, /:5: resource VirtualService\/foo\/vs: .*"hots".*did you mean "hosts"/);
  assert.match(r.out, /Listener\/default\/l: .*70000/);
});

test('validate refuses a CUSTOM AuthorizationPolicy rather than ignore it', () => {
  const dir = writeConfig(`apiVersion: gatehouse.dev/v1alpha1
kind: MeshConfig
metadata: {name: mesh}
spec:
  extensionProviders:
  - name: opa
    envoyExtAuthzHttp: {service: opa.foo.svc.cluster.local, port: 8181}
---
apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: {name: ext, namespace: foo}
spec:
  action: CUSTOM
  provider: {name: opa}
  rules: [{to: [{operation: {paths: ["/admin*"]}}]}]
`);
  const file = path.join(dir, 'config.yaml');
  const r = gatehouse('validate', '--config', dir);
  assert.equal(r.code, 1, r.out);
  assert.ok(r.out.includes(`${file}:9: resource AuthorizationPolicy/foo/ext: action CUSTOM (provider "opa") is not supported yet`), r.out);
});

test('validate refuses a missing certificate file with file:line', () => {
  const dir = writeConfig(`apiVersion: gatehouse.dev/v1alpha1
kind: Listener
metadata: {name: tls}
spec:
  port: 8443
  protocol: HTTPS
  certificates:
  - certificateFile: missing.crt
    keyFile: missing.key
  defaultActions: [{type: fixed-response, fixedResponseConfig: {statusCode: "200"}}]
`);
  const file = path.join(dir, 'config.yaml');
  const r = gatehouse('validate', '--config', dir);
  assert.equal(r.code, 1, r.out);
  assert.equal(r.out.trim(), `${file}:8: resource Listener/default/tls: cannot read certificateFile ` +
    `"${path.join(dir, 'missing.crt')}": No such file or directory`);
});

test('validate reports a missing path and malformed YAML', () => {
  assert.match(gatehouse('validate', '--config', '/nonexistent/x.yaml').out, /no such file or folder/);
  const dir = writeConfig('apiVersion: [unclosed\n');
  const r = gatehouse('validate', '--config', dir);
  assert.equal(r.code, 1);
  assert.match(r.out, /config\.yaml:\d+: /);
});

test('an empty folder is an error', () => {
  const dir = writeConfig('');
  fs.rmSync(path.join(dir, 'config.yaml'));
  const r = gatehouse('validate', '--config', dir);
  assert.equal(r.code, 1);
  assert.match(r.out, /holds no \.yaml or \.yml file/);
});

test('run refuses to start on a bad config', () => {
  const dir = writeConfig('kind: Nonsense\n');
  const r = gatehouse('run', '--config', dir, '--admin', '');
  assert.equal(r.code, 1);
  assert.match(r.out, /not starting/);
});

test('version and --help answer', () => {
  assert.match(gatehouse('version').out, /^gatehouse \d+\.\d+\.\d+/);
  for (const sub of ['run', 'validate', 'httpbin']) {
    const r = gatehouse(sub, '--help');
    assert.equal(r.code, 0);
    assert.match(r.out, /--config|--listen/);
  }
});

test('token decode prints header, payload and dates, and says it verified nothing', () => {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const r = gatehouse('token', 'decode', `${b64({ alg: 'RS256', kid: 'k1' })}.${b64({ sub: 'alice', exp, groups: ['a'] })}.c2ln`);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /NOT VERIFIED/);
  assert.match(r.out, /"kid": "k1"/);
  assert.match(r.out, /"groups": \[\n {4}"a"\n {2}\]/);
  assert.match(r.out, new RegExp(`exp: ${new Date(exp * 1000).toISOString().slice(0, 19)}Z \\(in (59|60) min\\)`));
});

test('token decode refuses what is not a compact JWS', () => {
  const r = gatehouse('token', 'decode', 'a.b');
  assert.equal(r.code, 1);
  assert.match(r.out, /expected 3 dot-separated parts, got 2/);
  const bad = gatehouse('token', 'decode', 'a.b.c');
  assert.equal(bad.code, 1);
  assert.match(bad.out, /header: not base64url/);
});
