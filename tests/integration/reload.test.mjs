// Config reloads under load: while keep-alive clients send a bounded stream of requests,
// the config is swapped (by file change and by SIGHUP) to good and bad versions. Good ones
// take effect, bad ones are refused with file:line errors while the old config keeps
// serving, and not one request fails.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, request } from './lib/harness.mjs';
import { meshConfig, startGateway, startHttpbin, writeConfig } from './lib/gateway.mjs';

let httpbin;
let gateway;
let port;
let configFile;

function configWith(body) {
  return meshConfig({ listenPort: port, httpbinPort: httpbin.port })
    .replace('messageBody: "short and stout"', `messageBody: "${body}"`);
}

async function fixedBody() {
  return (await request({ port, path: '/fixed' })).text;
}

// Polls until /fixed answers `expected`; bounded.
async function waitForBody(expected, timeoutMs = 8000) {
  const deadline = Date.now() + timeoutMs;
  let seen = '';
  while (Date.now() < deadline) {
    seen = await fixedBody();
    if (seen === expected) return;
    await sleep(50);
  }
  assert.fail(`/fixed still answers "${seen}", expected "${expected}"`);
}

// Keep-alive clients sending requests until `stop()`; counts answers and failures.
function startLoad({ clients = 8, maxRequests = 20000 }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const stats = { ok: 0, failed: [], sent: 0 };
  let running = true;
  const one = () => new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/status/200', agent }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode === 200) stats.ok += 1;
        else stats.failed.push(`status ${res.statusCode}`);
        resolve();
      });
    });
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.on('error', (e) => { stats.failed.push(e.message); resolve(); });
  });
  const loops = Array.from({ length: clients }, async () => {
    while (running && stats.sent < maxRequests) {
      stats.sent += 1;
      await one();
    }
  });
  return {
    stats,
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
    },
  };
}

before(async () => {
  httpbin = await startHttpbin();
  port = await freePort();
  const dir = writeConfig('');
  configFile = path.join(dir, 'config.yaml');
  fs.writeFileSync(configFile, configWith('A'));
  gateway = await startGateway({ configDir: dir, listenPort: port });
});

after(async () => {
  await gateway?.process.stop();
  await httpbin?.process.stop();
});

test('good configs are swapped in and bad ones refused without failing a request', async () => {
  assert.equal(await fixedBody(), 'A');
  const load = startLoad({});
  await sleep(300);

  fs.writeFileSync(configFile, configWith('B'));  // noticed by the file watch
  await waitForBody('B');

  fs.writeFileSync(configFile, configWith('C').replace('kind: Listener', 'kind: Listenr'));
  // The file watch ticks about every second; on a busy machine later. Wait (bounded) until the
  // bad file has been read and refused, rather than for a fixed time.
  const deadline = Date.now() + 10000;
  while (!/config reload refused/.test(gateway.process.stderr()) && Date.now() < deadline)
    await sleep(100);
  assert.equal(await fixedBody(), 'B');
  assert.match(gateway.process.stderr(), /config\.yaml:\d+: .*Listenr/);
  assert.match(gateway.process.stderr(), /config reload refused/);

  fs.writeFileSync(configFile, configWith('D'));
  process.kill(gateway.process.pid, 'SIGHUP');  // the signal path, too
  await waitForBody('D');

  await load.stop();
  assert.deepEqual(load.stats.failed.slice(0, 5), []);
  assert.ok(load.stats.ok > 100, `only ${load.stats.ok} requests went through`);

  // The reload is counted just after the workers take it: wait (bounded) for the count.
  const counted = /gatehouse_config_reloads_total\{result="ok"\} [2-9]/;
  let stats = '';
  for (const until = Date.now() + 5000; !counted.test(stats) && Date.now() < until; ) {
    stats = (await request({ port: gateway.adminPort, path: '/stats/prometheus' })).text;
    if (!counted.test(stats)) await sleep(50);
  }
  assert.match(stats, /gatehouse_config_reloads_total\{result="error"\} [1-9]/);
  assert.match(stats, counted);
});

test('SIGTERM drains: a slow request in flight still completes', async () => {
  const slow = request({ port, path: '/delay/1', timeoutMs: 5000 });
  await sleep(200);
  process.kill(gateway.process.pid, 'SIGTERM');
  const res = await slow;
  assert.equal(res.status, 200);
  const exit = await gateway.process.exited;
  assert.equal(exit.code, 0);
});
