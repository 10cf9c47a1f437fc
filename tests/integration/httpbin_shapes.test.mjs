// Sends the same requests to `gatehouse httpbin` and to Debian's python3-httpbin (under
// gunicorn) and checks that status codes, key response headers and the JSON shapes agree.
// Values that legitimately differ (uuid, random bytes, ports) are ignored; the built-in
// responder pretty-prints JSON, so bodies are compared parsed, not byte for byte.
//
// Run: GATEHOUSE_BIN=build/src/app/gatehouse node --test tests/integration/httpbin_shapes.test.mjs
// Skips when GATEHOUSE_BIN is unset or /usr/bin/python3 cannot import httpbin and gunicorn.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';

import { request, startHttpServer } from './lib/harness.mjs';

// Debian's interpreter: a pyenv `python3` on PATH may lack the httpbin package.
const PYTHON = '/usr/bin/python3';
const GATEHOUSE_BIN = process.env.GATEHOUSE_BIN;

function skipReason() {
  if (!GATEHOUSE_BIN) return 'GATEHOUSE_BIN is not set';
  const probe = spawnSync(PYTHON, ['-c', 'import httpbin, gunicorn'], { timeout: 10000 });
  if (probe.status !== 0) return `${PYTHON} cannot import httpbin and gunicorn`;
  return false;
}

const JSON_BODY = JSON.stringify({ b: [1, 2.5, { z: null }], a: 'é', t: true, n: -3 });
const MULTIPART_BODY = [
  '--gh-boundary',
  'Content-Disposition: form-data; name="field"',
  '',
  'value',
  '--gh-boundary',
  'Content-Disposition: form-data; name="upload"; filename="a.txt"',
  'Content-Type: text/plain',
  '',
  'file contents',
  '--gh-boundary--',
  '',
].join('\r\n');

// body: how to compare bodies. 'json' parsed shapes and values, 'json-lines' one JSON document
// per line, 'exact' bytes, 'length' only the size.
// volatile: JSON keys whose values may differ (shapes must still agree), matched against the
// end of the path so that "origin" also covers each /stream line's origin.
// compareHeaders: response headers whose values must agree (content-type always does when
// httpbin sends one; CORS headers always do).
const CASES = [
  { name: 'GET /get with repeated args', path: '/get?a=1&a=2&b=x', body: 'json' },
  {
    name: 'GET /headers with custom headers',
    path: '/headers',
    headers: { 'X-Custom': 'yes', 'x-lower-case': 'v', 'X-Amzn-Trace-Id': 'Root=1-abc' },
    body: 'json',
  },
  {
    name: 'POST /anything/x with JSON',
    method: 'POST',
    path: '/anything/x?q=1',
    headers: { 'Content-Type': 'application/json' },
    requestBody: JSON_BODY,
    body: 'json',
  },
  {
    name: 'POST /anything/x with a form',
    method: 'POST',
    path: '/anything/x',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    requestBody: 'a=1&a=2&b=x%20y+z&empty=',
    body: 'json',
  },
  {
    name: 'PUT /put with multipart',
    method: 'PUT',
    path: '/put',
    headers: { 'Content-Type': 'multipart/form-data; boundary=gh-boundary' },
    requestBody: MULTIPART_BODY,
    body: 'json',
  },
  {
    name: 'POST /post with invalid JSON',
    method: 'POST',
    path: '/post',
    headers: { 'Content-Type': 'application/json' },
    requestBody: '{not json',
    body: 'json',
  },
  { name: 'GET /status/418', path: '/status/418', body: 'exact', compareHeaders: ['x-more-info'] },
  { name: 'GET /status/204', path: '/status/204', body: 'exact' },
  { name: 'GET /status/302', path: '/status/302', body: 'exact', compareHeaders: ['location'] },
  { name: 'GET /status/abc', path: '/status/abc', body: 'exact' },
  {
    name: 'POST /get is 405',
    method: 'POST',
    path: '/get',
    body: 'exact',
    compareHeaders: ['allow'],
  },
  { name: 'GET of an unknown path is 404', path: '/no/such/thing', body: 'exact' },
  { name: 'GET /ip', path: '/ip', body: 'json' },
  {
    name: 'GET /user-agent',
    path: '/user-agent',
    headers: { 'User-Agent': 'gatehouse-shapes/1.0' },
    body: 'json',
  },
  { name: 'GET /uuid', path: '/uuid', body: 'json', volatile: ['uuid'] },
  { name: 'GET /bytes/16', path: '/bytes/16', body: 'length' },
  {
    name: 'GET /stream/3',
    path: '/stream/3',
    body: 'json-lines',
    compareHeaders: ['transfer-encoding'],
  },
  {
    name: 'GET /response-headers?X-Foo=bar',
    path: '/response-headers?X-Foo=bar',
    body: 'json',
    // httpbin reports its own length; ours is pretty-printed, so the number differs.
    volatile: ['Content-Length'],
    compareHeaders: ['x-foo'],
  },
  { name: 'GET /delay/0', path: '/delay/0', body: 'json' },
];

const ALWAYS_COMPARED_HEADERS = ['access-control-allow-origin', 'access-control-allow-credentials'];

// werkzeug lists Allow in Python set order, which changes from run to run.
const headerValue = (response, name) => {
  const value = response.headers[name];
  return name === 'allow' && value !== undefined ? value.split(', ').sort().join(', ') : value;
};

const kindOf = (value) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

// URLs differ only by the servers' ports.
const normalize = (value) =>
  typeof value === 'string' ? value.replace(/^(https?:\/\/127\.0\.0\.1):\d+/, '$1:PORT') : value;

// Collects differences between `ours` and `reference` into `problems`. In a "headers" object
// only the headers the test sent are compared: each server may add its own.
function compareJson(ours, reference, { path, volatile, sentHeaders }, problems) {
  const where = path || '(root)';
  if (kindOf(ours) !== kindOf(reference)) {
    const describeValue = (value) => `${kindOf(value)} ${JSON.stringify(value)}`;
    problems.push(`${where}: ${describeValue(ours)} vs ${describeValue(reference)}`);
    return;
  }
  const child = (key) => ({ path: path ? `${path}.${key}` : String(key), volatile, sentHeaders });
  switch (kindOf(reference)) {
    case 'array':
      if (ours.length !== reference.length) {
        problems.push(`${where}: ${ours.length} elements vs ${reference.length}`);
        return;
      }
      reference.forEach((element, i) => compareJson(ours[i], element, child(i), problems));
      return;
    case 'object': {
      const isHeaders = path === 'headers' || path.endsWith('.headers');
      const keys = isHeaders ? sentHeaders : Object.keys(reference);
      if (!isHeaders) {
        const extra = Object.keys(ours).filter((key) => !(key in reference));
        if (extra.length > 0) problems.push(`${where}: unexpected keys ${extra.join(', ')}`);
      }
      for (const key of keys) {
        if (!(key in reference)) {
          problems.push(`${where}: httpbin lacks ${key}`);
        } else if (!(key in ours)) {
          problems.push(`${where}: missing key ${key}`);
        } else {
          compareJson(ours[key], reference[key], child(key), problems);
        }
      }
      return;
    }
    default:
      if (volatile.some((key) => path === key || path.endsWith(`.${key}`))) return;
      if (normalize(ours) !== normalize(reference)) {
        problems.push(`${where}: ${JSON.stringify(ours)} vs ${JSON.stringify(reference)}`);
      }
  }
}

// The names under which httpbin lists the headers a case sends: werkzeug's title case.
function titleCased(headers) {
  return Object.keys(headers).map((name) =>
    name
      .toLowerCase()
      .replace(/(^|[^a-z])([a-z])/g, (_, before, letter) => before + letter.toUpperCase()),
  );
}

function parseBody(text, mode) {
  if (mode === 'json-lines') {
    return text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line));
  }
  return JSON.parse(text);
}

const suiteOptions = { skip: skipReason(), timeout: 120000 };

describe('gatehouse httpbin matches python httpbin', suiteOptions, () => {
  let gatehouse;
  let reference;

  before(async () => {
    [gatehouse, reference] = await Promise.all([
      startHttpServer({
        cmd: GATEHOUSE_BIN,
        args: (port) => ['httpbin', '--listen', `127.0.0.1:${port}`],
        readyPath: '/get',
      }),
      startHttpServer({
        cmd: PYTHON,
        args: (port) => [
          '-m', 'gunicorn', '--workers', '2', '-b', `127.0.0.1:${port}`, 'httpbin:app',
        ],
        readyPath: '/get',
        timeoutMs: 20000,
      }),
    ]);
  });

  after(async () => {
    await Promise.all([gatehouse?.process.stop(), reference?.process.stop()]);
  });

  for (const testCase of CASES) {
    test(testCase.name, async () => {
      const send = (server) =>
        request({
          port: server.port,
          method: testCase.method ?? 'GET',
          path: testCase.path,
          headers: testCase.headers ?? {},
          body: testCase.requestBody,
          timeoutMs: 10000,
        });
      const [ours, theirs] = await Promise.all([send(gatehouse), send(reference)]);
      const context = () =>
        `\n--- gatehouse ---\n${ours.text.slice(0, 2000)}` +
        `\n--- httpbin ---\n${theirs.text.slice(0, 2000)}` +
        `\n--- gatehouse stderr ---\n${gatehouse.process.stderr().slice(-2000)}`;

      assert.equal(ours.status, theirs.status, `status${context()}`);

      const headerNames = [...ALWAYS_COMPARED_HEADERS, ...(testCase.compareHeaders ?? [])];
      if (theirs.headers['content-type'] !== undefined) headerNames.push('content-type');
      for (const name of headerNames) {
        const message = `header ${name}${context()}`;
        assert.deepEqual(headerValue(ours, name), headerValue(theirs, name), message);
      }

      switch (testCase.body) {
        case 'exact':
          assert.equal(ours.text, theirs.text, `body${context()}`);
          break;
        case 'length':
          assert.equal(ours.body.length, theirs.body.length, `body length${context()}`);
          break;
        case 'json':
        case 'json-lines': {
          const problems = [];
          const sentHeaders = titleCased(testCase.headers ?? {});
          compareJson(
            parseBody(ours.text, testCase.body),
            parseBody(theirs.text, testCase.body),
            { path: '', volatile: ['origin', ...(testCase.volatile ?? [])], sentHeaders },
            problems,
          );
          assert.deepEqual(problems, [], `JSON differs${context()}`);
          break;
        }
        default:
          assert.fail(`unknown body mode ${testCase.body}`);
      }
    });
  }
});
