// Fixtures for the AuthorizationPolicy integration tests: the reference article's config
// (Gateway, VirtualService, ServiceEntry, RequestAuthentication, the two ALLOW policies) plus
// a DENY, a dry-run DENY and a locked workload; a token minter over npm jose; and a raw
// HTTP/1.1 exchange that parses every response on the connection, so bypass attempts can send
// request-targets no HTTP client would and still be checked response by response.
import { meshConfig, rawExchange, serviceEntry } from './gateway.mjs';

export const ISSUER = 'https://idp.example/oauth2/default';
export const OTHER_ISSUER = 'https://evil.example/oauth2/default';
export const AUDIENCE = 'api://default';
export const TOKEN_HEADER = 'x-amzn-oidc-accesstoken';
// Requests with this Host are routed to the workload labelled app: locked.
export const LOCKED_HOST = 'locked.example';

// The full configuration. Routing: Host locked.example -> locked.foo (app: locked), anything
// else -> httpbin.foo (app: httpbin); both are the same built-in httpbin process.
export function authzConfig({ listenPort, httpbinPort, jwksUri }) {
  return `${meshConfig({ listenPort, httpbinPort })}
---
apiVersion: networking.istio.io/v1alpha3
kind: VirtualService
metadata: {name: locked, namespace: foo}
spec:
  hosts: ["${LOCKED_HOST}"]
  gateways: [httpbin-gateway]
  http:
  - route:
    - destination:
        port: {number: 8000}
        host: locked.foo.svc.cluster.local
---
${serviceEntry('locked', httpbinPort)}
---
apiVersion: security.istio.io/v1beta1
kind: RequestAuthentication
metadata: {name: httpbin, namespace: foo}
spec:
  selector:
    matchLabels: {app: httpbin}
  jwtRules:
  - issuer: "${ISSUER}"
    jwksUri: "${jwksUri}"
    fromHeaders:
    - name: ${TOKEN_HEADER}
    forwardOriginalToken: true
---
# The reference article's policies: /status/200 open to anyone, everything else needs a token
# of the issuer with httpbin in groups.
apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: {name: httpbin-health, namespace: foo}
spec:
  selector:
    matchLabels: {app: httpbin}
  action: ALLOW
  rules:
  - to:
    - operation:
        paths: ["/status/200"]
---
apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: {name: httpbin-group, namespace: foo}
spec:
  selector:
    matchLabels: {app: httpbin}
  action: ALLOW
  rules:
  - from:
    - source:
        requestPrincipals: ["${ISSUER}/*"]
    when:
    - key: request.auth.claims[groups]
      values: ["httpbin"]
---
# DENY wins over ALLOW: subject mallory is refused even with the group, and /status/200 is
# refused when x-block: yes is sent.
apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: {name: httpbin-deny, namespace: foo}
spec:
  selector:
    matchLabels: {app: httpbin}
  action: DENY
  rules:
  - from:
    - source:
        requestPrincipals: ["${ISSUER}/mallory"]
  - to:
    - operation:
        paths: ["/status/200"]
    when:
    - key: request.headers[x-block]
      values: ["yes"]
---
# Dry-run: would deny everything carrying x-dry-run-deny: yes, but must never enforce.
apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata:
  name: httpbin-dry-run-deny
  namespace: foo
  annotations:
    istio.io/dry-run: "true"
spec:
  selector:
    matchLabels: {app: httpbin}
  action: DENY
  rules:
  - when:
    - key: request.headers[x-dry-run-deny]
      values: ["yes"]
---
# An ALLOW policy without rules (allow-nothing): every request to app: locked is denied.
apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: {name: locked-allow-nothing, namespace: foo}
spec:
  selector:
    matchLabels: {app: locked}
`;
}

// An identity provider: RSA keys, the key set to publish, and a minter.
export async function createIdp(jose) {
  const keys = {};
  for (const kid of ['k1', 'rogue']) {
    const { privateKey, publicKey } = await jose.generateKeyPair('RS256', { extractable: true });
    keys[kid] = { privateKey, jwk: { ...(await jose.exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
  }
  // Only k1 is published; 'rogue' signs tokens the gateway has no key for.
  const jwks = JSON.stringify({ keys: [keys.k1.jwk] });
  const mint = ({ claims = { groups: ['httpbin', 'everyone'] }, sub = 'alice', iss = ISSUER,
    exp = '5m', kid = 'k1', signer = kid } = {}) => {
    const jwt = new jose.SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(iss).setSubject(sub).setAudience(AUDIENCE)
      .setIssuedAt(typeof exp === 'number' ? exp - 600 : undefined)
      .setExpirationTime(exp);
    return jwt.sign(keys[signer].privateKey);
  };
  return { jwks, mint };
}

// Parses every HTTP/1.x response in `text` (latin1, as rawExchange collects it). Each is
// {status, headers (lower-case names, repeats joined with ", "), body}. A response whose body
// is not complete ends the list; `rest` holds what could not be parsed.
export function parseResponses(text) {
  const responses = [];
  let at = 0;
  while (at < text.length) {
    const headEnd = text.indexOf('\r\n\r\n', at);
    if (headEnd < 0) break;
    const lines = text.slice(at, headEnd).split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
    if (!m) break;
    const status = Number(m[1]);
    const headers = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    }
    let pos = headEnd + 4;
    let body = '';
    if (status === 204 || status === 304 || (status >= 100 && status < 200)) {
      // no body
    } else if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
      let complete = false;
      for (;;) {
        const lineEnd = text.indexOf('\r\n', pos);
        if (lineEnd < 0) break;
        const size = parseInt(text.slice(pos, lineEnd), 16);
        if (Number.isNaN(size)) break;
        pos = lineEnd + 2;
        if (size === 0) {
          const trailerEnd = text.indexOf('\r\n\r\n', pos - 2);
          if (trailerEnd < 0) break;
          pos = trailerEnd + 4;
          complete = true;
          break;
        }
        if (pos + size + 2 > text.length) break;
        body += text.slice(pos, pos + size);
        pos += size + 2;
      }
      if (!complete) { responses.push({ status, headers, body, incomplete: true }); at = text.length; break; }
    } else if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length']);
      if (pos + length > text.length) { responses.push({ status, headers, body: text.slice(pos), incomplete: true }); at = text.length; break; }
      body = text.slice(pos, pos + length);
      pos += length;
    } else {
      body = text.slice(pos);  // delimited by close
      pos = text.length;
    }
    responses.push({ status, headers, body });
    at = pos;
  }
  return { responses, rest: text.slice(at) };
}

// Sends `bytes` on a fresh connection to the gateway and parses what comes back.
export async function rawResponses(port, bytes, { timeoutMs = 3000 } = {}) {
  const { text, closed } = await rawExchange(port, bytes, { timeoutMs });
  return { text, closed, ...parseResponses(text) };
}

// A GET with the request-target exactly as given (no encoding, no validation).
export function rawGet(target, { host = '127.0.0.1', headers = [], method = 'GET', version = 'HTTP/1.1' } = {}) {
  const lines = [`${method} ${target} ${version}`];
  if (host !== null) lines.push(`Host: ${host}`);
  for (const h of headers) lines.push(h);
  lines.push('Connection: close');
  return `${lines.join('\r\n')}\r\n\r\n`;
}

// The built-in httpbin adds its CORS headers to every answer; the gateway's own answers
// (403 RBAC, 400, 401, 404) have none. So a response with them came from the upstream.
export function fromUpstream(res) {
  return res.headers['access-control-allow-credentials'] !== undefined;
}

// What httpbin answers to GET /status/200: 200 with an empty body.
export function isStatus200Answer(res) {
  return fromUpstream(res) && res.status === 200 && res.body.length === 0;
}

// A short description of a response for assertion messages.
export function describe(res) {
  if (!res) return '(no response)';
  const origin = fromUpstream(res) ? 'upstream' : 'gateway';
  const body = res.body.length > 160 ? `${res.body.slice(0, 160)}...` : res.body;
  return `${res.status} from ${origin}: ${JSON.stringify(body)}`;
}
