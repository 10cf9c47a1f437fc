// `gatehouse idp` checked by an independent, certified relying party library (npm
// openid-client): discovery, the code flow with PKCE (the login form driven with plain HTTP),
// refresh, userinfo, ID token validation, client_credentials, logout, and the error cases of
// OAuth 2.0 and OpenID Connect. Tokens are also verified against /v1/keys with npm jose.
//
// Run: GATEHOUSE_BIN=build/src/app/gatehouse node --test tests/integration/idp.test.mjs
// Skips when GATEHOUSE_BIN is unset or tests/node has no openid-client (scripts/install-deps.sh).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { request, startHttpServer } from './lib/harness.mjs';
import { importTestPackage } from './lib/npm.mjs';

const GATEHOUSE_BIN = process.env.GATEHOUSE_BIN;
const REDIRECT = 'http://127.0.0.1:9/callback';
const OTHER_REDIRECT = 'http://127.0.0.1:9/other';
const LOGOUT_REDIRECT = 'http://127.0.0.1:9/signed-out';
const PREFIX = '/oauth2/default';

let client;
let jose;
try {
  client = await importTestPackage('openid-client');
  jose = await importTestPackage('jose');
} catch {
  client = null;
}
const skip = !GATEHOUSE_BIN ? 'GATEHOUSE_BIN is not set' : !client ? 'openid-client missing' : false;

function config(port) {
  return `apiVersion: gatehouse.dev/v1alpha1
kind: IdentityProvider
metadata: {name: test-idp}
spec:
  issuer: http://127.0.0.1:${port}${PREFIX}
  scopes: [httpbin.read]
  groups: [httpbin, everyone]
  users:
  - {username: alice, password: alice, name: Alice, email: alice@example.com, groups: [httpbin, everyone]}
  - {username: bob, password: bob, name: Bob, email: bob@example.com, groups: [everyone]}
  clients:
  - clientId: app
    clientSecretFile: app-secret.txt
    redirectUris: ['${REDIRECT}']
    postLogoutRedirectUris: ['${LOGOUT_REDIRECT}']
    grantTypes: [authorization_code, refresh_token, client_credentials]
  - clientId: other
    clientSecret: other-secret
    redirectUris: ['${OTHER_REDIRECT}']
  - clientId: spa
    redirectUris: ['${REDIRECT}']
  groupsClaim:
    idToken: {filterType: STARTS_WITH, filterValue: http}
`;
}

// The hidden fields and the action of the login form in `html`.
function loginForm(html) {
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  const fields = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields.set(m[1], m[2].replaceAll('&quot;', '"').replaceAll('&#39;', "'")
      .replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&'));
  }
  return { action, fields };
}

describe('gatehouse idp against openid-client', { skip }, () => {
  let idp;
  let port;
  let issuer;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-idp-'));

  before(async () => {
    fs.writeFileSync(path.join(dir, 'app-secret.txt'), 'app-secret\n');
    ({ process: idp, port } = await startHttpServer({
      cmd: GATEHOUSE_BIN,
      args: (p) => {
        fs.writeFileSync(path.join(dir, 'idp.yaml'), config(p));
        return ['idp', '--config', path.join(dir, 'idp.yaml'), '--listen', `127.0.0.1:${p}`];
      },
      readyPath: `${PREFIX}/.well-known/openid-configuration`,
    }));
    issuer = `http://127.0.0.1:${port}${PREFIX}`;
  });
  after(async () => {
    await idp?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const discover = (id, secret, auth) =>
    client.discovery(new URL(issuer), id, secret, auth, { execute: [client.allowInsecureRequests] });

  const get = (url, headers = {}) => {
    const u = new URL(url);
    return request({ port, path: u.pathname + u.search, headers });
  };
  const postForm = (pathname, params, headers = {}) =>
    request({
      port,
      method: 'POST',
      path: pathname,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: params.toString(),
    });

  // Walks the login: GET authorize, POST the form; returns the 302 response.
  async function login(authorizeUrl, username, password) {
    const form = await get(authorizeUrl);
    assert.equal(form.status, 200, form.text);
    const { action, fields } = loginForm(form.text);
    assert.equal(action, `${PREFIX}/v1/login`);
    fields.set('username', username);
    fields.set('password', password);
    return postForm(action, fields);
  }

  async function codeFlow(config, { username = 'alice', scope = 'openid profile email offline_access' } = {}) {
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    const answer = await login(url, username, username);
    assert.equal(answer.status, 302, answer.text);
    const callback = new URL(answer.headers.location);
    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    return { tokens, callback, verifier, state, nonce, cookie: answer.headers['set-cookie']?.[0] };
  }

  test('discovery names the Okta layout', async () => {
    const config = await discover('app', 'app-secret', client.ClientSecretBasic('app-secret'));
    const meta = config.serverMetadata();
    assert.equal(meta.issuer, issuer);
    assert.equal(meta.authorization_endpoint, `${issuer}/v1/authorize`);
    assert.equal(meta.token_endpoint, `${issuer}/v1/token`);
    assert.equal(meta.jwks_uri, `${issuer}/v1/keys`);
    assert.equal(meta.end_session_endpoint, `${issuer}/v1/logout`);
  });

  test('code flow with PKCE, ID token validated, tokens verify with jose', async () => {
    const config = await discover('app', 'app-secret', client.ClientSecretBasic('app-secret'));
    const { tokens } = await codeFlow(config);
    const claims = tokens.claims();
    assert.equal(claims.iss, issuer);
    assert.equal(claims.aud, 'app');
    assert.equal(claims.preferred_username, 'alice');
    assert.equal(claims.email, 'alice@example.com');
    assert.deepEqual(claims.groups, ['httpbin']); // the ID token's STARTS_WITH filter
    const jwks = jose.createRemoteJWKSet(new URL(`${issuer}/v1/keys`));
    const { payload, protectedHeader } = await jose.jwtVerify(tokens.access_token, jwks, {
      issuer,
      audience: 'api://default',
    });
    assert.equal(protectedHeader.alg, 'RS256');
    assert.equal(payload.cid, 'app');
    assert.equal(payload.sub, 'alice');
    assert.equal(payload.uid, 'alice');
    assert.deepEqual(payload.groups, ['httpbin', 'everyone']);
    assert.deepEqual(payload.scp, ['openid', 'profile', 'email', 'offline_access']);
    assert.ok(payload.jti.startsWith('AT.'));
    await jose.jwtVerify(tokens.id_token, jwks, { issuer, audience: 'app' });
  });

  test('client_secret_post and refresh with rotation', async () => {
    const config = await discover('app', 'app-secret', client.ClientSecretPost('app-secret'));
    const { tokens } = await codeFlow(config);
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
    assert.ok(refreshed.access_token);
    assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
    assert.equal(refreshed.claims().sub, tokens.claims().sub);
    await assert.rejects(client.refreshTokenGrant(config, tokens.refresh_token), (e) => {
      assert.equal(e.error, 'invalid_grant');
      return true;
    });
  });

  test('userinfo answers for the access token', async () => {
    const config = await discover('app', 'app-secret', client.ClientSecretBasic('app-secret'));
    const { tokens } = await codeFlow(config);
    const info = await client.fetchUserInfo(config, tokens.access_token, tokens.claims().sub);
    assert.equal(info.email, 'alice@example.com');
    assert.equal(info.name, 'Alice');
  });

  test('a public client signs in with PKCE and no secret', async () => {
    const config = await discover('spa', undefined, client.None());
    const { tokens } = await codeFlow(config, { username: 'bob', scope: 'openid profile' });
    assert.equal(tokens.claims().preferred_username, 'bob');
    assert.equal(tokens.refresh_token, undefined);
  });

  test('the login session signs a second client in without a password', async () => {
    const app = await discover('app', 'app-secret', client.ClientSecretBasic('app-secret'));
    const { cookie } = await codeFlow(app);
    assert.ok(cookie?.startsWith('gatehouse_idp_session='));
    const spa = await discover('spa', undefined, client.None());
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(spa, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const answer = await get(url, { Cookie: cookie.split(';')[0] });
    assert.equal(answer.status, 302, answer.text);
    const tokens = await client.authorizationCodeGrant(spa, new URL(answer.headers.location), {
      pkceCodeVerifier: verifier,
    });
    assert.equal(tokens.claims().sub, 'alice');
  });

  test('client_credentials', async () => {
    const config = await discover('app', 'app-secret', client.ClientSecretBasic('app-secret'));
    const tokens = await client.clientCredentialsGrant(config, { scope: 'httpbin.read' });
    const jwks = jose.createRemoteJWKSet(new URL(`${issuer}/v1/keys`));
    const { payload } = await jose.jwtVerify(tokens.access_token, jwks, { issuer, audience: 'api://default' });
    assert.equal(payload.sub, 'app');
    assert.deepEqual(payload.scp, ['httpbin.read']);
  });

  test('a wrong secret is invalid_client with 401', async () => {
    const config = await discover('app', 'wrong', client.ClientSecretBasic('wrong'));
    await assert.rejects(client.clientCredentialsGrant(config, {}), (e) => {
      assert.equal(e.status, 401);
      return true;
    });
    const raw = await postForm(`${PREFIX}/v1/token`, new URLSearchParams({ grant_type: 'client_credentials' }), {
      Authorization: `Basic ${Buffer.from('app:wrong').toString('base64')}`,
    });
    assert.equal(raw.status, 401);
    assert.equal(JSON.parse(raw.text).error, 'invalid_client');
    assert.match(raw.headers['www-authenticate'], /^Basic /);
    const unknown = await postForm(`${PREFIX}/v1/token`,
      new URLSearchParams({ grant_type: 'client_credentials', client_id: 'nobody', client_secret: 'x' }));
    assert.equal(unknown.status, 401);
    assert.equal(JSON.parse(unknown.text).error, 'invalid_client');
  });

  test('a reused code, a PKCE mismatch and a code of another client are invalid_grant', async () => {
    const config = await discover('app', 'app-secret', client.ClientSecretBasic('app-secret'));
    const first = await codeFlow(config);
    await assert.rejects(
      client.authorizationCodeGrant(config, first.callback, {
        pkceCodeVerifier: first.verifier, expectedState: first.state, expectedNonce: first.nonce,
      }),
      (e) => e.error === 'invalid_grant');

    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT, scope: 'openid',
      code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    const answer = await login(url, 'alice', 'alice');
    await assert.rejects(
      client.authorizationCodeGrant(config, new URL(answer.headers.location), {
        pkceCodeVerifier: client.randomPKCECodeVerifier(),
      }),
      (e) => e.error === 'invalid_grant');

    const again = await login(url, 'alice', 'alice');
    const code = new URL(again.headers.location).searchParams.get('code');
    const stolen = await postForm(`${PREFIX}/v1/token`, new URLSearchParams({
      grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier,
      client_id: 'other', client_secret: 'other-secret',
    }));
    assert.equal(stolen.status, 400);
    assert.equal(JSON.parse(stolen.text).error, 'invalid_grant');
  });

  test('unsupported grant and response types', async () => {
    const grant = await postForm(`${PREFIX}/v1/token`, new URLSearchParams({
      grant_type: 'password', username: 'alice', password: 'alice', client_id: 'app', client_secret: 'app-secret',
    }));
    assert.equal(grant.status, 400);
    assert.equal(JSON.parse(grant.text).error, 'unsupported_grant_type');
    const config = await discover('app', 'app-secret', client.ClientSecretBasic('app-secret'));
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT, scope: 'openid', response_type: 'token', state: 's1',
    });
    const answer = await get(url);
    assert.equal(answer.status, 302);
    const location = new URL(answer.headers.location);
    assert.equal(location.origin + location.pathname, REDIRECT);
    assert.equal(location.searchParams.get('error'), 'unsupported_response_type');
    assert.equal(location.searchParams.get('state'), 's1');
  });

  test('an unregistered redirect_uri shows an error page and never redirects', async () => {
    const config = await discover('app', 'app-secret', client.ClientSecretBasic('app-secret'));
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: 'http://evil.example/callback', scope: 'openid',
    });
    const answer = await get(url);
    assert.equal(answer.status, 400);
    assert.equal(answer.headers.location, undefined);
    assert.match(answer.text, /not registered/);
  });

  test('wrong passwords re-show the form and are rate-limited per user', async () => {
    const config = await discover('other', 'other-secret', client.ClientSecretBasic('other-secret'));
    const url = client.buildAuthorizationUrl(config, { redirect_uri: OTHER_REDIRECT, scope: 'openid' });
    for (let i = 0; i < 5; ++i) {
      const wrong = await login(url, 'bob', 'not-bob');
      assert.equal(wrong.status, 401);
      assert.match(wrong.text, /Invalid username or password\./);
      assert.match(wrong.text, /<form method="post"/);
    }
    const locked = await login(url, 'bob', 'bob');
    assert.equal(locked.status, 429);
    assert.match(locked.text, /Too many failed sign-ins/);
    const alice = await login(url, 'alice', 'alice');
    assert.equal(alice.status, 302);
  });

  test('logout checks post_logout_redirect_uri and ends the session', async () => {
    const config = await discover('app', 'app-secret', client.ClientSecretBasic('app-secret'));
    const { tokens, cookie } = await codeFlow(config);
    const bad = client.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token, post_logout_redirect_uri: 'http://evil.example/',
    });
    const refused = await get(bad, { Cookie: cookie.split(';')[0] });
    assert.equal(refused.status, 400);
    assert.equal(refused.headers.location, undefined);
    const good = client.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token, post_logout_redirect_uri: LOGOUT_REDIRECT, state: 'bye',
    });
    const out = await get(good, { Cookie: cookie.split(';')[0] });
    assert.equal(out.status, 302);
    assert.equal(out.headers.location, `${LOGOUT_REDIRECT}?state=bye`);
    const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid' });
    const form = await get(url, { Cookie: cookie.split(';')[0] });
    assert.equal(form.status, 200); // the session is gone: the form again
  });
});
