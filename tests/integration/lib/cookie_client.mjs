// A browser stand-in without a browser: HTTP and HTTPS requests (certificates not checked, the
// tests' gatehouse certificate is self-signed) with a cookie jar, redirects followed by hand,
// and the login forms of oidc-provider (development login and consent) and of `gatehouse idp`
// (username and password) submitted as a user would. Bounded: every request has a timeout and
// a login follows at most 30 hops.
import http from 'node:http';
import https from 'node:https';

// Cookies by host name (not port, as browsers keep them), with Path and expiry honoured.
export class CookieJar {
  #cookies = new Map();  // "host|path|name" -> {host, path, name, value}

  store(url, setCookieHeaders = []) {
    const { hostname, pathname } = new URL(url);
    for (const header of setCookieHeaders) {
      const [pair, ...attributes] = header.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = pathname.slice(0, pathname.lastIndexOf('/') + 1) || '/';
      let expired = false;
      for (const attribute of attributes) {
        const [key, ...rest] = attribute.split('=');
        const attributeValue = rest.join('=');
        switch (key.toLowerCase()) {
          case 'path': path = attributeValue || '/'; break;
          case 'max-age': expired ||= Number(attributeValue) <= 0; break;
          case 'expires': expired ||= Date.parse(attributeValue) <= Date.now(); break;
          default: break;
        }
      }
      const key = `${hostname}|${path}|${name}`;
      if (expired) this.#cookies.delete(key);
      else this.#cookies.set(key, { host: hostname, path, name, value });
    }
  }

  // The Cookie header value for `url` (longest paths first, as browsers send them).
  header(url) {
    const { hostname, pathname } = new URL(url);
    return [...this.#cookies.values()]
      .filter((c) => c.host === hostname && pathname.startsWith(c.path))
      .sort((a, b) => b.path.length - a.path.length)
      .map((c) => `${c.name}=${c.value}`).join('; ');
  }

  // The cookies for `host` as [{name, value}].
  cookies(host) {
    return [...this.#cookies.values()].filter((c) => c.host === host)
      .map(({ name, value }) => ({ name, value }));
  }
}

// One request, always sent to 127.0.0.1 (loopback only; "localhost" never becomes ::1), keeping the
// URL's host in Host and, for localhost, in SNI. `requestTarget` sends that text as the
// request-target instead of the URL's path and query (for targets a URL would normalise).
// Resolves to {status, headers, text, url}.
export function send(url, {
  method = 'GET', headers = {}, body, jar, requestTarget, timeoutMs = 10000,
} = {}) {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  const allHeaders = { host: target.host, ...headers };
  const cookie = jar?.header(url);
  if (cookie && allHeaders.cookie === undefined) allHeaders.cookie = cookie;
  if (body !== undefined) allHeaders['content-length'] = Buffer.byteLength(body);
  return new Promise((resolve, reject) => {
    const req = client.request({
      host: '127.0.0.1', port: target.port, path: requestTarget ?? target.pathname + target.search,
      method,
      headers: allHeaders, agent: false, rejectUnauthorized: false,
      ...(target.hostname === 'localhost' ? { servername: 'localhost' } : {}),
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        jar?.store(url, res.headers['set-cookie']);
        resolve({ status: res.statusCode, headers: res.headers, url,
          text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

// HTML attribute text as the browser reads it (the entities the providers' pages use).
function unescapeHtml(text) {
  return text.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

// The first <form> of an HTML page: its absolute action URL, its hidden inputs and the names
// of its other inputs.
function parseForm(html, pageUrl) {
  const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return null;
  const fields = {};
  const inputs = new Set();
  for (const input of form[2].matchAll(/<input[^>]*>/gi)) {
    const name = /name="([^"]*)"/.exec(input[0]);
    if (!name) continue;
    if (!/type="hidden"/i.test(input[0])) {
      inputs.add(name[1]);
      continue;
    }
    const value = /value="([^"]*)"/.exec(input[0]);
    fields[unescapeHtml(name[1])] = value ? unescapeHtml(value[1]) : '';
  }
  return { action: new URL(unescapeHtml(form[1]), pageUrl).href, fields, inputs };
}

// Follows redirects from `url` (GET), submitting the provider's login form as `user` (with
// `password`; oidc-provider's development login takes any) and its consent form, until a
// response that is neither a redirect nor one of those forms. A refused password is such a
// response (gatehouse idp answers 401 with the form again). Resolves to
// {response, hops: [{url, status, location}]}.
export async function browse(url, { jar, user, password = 'any password', maxHops = 30 } = {}) {
  const hops = [];
  let next = { url, method: 'GET' };
  for (let i = 0; i < maxHops; ++i) {
    const res = await send(next.url, { method: next.method, jar, body: next.body,
      headers: next.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {} });
    hops.push({ url: next.url, status: res.status, location: res.headers.location });
    if ([301, 302, 303, 307, 308].includes(res.status) && res.headers.location) {
      next = { url: new URL(res.headers.location, next.url).href, method: 'GET' };
      continue;
    }
    const form = res.status === 200 && /text\/html/.test(res.headers['content-type'] ?? '')
      ? parseForm(res.text, next.url) : null;
    // oidc-provider names the user field "login" (and says prompt=login); gatehouse idp "username".
    const userField = form?.fields.prompt === 'login' ? 'login'
      : form?.inputs.has('username') && form.inputs.has('password') ? 'username' : null;
    if (userField) {
      if (!user) throw new Error(`login form at ${next.url} but no user given`);
      const body = new URLSearchParams({ ...form.fields, [userField]: user, password });
      next = { url: form.action, method: 'POST', body: body.toString() };
      continue;
    }
    if (form?.fields.prompt === 'consent') {
      next = { url: form.action, method: 'POST', body: new URLSearchParams(form.fields).toString() };
      continue;
    }
    return { response: res, hops };
  }
  throw new Error(`more than ${maxHops} hops from ${url}: ${JSON.stringify(hops)}`);
}
