// Cross-check of gatehouse's oidc module against npm `jose` (panva/jose), through
// tests/oidc/oidc_tool:
// - x-amzn-oidc-data as gatehouse signs it verifies in npm jose with the PEM gatehouse publishes
//   at /public-keys/{kid}, exactly as a Node target verifies ALB's tokens (padded segments kept),
//   has ALB's header and payload, and fails with any one flipped bit;
// - ID tokens npm jose signs are accepted, or refused with the status each broken rule calls for.
// Offline: keys are generated locally. Run by CTest (tests/oidc/CMakeLists.txt) with OIDC_TOOL.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const testsDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const requireFromNodeTests = createRequire(path.join(testsDir, 'node', 'package.json'));
const jose = await import(pathToFileURL(requireFromNodeTests.resolve('jose')).href);

const oidcTool = process.env.OIDC_TOOL;
assert.ok(oidcTool, 'OIDC_TOOL must name the oidc_tool binary');

const ISSUER = 'https://idp.example';
const CLIENT_ID = 'gatehouse-client';
const NONCE = 'n-0S6_WzA2Mj';
const now = Math.floor(Date.now() / 1000);

const workDir = mkdtempSync(path.join(tmpdir(), 'oidc-crosscheck-'));
after(() => rmSync(workDir, { recursive: true, force: true }));

function runTool(args, input) {
  const result = spawnSync(oidcTool, args, { input, encoding: 'utf8' });
  assert.equal(result.error, undefined, String(result.error));
  return { status: result.status, stdout: result.stdout, lines: result.stdout.trim().split('\n'), stderr: result.stderr };
}

const b64uPadded = (bytes) => {
  const text = Buffer.from(bytes).toString('base64url');
  return text + '='.repeat((4 - (text.length % 4)) % 4);
};

describe('x-amzn-oidc-data', () => {
  const claims = { sub: '00u1alice', name: 'Alice +/=-_ Ütf', email: 'alice@example.com',
                   email_verified: 'true', groups: ['Everyone', 'httpbin'] };
  const exp = now + 120;
  const minted = runTool(['data-token', JSON.stringify(claims), String(exp)]);
  assert.equal(minted.status, 0, minted.stderr);
  const { kid, pem, token } = JSON.parse(minted.stdout);

  test('verifies in npm jose with the published PEM, padded segments as sent', async () => {
    const key = await jose.importSPKI(pem, 'ES256');
    const { payload, protectedHeader } = await jose.compactVerify(token, key, { algorithms: ['ES256'] });
    assert.deepEqual(Object.keys(protectedHeader), ['typ', 'kid', 'alg', 'iss', 'client', 'signer', 'exp']);
    assert.deepEqual(protectedHeader, {
      typ: 'JWT', kid, alg: 'ES256', iss: ISSUER, client: CLIENT_ID,
      signer: 'arn:aws:elasticloadbalancing:eu-west-1:000000000000:loadbalancer/app/gatehouse/1', exp,
    });
    assert.match(kid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const body = JSON.parse(new TextDecoder().decode(payload));
    assert.deepEqual(Object.keys(body), [...Object.keys(claims), 'exp', 'iss']);
    assert.deepEqual(body, { ...claims, exp, iss: ISSUER });
  });

  test('has ALB\'s shape: padded base64url segments, an 88-character raw R||S signature', async () => {
    const segments = token.split('.');
    assert.equal(segments.length, 3);
    for (const segment of segments) {
      assert.equal(segment.length % 4, 0, segment);
      assert.match(segment, /^[A-Za-z0-9_-]+={0,2}$/);
    }
    assert.equal(segments[2].length, 88);
    assert.ok(segments[2].endsWith('=='));
    assert.equal(Buffer.from(segments[2], 'base64url').length, 64);
    assert.match(pem, /^-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE[A-Za-z0-9+/]{28}\n[A-Za-z0-9+/]{58}==\n-----END PUBLIC KEY-----\n$/);
    // The signature covers the padded text: WebCrypto over exactly the bytes sent.
    const key = await jose.importSPKI(pem, 'ES256');
    const input = Buffer.from(`${segments[0]}.${segments[1]}`);
    const signature = Buffer.from(segments[2], 'base64url');
    assert.equal(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, signature, input), true);
    const unpadded = Buffer.from(`${segments[0].replace(/=+$/, '')}.${segments[1].replace(/=+$/, '')}`);
    if (!unpadded.equals(input)) {
      assert.equal(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, signature, unpadded), false);
    }
  });

  test('fails with any one flipped bit of the signature, header or payload', async () => {
    const key = await jose.importSPKI(pem, 'ES256');
    const [header, payload, signature] = token.split('.');
    const variants = [];
    const flips = (text) => {
      const bytes = Buffer.from(text, 'base64url');
      const out = [];
      for (let bit = 0; bit < bytes.length * 8; ++bit) {
        const flipped = Buffer.from(bytes);
        flipped[bit >> 3] ^= 1 << (bit & 7);
        out.push(b64uPadded(flipped));
      }
      return out;
    };
    for (const s of flips(signature)) variants.push(`${header}.${payload}.${s}`);
    for (const p of flips(payload).filter((_, i) => i % 7 === 0)) variants.push(`${header}.${p}.${signature}`);
    for (const h of flips(header).filter((_, i) => i % 7 === 0)) variants.push(`${h}.${payload}.${signature}`);
    assert.ok(variants.length > 512);
    let refused = 0;
    for (const variant of variants) {
      await assert.rejects(jose.compactVerify(variant, key, { algorithms: ['ES256'] }), variant);
      ++refused;
    }
    assert.equal(refused, variants.length);
  });
});

describe('ID tokens signed by npm jose', () => {
  const keys = {};
  let jwksFile;

  async function key(alg, kid) {
    const { privateKey, publicKey } = await jose.generateKeyPair(alg, { extractable: true });
    return { alg, kid, privateKey, publicJwk: { ...(await jose.exportJWK(publicKey)), kid, alg, use: 'sig' } };
  }

  async function sign(claims, { alg = 'RS256', signer = keys[alg], header = {} } = {}) {
    return new jose.SignJWT(claims)
      .setProtectedHeader({ alg, kid: signer.kid, typ: 'JWT', ...header })
      .sign(signer.privateKey);
  }

  const good = () => ({ iss: ISSUER, sub: '00u1alice', aud: CLIENT_ID, iat: now - 5, exp: now + 3600,
                        nonce: NONCE, auth_time: now - 10, email: 'alice@example.com' });

  function validate(tokens) {
    const result = runTool(['id-token', jwksFile, ISSUER, CLIENT_ID, NONCE, String(now)], tokens.join('\n') + '\n');
    assert.equal(result.lines.length, tokens.length, result.stderr);
    return result.lines;
  }

  test('are accepted for each algorithm an IdP uses', async () => {
    for (const alg of ['RS256', 'PS256', 'ES256', 'EdDSA']) keys[alg] = await key(alg, `idp-${alg}`);
    keys.stranger = await key('RS256', 'idp-RS256');  // same kid as the IdP's key, other material
    keys.unknown = await key('RS256', 'unknown-kid');
    jwksFile = path.join(workDir, 'idp.jwks.json');
    writeFileSync(jwksFile, JSON.stringify({ keys: ['RS256', 'PS256', 'ES256', 'EdDSA'].map((alg) => keys[alg].publicJwk) }));
    const tokens = [];
    for (const alg of ['RS256', 'PS256', 'ES256', 'EdDSA']) tokens.push(await sign(good(), { alg }));
    tokens.push(await sign({ ...good(), aud: [CLIENT_ID, 'api://default'], azp: CLIENT_ID }));
    tokens.push(await sign({ ...good(), aud: [CLIENT_ID] }));
    tokens.push(await sign({ ...good(), exp: now - 30 }));  // within the 60 s skew
    assert.deepEqual(validate(tokens), tokens.map(() => 'Ok'));
  });

  test('are refused, each broken rule with its own status', async () => {
    const without = (name) => { const claims = good(); delete claims[name]; return claims; };
    const secret = new TextEncoder().encode('the-client-secret-is-not-a-signing-key');
    const cases = [
      [await sign({ ...good(), iss: 'https://evil.example' }), 'IdTokenWrongIssuer'],
      [await sign({ ...good(), iss: `${ISSUER}/` }), 'IdTokenWrongIssuer'],
      [await sign(without('iss')), 'IdTokenWrongIssuer'],
      [await sign({ ...good(), aud: 'another-client' }), 'IdTokenWrongAudience'],
      [await sign(without('aud')), 'IdTokenWrongAudience'],
      [await sign({ ...good(), aud: [CLIENT_ID, 'api://default'] }), 'IdTokenWrongAuthorizedParty'],
      [await sign({ ...good(), azp: 'another-client' }), 'IdTokenWrongAuthorizedParty'],
      [await sign(without('exp')), 'IdTokenNoExpiry'],
      [await sign({ ...good(), exp: now - 61 }), 'IdTokenExpired'],
      [await sign({ ...good(), nbf: now + 120 }), 'IdTokenNotYetValid'],
      [await sign(without('sub')), 'IdTokenNoSubject'],
      [await sign(without('nonce')), 'IdTokenNoNonce'],
      [await sign({ ...good(), nonce: 'nonce-of-another-login' }), 'IdTokenWrongNonce'],
      [await sign(good(), { signer: keys.stranger }), 'IdTokenBadSignature'],
      [await sign(good(), { signer: keys.unknown }), 'IdTokenBadSignature'],
      [await new jose.SignJWT(good()).setProtectedHeader({ alg: 'HS256' }).sign(secret), 'IdTokenBadSignature'],
      [new jose.UnsecuredJWT(good()).encode(), 'IdTokenMalformed'],
      ['not.a.token', 'IdTokenMalformed'],
    ];
    // A payload swapped under a valid signature.
    const original = await sign(good());
    const forged = await sign({ ...good(), sub: '00u1mallory' });
    const [h, , s] = original.split('.');
    cases.push([`${h}.${forged.split('.')[1]}.${s}`, 'IdTokenBadSignature']);
    const statuses = validate(cases.map(([token]) => token));
    cases.forEach(([token, expected], i) => assert.equal(statuses[i], expected, token));
  });
});
