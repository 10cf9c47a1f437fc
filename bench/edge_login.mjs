// Logs in at a gatehouse listener whose rule runs authenticate-oidc against the built-in IdP
// (`gatehouse idp`), the way a browser would: follow the 302s by hand, keep cookies per host,
// fill the IdP's login form. Prints the Cookie header value that carries the session.
//   node bench/edge_login.mjs http://127.0.0.1:18103/ alice alice
// For benchmarks and manual checks over plain HTTP on loopback; no npm packages.
import http from 'node:http';

const [start, username, password] = process.argv.slice(2);
const jars = new Map();  // host -> Map(name -> value)

function jarFor(url) {
  if (!jars.has(url.host)) jars.set(url.host, new Map());
  return jars.get(url.host);
}

function send(url, { method = 'GET', body } = {}) {
  const jar = jarFor(url);
  const headers = { host: url.host };
  if (jar.size) headers.cookie = [...jar].map(([n, v]) => `${n}=${v}`).join('; ');
  if (body) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    headers['content-length'] = Buffer.byteLength(body);
  }
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => {
        for (const line of res.headers['set-cookie'] ?? []) {
          const [pair, ...attributes] = line.split(';');
          const eq = pair.indexOf('=');
          const name = pair.slice(0, eq).trim();
          const expired = attributes.some((a) => /expires=thu, 01 jan 1970/i.test(a.trim()));
          if (expired) jar.delete(name); else jar.set(name, pair.slice(eq + 1));
        }
        resolve({ status: res.statusCode, location: res.headers.location, text });
      });
    });
    req.setTimeout(10000, () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

function unescape(text) {
  return text.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

let url = new URL(start);
let res = await send(url);
for (let hops = 0; hops < 10; hops += 1) {
  if (res.status === 200 && url.host === new URL(start).host) break;
  if (res.status === 302 || res.status === 303) {
    url = new URL(res.location, url);
    res = await send(url);
    continue;
  }
  const action = /<form method="post" action="([^"]+)"/.exec(res.text)?.[1];
  if (res.status !== 200 || !action) throw new Error(`unexpected ${res.status} at ${url}: ${res.text}`);
  const fields = new URLSearchParams();
  for (const m of res.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    fields.set(m[1], unescape(m[2]));
  fields.set('username', username);
  fields.set('password', password);
  url = new URL(unescape(action), url);
  res = await send(url, { method: 'POST', body: fields.toString() });
}
const session = [...jarFor(new URL(start))].filter(([name]) => name.startsWith('AWSELBAuthSessionCookie'));
if (res.status !== 200 || !session.length) throw new Error(`login did not finish: ${res.status} at ${url}`);
console.log(session.map(([n, v]) => `${n}=${v}`).join('; '));
