// A scriptable OpenID Provider for login failure tests: a node http server on loopback with a
// discovery document, a JWKS (npm jose RS256 keys), a token endpoint and a userinfo endpoint.
// No login pages: a test registers an authorization code with idp.code({...}) saying how the
// token and userinfo endpoints answer for it, then calls gatehouse's callback with that code.
// Each code is single-use (a second exchange gets invalid_grant), and the token endpoint checks
// what a real IdP checks: client credentials (Basic), redirect_uri and the PKCE verifier.
import crypto from 'node:crypto';
import http from 'node:http';
import { freePort } from './harness.mjs';
import { importTestPackage } from './npm.mjs';

// Longer than gatehouse's 5 s back-channel timeout.
export const SLOW_ANSWER_MS = 6500;

// Starts the IdP. Resolves to {issuer, code(spec), stop(), requests()}.
//
// code(spec) registers a code and returns it. spec:
//   authorize   the login redirect's query (URLSearchParams): nonce, redirect_uri and
//               code_challenge are taken from it
//   token       'ok' (default) | 'error500' | 'garbage' | 'slow' | 'reset'
//   idToken     claims to override in the ID token ({aud: 'other'}, {exp: ...}, ...)
//   signWith    'good' (default, published) | 'rogue' (unpublished key)
//   kid         the ID token header's kid (default: signWith's)
//   userinfo    'ok' (default) | 'error500' | 'garbage' | 'reset'
//   claims      userinfo claims besides sub ({sub} here overrides it)
//   subject     the ID token's sub (default alice)
export async function startFakeIdp({ clientId, clientSecret }) {
  const jose = await importTestPackage('jose');
  const keys = {};
  for (const name of ['good', 'rogue']) {
    const { privateKey, publicKey } = await jose.generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await jose.exportJWK(publicKey)), kid: name, alg: 'RS256', use: 'sig' };
    keys[name] = { privateKey, jwk };
  }
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const codes = new Map();         // code -> spec (deleted when used)
  const accessTokens = new Map();  // access token -> spec
  const log = [];                  // "METHOD /path" of every request
  const timers = new Set();

  const json = (res, status, body) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const later = (ms, fn) => {
    const timer = setTimeout(() => { timers.delete(timer); fn(); }, ms);
    timers.add(timer);
  };

  const idTokenFor = (spec) => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: issuer, aud: clientId, sub: spec.subject ?? 'alice', iat: now,
      exp: now + 300, nonce: spec.authorize.get('nonce'), ...spec.idToken };
    const signWith = spec.signWith ?? 'good';
    return new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: spec.kid ?? signWith })
      .sign(keys[signWith].privateKey);
  };

  async function token(req, res, body) {
    const form = new URLSearchParams(body);
    const credentials = `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`;
    const basic = `Basic ${Buffer.from(credentials).toString('base64')}`;
    if (req.headers.authorization !== basic) return json(res, 401, { error: 'invalid_client' });
    const spec = codes.get(form.get('code'));
    codes.delete(form.get('code'));
    const challenge = crypto.createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url');
    if (!spec || form.get('grant_type') !== 'authorization_code'
        || form.get('redirect_uri') !== spec.authorize.get('redirect_uri')
        || challenge !== spec.authorize.get('code_challenge')) {
      return json(res, 400, { error: 'invalid_grant' });
    }
    const accessToken = `at-${crypto.randomBytes(16).toString('hex')}`;
    accessTokens.set(accessToken, spec);
    const answer = async () => json(res, 200, { access_token: accessToken, token_type: 'Bearer',
      expires_in: 300, id_token: await idTokenFor(spec) });
    switch (spec.token ?? 'ok') {
      case 'ok': return answer();
      case 'error500': return json(res, 500, { error: 'server_error' });
      case 'garbage': return json(res, 200, '<html>IDP-MARKER not json</html>');
      case 'slow': return later(SLOW_ANSWER_MS, () => answer().catch(() => res.destroy()));
      case 'reset': return req.socket.destroy();
      default: throw new Error(`unknown token behaviour ${spec.token}`);
    }
  }

  function userinfo(req, res) {
    const spec = accessTokens.get(/^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1]);
    if (!spec) return json(res, 401, { error: 'invalid_token' });
    switch (spec.userinfo ?? 'ok') {
      case 'ok': return json(res, 200, { sub: spec.subject ?? 'alice', ...spec.claims });
      case 'error500': return json(res, 500, { error: 'server_error' });
      case 'garbage': return json(res, 200, 'IDP-MARKER not json');
      case 'reset': return req.socket.destroy();
      default: throw new Error(`unknown userinfo behaviour ${spec.userinfo}`);
    }
  }

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const { pathname } = new URL(req.url, issuer);
      log.push(`${req.method} ${pathname}`);
      const body = Buffer.concat(chunks).toString('utf8');
      const route = {
        '/.well-known/openid-configuration': () => json(res, 200, {
          issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`,
          userinfo_endpoint: `${issuer}/userinfo`, jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'], subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'] }),
        '/jwks': () => json(res, 200, { keys: [keys.good.jwk] }),
        '/token': () => token(req, res, body),
        '/userinfo': () => userinfo(req, res),
      }[pathname];
      if (!route) return json(res, 404, { error: 'not_found' });
      return Promise.resolve(route()).catch(() => res.destroy());
    });
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));

  return {
    issuer,
    port,
    code(spec) {
      const code = crypto.randomBytes(12).toString('hex');
      codes.set(code, spec);
      return code;
    },
    requests: () => [...log],
    stop: () => new Promise((resolve) => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
