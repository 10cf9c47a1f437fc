// Real nginx for tests: a temporary prefix with its own pid, logs and temp paths, the
// given server blocks, started in the foreground and stopped by the caller.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startProcess } from './harness.mjs';

const nginxBin = fs.existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';

// `servers(dir)` returns the server blocks; `dir` is the prefix folder (readable by nginx's
// worker, so files to serve can go there). Resolves to {dir, process}.
export function startNginx(servers) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-nginx-'));
  fs.chmodSync(dir, 0o755);
  fs.writeFileSync(path.join(dir, 'nginx.conf'), `
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 256; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  ${servers(dir)}
}`);
  const process = startProcess(nginxBin, ['-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;']);
  return { dir, process };
}

// Writes a file nginx's worker (which may run as nobody) can read.
export function writePublicFile(file, content) {
  fs.writeFileSync(file, content);
  fs.chmodSync(file, 0o644);
}
