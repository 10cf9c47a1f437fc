// Helpers for integration tests that start real processes and talk HTTP to them: start a
// process with its output captured, wait until it answers HTTP, send one request, find a free
// port, or all of it at once with startHttpServer(). Every wait is bounded; no npm packages.
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

// Keeps only the tail of a stream's output, so a chatty process cannot exhaust memory.
const OUTPUT_LIMIT = 64 * 1024;

function captureTail(stream) {
  let text = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    text = (text + chunk).slice(-OUTPUT_LIMIT);
  });
  return () => text;
}

// Starts `cmd args` with `env` added to the current environment. Returns a handle:
//   pid, stdout(), stderr()  captured output (last 64 KiB each)
//   exited                   promise of {code, signal}; also resolves when spawning failed
//   running()                false once the process exited or failed to start
//   describe()               "cmd args (exit ...): <stderr tail>", for failure messages
//   stop({timeoutMs})        SIGTERM, then SIGKILL after timeoutMs; resolves when it is gone
export function startProcess(cmd, args = [], env = {}) {
  const child = spawn(cmd, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout = captureTail(child.stdout);
  const stderr = captureTail(child.stderr);
  let exitStatus = null;
  let spawnError = null;
  const exited = new Promise((resolve) => {
    child.on('error', (error) => {
      spawnError = error;
      exitStatus = { code: null, signal: null };
      resolve(exitStatus);
    });
    child.on('exit', (code, signal) => {
      exitStatus = { code, signal };
      resolve(exitStatus);
    });
  });

  const describe = () => {
    const status = spawnError
      ? `failed to start: ${spawnError.message}`
      : exitStatus
        ? `exited with code ${exitStatus.code} signal ${exitStatus.signal}`
        : 'running';
    return `${cmd} ${args.join(' ')} (${status})\n--- stderr ---\n${stderr()}`;
  };

  const stop = async ({ timeoutMs = 5000 } = {}) => {
    if (exitStatus) return exitStatus;
    child.kill('SIGTERM');
    // Unref'd timers: a pending one must not keep the test process alive after the last test.
    const killed = await Promise.race([exited, sleep(timeoutMs, null, { ref: false })]);
    if (killed) return killed;
    child.kill('SIGKILL');
    return Promise.race([exited,
      sleep(timeoutMs, { code: null, signal: 'SIGKILL' }, { ref: false })]);
  };

  return {
    pid: child.pid,
    stdout,
    stderr,
    exited,
    running: () => exitStatus === null,
    describe,
    stop,
  };
}

// Sends one request and reads the whole response. Resolves to
//   {status, statusMessage, headers (lower-cased names; repeats as arrays), rawHeaders,
//    body (Buffer), text (body as UTF-8)}
// A string or Buffer body is sent with Content-Length (not chunked) unless headers set one.
// Rejects on connection errors, or when the exchange takes longer than timeoutMs.
export function request({
  host = '127.0.0.1',
  port,
  method = 'GET',
  path = '/',
  headers = {},
  body,
  timeoutMs = 5000,
}) {
  const hasLength = Object.keys(headers).some((name) => name.toLowerCase() === 'content-length');
  if (body !== undefined && !hasLength) {
    headers = { ...headers, 'Content-Length': Buffer.byteLength(body) };
  }
  return new Promise((resolve, reject) => {
    const req = http.request({ host, port, method, path, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const bodyBuffer = Buffer.concat(chunks);
        resolve({
          status: res.statusCode,
          statusMessage: res.statusMessage,
          headers: res.headers,
          rawHeaders: res.rawHeaders,
          body: bodyBuffer,
          text: bodyBuffer.toString('utf8'),
        });
      });
    });
    req.setTimeout(timeoutMs, () => {
      req.destroy(new Error(`${method} ${host}:${port}${path} timed out after ${timeoutMs} ms`));
    });
    req.on('error', reject);
    req.end(body);
  });
}

// Polls `url` with GET until it answers with any HTTP status. Fails after timeoutMs, or as soon
// as `process` (a startProcess handle, optional) exits, with its stderr in the message.
export async function waitForHttp(url, { timeoutMs = 10000, intervalMs = 100, process } = {}) {
  const { hostname, port, pathname, search } = new URL(url);
  const deadline = Date.now() + timeoutMs;
  let lastError = null;
  while (Date.now() < deadline) {
    if (process && !process.running()) {
      throw new Error(`process ended before ${url} answered: ${process.describe()}`);
    }
    try {
      const remaining = Math.max(1, deadline - Date.now());
      await request({
        host: hostname,
        port: Number(port),
        path: pathname + search,
        timeoutMs: Math.min(1000, remaining),
      });
      return;
    } catch (error) {
      lastError = error;
    }
    await sleep(intervalMs);
  }
  const detail = process ? `\n${process.describe()}` : '';
  throw new Error(`${url} did not answer within ${timeoutMs} ms (${lastError?.message})${detail}`);
}

// A TCP port that was free a moment ago on `host`. Another process may take it before the
// caller binds it; tests that start servers should retry on a bind failure.
export function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Starts an HTTP server on a free port and waits until it answers. `args(port)` builds the
// command line. Retries with a new port (up to `attempts` times) when the process exits before
// answering, which is what losing the race for a freePort() looks like. Resolves to
// {process, port}; rejects with the last attempt's stderr.
export async function startHttpServer({
  cmd,
  args,
  env = {},
  host = '127.0.0.1',
  readyPath = '/',
  timeoutMs = 10000,
  attempts = 3,
}) {
  let lastError = null;
  for (let attempt = 0; attempt < attempts; ++attempt) {
    const port = await freePort(host);
    const server = startProcess(cmd, args(port), env);
    try {
      await waitForHttp(`http://${host}:${port}${readyPath}`, { timeoutMs, process: server });
      return { process: server, port };
    } catch (error) {
      lastError = error;
      await server.stop();
    }
  }
  throw lastError;
}
