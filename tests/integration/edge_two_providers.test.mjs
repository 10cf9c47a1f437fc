// One edge scenario, two OpenID Providers: the reference article's chain (an HTTPS listener
// with the open /status/200 rule and a default authenticate-oidc then forward to the Istio
// ingress gateway, the Gateway and VirtualService to httpbin.foo, httpbin's
// RequestAuthentication on x-amzn-oidc-accesstoken and the article's AuthorizationPolicy)
// run once against gatehouse's built-in IdP (`gatehouse idp`) and once against npm
// oidc-provider issuing JWT access tokens with groups. The same steps and assertions for both,
// so neither gatehouse's edge nor its IdP is only compatible with itself. Each provider gets
// its own gatehouse, httpbin and provider on free loopback ports; logins are driven by a
// cookie-jar HTTP client.
//
// Run: GATEHOUSE_BIN=build/src/app/gatehouse node --test tests/integration/edge_two_providers.test.mjs
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startBuiltinIdp } from './lib/builtin_idp.mjs';
import { browse, CookieJar, send } from './lib/cookie_client.mjs';
import { articleMesh, gatehouseBin, loginFolder, startHttpbin } from './lib/gateway.mjs';
import { freePort, request, startProcess, waitForHttp } from './lib/harness.mjs';
import { startJwtAccessTokenIdp } from './lib/jwt_access_token_idp.mjs';
import { importTestPackage } from './lib/npm.mjs';

const CLIENT_ID = 'gatehouse-edge';
const CLIENT_SECRET = 'edge-secret-for-tests';
const AUDIENCE = 'api://default';  // the access tokens' aud at both providers
const SESSION_COOKIE = 'AWSELBAuthSessionCookie';
const GROUPS = { alice: ['httpbin', 'everyone'], bob: ['everyone'] };

// Each provider starts for a gateway whose callback is `redirectUri` and resolves to
// {issuer, jwksUri, authorizationEndpoint, tokenEndpoint, userinfoEndpoint, stop()}. A user's
// password is their name (oidc-provider's development login takes any).
const providers = [
  {
    name: 'built-in IdP (gatehouse idp)',
    // In a folder of its own: the gateway's --config folder holds the gateway's resources only.
    start: ({ dir, redirectUri }) => startBuiltinIdp({
      dir: path.join(dir, 'idp'),
      clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [redirectUri],
      users: Object.entries(GROUPS).map(([username, groups]) => (
        { username, password: username, groups })),
    }),
  },
  {
    name: 'npm oidc-provider with JWT access tokens',
    start: async ({ redirectUri }) => {
      const idp = await startJwtAccessTokenIdp({
        clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, audience: AUDIENCE,
        redirectUris: [redirectUri],
        claimsOf: (id) => ({ email: `${id}@example.com`, name: id, groups: GROUPS[id] ?? [] }),
        groupsOf: (id) => GROUPS[id] ?? [],
      });
      return { ...idp, authorizationEndpoint: `${idp.issuer}/auth`,
        tokenEndpoint: `${idp.issuer}/token` };
    },
  },
];

// The article's chain against `idp`, as in examples/seed but for the provider's URLs.
function gatewayConfig({ idp, httpsPort, httpbinPort }) {
  return `apiVersion: gatehouse.dev/v1alpha1
kind: Listener
metadata: {name: https, namespace: foo}
spec:
  address: 127.0.0.1
  port: ${httpsPort}
  protocol: HTTPS
  certificates: [{certificateFile: tls.crt, keyFile: tls.key}]
  rules:
  - priority: 1
    conditions: [{field: path-pattern, values: [/status/200]}]
    actions: [{type: forward, targetGroupName: istio-ingressgateway}]
  defaultActions:
  - type: authenticate-oidc
    order: 1
    authenticateOidcConfig:
      issuer: ${idp.issuer}
      authorizationEndpoint: ${idp.authorizationEndpoint}
      tokenEndpoint: ${idp.tokenEndpoint}
      userInfoEndpoint: ${idp.userinfoEndpoint}
      clientId: ${CLIENT_ID}
      clientSecretFile: client.secret
      sessionKeysFile: session.keys
      scope: openid profile email groups
      logoutPath: /logout
      allowInsecureHttp: true
  - type: forward
    order: 2
    targetGroupName: istio-ingressgateway
---
${articleMesh({ httpbinPort: httpbinPort, issuer: idp.issuer, jwksUri: idp.jwksUri })}
---
apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: {name: httpbin, namespace: foo}
spec:
  selector:
    matchLabels: {app: httpbin}
  action: ALLOW
  rules:
  - to:
    - operation:
        paths: ["/status/200"]
  - from:
    - source:
        requestPrincipals: ["${idp.issuer}/*"]
    when:
    - key: request.auth.claims[groups]
      values: ["httpbin"]
`;
}

function decodeSegment(segment) {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
}

// The names of the session shards `jar` holds for `host`.
function sessionShards(jar, host) {
  return jar.cookies(host).map((c) => c.name).filter((n) => n.startsWith(`${SESSION_COOKIE}-`));
}

function edgeScenario(provider) {
  let jose;
  let dir;
  let httpbin;
  let idp;
  let discovery;
  let gateway;
  let adminPort;
  let origin;
  const logins = new Map();  // user -> promise of {jar, response, hops} (one login per user)

  // `user` logs in at the provider's form, starting at /headers. One login per user, shared.
  const login = (user) => {
    if (!logins.has(user)) {
      logins.set(user, (async () => {
        const jar = new CookieJar();
        const { response, hops } = await browse(`${origin}/headers`, { jar, user, password: user });
        return { jar, response, hops };
      })());
    }
    return logins.get(user);
  };

  // x-amzn-oidc-data checked as an ALB target does: npm jose's compactVerify on the exact text
  // ('=' padding included) with the PEM for the header's kid from the admin listener.
  const verifyData = async (token) => {
    const { kid } = decodeSegment(token.split('.')[0]);
    const pem = await request({ port: adminPort, path: `/public-keys/${kid}` });
    assert.equal(pem.status, 200, pem.text);
    assert.match(pem.text, /^-----BEGIN PUBLIC KEY-----\n/);
    const key = await jose.importSPKI(pem.text, 'ES256');
    const { payload, protectedHeader } = await jose.compactVerify(token, key);
    return { header: protectedHeader, payload: JSON.parse(Buffer.from(payload).toString('utf8')) };
  };

  before(async () => {
    jose = await importTestPackage('jose');
    dir = loginFolder('gatehouse-two-providers-', CLIENT_SECRET);
    httpbin = await startHttpbin();
    const httpsPort = await freePort();
    adminPort = await freePort();
    origin = `https://localhost:${httpsPort}`;
    idp = await provider.start({ dir, redirectUri: `${origin}/oauth2/idpresponse` });
    const found = await send(`${idp.issuer}/.well-known/openid-configuration`);
    assert.equal(found.status, 200, found.text);
    discovery = JSON.parse(found.text);
    // The endpoints the gateway is configured with are the ones the provider publishes.
    assert.equal(discovery.issuer, idp.issuer);
    assert.equal(discovery.authorization_endpoint, idp.authorizationEndpoint);
    assert.equal(discovery.token_endpoint, idp.tokenEndpoint);
    assert.equal(discovery.jwks_uri, idp.jwksUri);
    assert.ok(discovery.end_session_endpoint, found.text);
    fs.writeFileSync(path.join(dir, 'config.yaml'),
      gatewayConfig({ idp, httpsPort, httpbinPort: httpbin.port }));
    gateway = startProcess(gatehouseBin, ['run', '--config', dir, '--admin',
      `127.0.0.1:${adminPort}`, '--workers', '2', '--access-log', '']);
    await waitForHttp(`http://127.0.0.1:${adminPort}/ready`, { process: gateway, timeoutMs: 10000 });
  });

  after(async () => {
    if (gateway && !gateway.running()) console.log(gateway.describe());
    await gateway?.stop();
    await idp?.stop();
    await httpbin?.process.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('alice logs in; httpbin gets her JWT access token, identity and a verifiable data token',
    async () => {
      const { response, hops } = await login('alice');
      assert.equal(response.status, 200, `${response.text}\n${JSON.stringify(hops)}`);
      assert.equal(new URL(response.url).pathname, '/headers', 'back at the URL first asked for');
      assert.ok(hops[0].location.startsWith(`${idp.authorizationEndpoint}?`), hops[0].location);
      const h = JSON.parse(response.text).headers;

      // The provider's access token, checked by the mesh and forwarded (forwardOriginalToken).
      const accessToken = h['X-Amzn-Oidc-Accesstoken'];
      assert.ok(accessToken, JSON.stringify(h));
      const at = decodeSegment(accessToken.split('.')[1]);
      assert.equal(at.iss, idp.issuer);
      assert.equal(at.sub, 'alice');
      assert.ok(at.groups.includes('httpbin'), JSON.stringify(at));
      const { payload: verified } = await jose.jwtVerify(accessToken,
        jose.createRemoteJWKSet(new URL(idp.jwksUri)), { issuer: idp.issuer, audience: AUDIENCE });
      assert.deepEqual(verified.groups, GROUPS.alice);

      assert.equal(h['X-Amzn-Oidc-Identity'], 'alice');
      const data = await verifyData(h['X-Amzn-Oidc-Data']);
      assert.equal(data.header.alg, 'ES256');
      assert.equal(data.header.iss, idp.issuer);
      assert.equal(data.header.client, CLIENT_ID);
      assert.equal(data.payload.sub, 'alice');
      assert.equal(data.payload.email, 'alice@example.com');
      assert.equal(data.payload.iss, idp.issuer);
      assert.ok(data.payload.exp * 1000 > Date.now(), JSON.stringify(data.payload));
      assert.ok(!(h.Cookie ?? '').includes(SESSION_COOKIE), 'the session stays at the edge');

      // The session carries the next request.
      const again = await send(`${origin}/anything/again?x=1`, { jar: (await login('alice')).jar });
      assert.equal(again.status, 200, again.text);
      assert.equal(JSON.parse(again.text).headers['X-Amzn-Oidc-Identity'], 'alice');
    });

  test('bob logs in and is refused by the AuthorizationPolicy: 403 RBAC: access denied',
    async () => {
      const { response, hops, jar } = await login('bob');
      assert.equal(response.status, 403, `${response.text}\n${JSON.stringify(hops)}`);
      assert.equal(response.text, 'RBAC: access denied');
      assert.equal(new URL(response.url).pathname, '/headers');
      assert.ok(sessionShards(jar, 'localhost').length >= 1, 'bob has a session: the mesh refused');
      const open = await send(`${origin}/status/200`, { jar });
      assert.equal(open.status, 200, open.text);
    });

  test('/status/200 answers without a login; /headers starts one at the authorize endpoint',
    async () => {
      const open = await send(`${origin}/status/200`);
      assert.equal(open.status, 200, open.text);
      assert.equal(open.text, '');
      assert.equal(open.headers['set-cookie'], undefined, 'no login started');
      const closed = await send(`${origin}/headers`);
      assert.equal(closed.status, 302, closed.text);
      const location = new URL(closed.headers.location);
      assert.equal(`${location.origin}${location.pathname}`, idp.authorizationEndpoint);
      assert.equal(location.searchParams.get('client_id'), CLIENT_ID);
      assert.equal(location.searchParams.get('redirect_uri'), `${origin}/oauth2/idpresponse`);
    });

  test('/logout expires the session shards and the next /headers logs in again', async () => {
    const { jar } = await login('alice');
    const shards = sessionShards(jar, 'localhost');
    assert.ok(shards.length >= 1, JSON.stringify(jar.cookies('localhost')));

    const out = await send(`${origin}/logout`, { jar });
    assert.equal(out.status, 302, out.text);
    // RP-initiated logout at the provider's end_session_endpoint, with alice's ID token.
    const location = new URL(out.headers.location);
    assert.equal(`${location.origin}${location.pathname}`, discovery.end_session_endpoint);
    assert.equal(location.searchParams.get('client_id'), CLIENT_ID);
    const { payload: idToken } = await jose.jwtVerify(location.searchParams.get('id_token_hint'),
      jose.createRemoteJWKSet(new URL(idp.jwksUri)), { issuer: idp.issuer, audience: CLIENT_ID });
    assert.equal(idToken.sub, 'alice');
    const setCookies = out.headers['set-cookie'] ?? [];
    for (const name of shards) {
      const expiring = setCookies.find((c) => c.startsWith(`${name}=;`));
      assert.ok(expiring, `${name} expired in ${JSON.stringify(setCookies)}`);
      assert.match(expiring, /; Expires=Thu, 01 Jan 1970 00:00:00 GMT/i);
    }
    assert.deepEqual(sessionShards(jar, 'localhost'), []);

    const next = await send(`${origin}/headers`, { jar });
    assert.equal(next.status, 302, next.text);
    assert.ok(next.headers.location.startsWith(`${idp.authorizationEndpoint}?`),
      next.headers.location);
  });
}

for (const provider of providers) describe(provider.name, () => edgeScenario(provider));
