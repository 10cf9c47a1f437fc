// Cross-check of gatehouse's jose module against npm `jose` (panva/jose, an independent and
// widely used JOSE implementation), through tests/jose/jose_tool. For every algorithm: tokens
// npm jose signs verify in gatehouse, tokens gatehouse signs verify in npm jose, and every
// single-bit flip and truncation of a signature fails in gatehouse with the one expected status.
// Offline: keys are generated locally and nothing listens on the network.
// Run by CTest (tests/jose/CMakeLists.txt) as `node --test` with JOSE_TOOL set.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

// npm jose lives in tests/node/node_modules (scripts/install-deps.sh runs `npm ci` there).
const testsDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const requireFromNodeTests = createRequire(path.join(testsDir, 'node', 'package.json'));
const jose = await import(pathToFileURL(requireFromNodeTests.resolve('jose')).href);

const joseTool = process.env.JOSE_TOOL;
assert.ok(joseTool, 'JOSE_TOOL must name the jose_tool binary');

const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512',
                    'ES256', 'ES384', 'ES512', 'EdDSA', 'HS256'];
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'];
const CLAIMS = { sub: 'alice', groups: ['httpbin'] };
const ISSUER = 'https://idp.example';

const workDir = mkdtempSync(path.join(tmpdir(), 'jose-crosscheck-'));
after(() => rmSync(workDir, { recursive: true, force: true }));

function runTool(args, input) {
  const result = spawnSync(joseTool, args, { input, encoding: 'utf8' });
  assert.equal(result.error, undefined, String(result.error));
  return { status: result.status, lines: result.stdout.trim().split('\n'), stderr: result.stderr };
}

function writeJson(name, value) {
  const file = path.join(workDir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

// A key of npm jose's making, as a private key object and a public JWK with kid/alg/use.
async function npmKey(alg) {
  const kid = `npm-${alg}`;
  if (alg.startsWith('HS')) {
    const secret = await jose.generateSecret(alg, { extractable: true });
    return { signingKey: secret, publicJwk: { ...(await jose.exportJWK(secret)), kid, alg, use: 'sig' } };
  }
  const { privateKey, publicKey } = await jose.generateKeyPair(alg, { extractable: true });
  return { signingKey: privateKey, publicJwk: { ...(await jose.exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

async function npmSignedToken(alg, key) {
  return new jose.SignJWT(CLAIMS)
    .setProtectedHeader({ alg, kid: key.publicJwk.kid, typ: 'JWT' })
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(key.signingKey);
}

// Every token whose signature is the original's with one bit flipped or cut short, and the
// status gatehouse must give it.
function brokenSignatures(token, alg) {
  const cut = token.lastIndexOf('.') + 1;
  const signature = Buffer.from(token.slice(cut), 'base64url');
  const variants = [];
  for (let bit = 0; bit < signature.length * 8; ++bit) {
    const flipped = Buffer.from(signature);
    flipped[bit >> 3] ^= 1 << (bit & 7);
    variants.push([token.slice(0, cut) + flipped.toString('base64url'), 'JwtVerificationFail']);
  }
  for (let size = 0; size < signature.length; ++size) {
    const expected = size === 0 ? 'JwtBadFormat'
      : alg === 'EdDSA' ? 'JwtEd25519SignatureWrongLength' : 'JwtVerificationFail';
    variants.push([token.slice(0, cut) + signature.subarray(0, size).toString('base64url'), expected]);
  }
  return variants;
}

for (const alg of ALGORITHMS) {
  describe(alg, () => {
    test('a token npm jose signs verifies in gatehouse, and no broken signature does', async () => {
      const key = await npmKey(alg);
      const jwksFile = writeJson(`npm-${alg}.jwks.json`, { keys: [key.publicJwk] });
      const token = await npmSignedToken(alg, key);

      const good = runTool(['verify', jwksFile, token]);
      assert.deepEqual(good.lines, ['Ok'], good.stderr);
      assert.equal(good.status, 0);

      const variants = brokenSignatures(token, alg);
      const broken = runTool(['verify', jwksFile], variants.map(([variant]) => variant).join('\n') + '\n');
      assert.equal(broken.lines.length, variants.length, broken.stderr);
      variants.forEach(([variant, expected], i) => assert.equal(broken.lines[i], expected, variant));
      assert.equal(broken.status, 1);
    });

    if (alg.startsWith('PS')) {
      test('PSS with a salt as long as the hash verifies, any other salt length fails', async () => {
        const key = await npmKey(alg);
        const jwksFile = writeJson(`npm-${alg}-salt.jwks.json`, { keys: [key.publicJwk] });
        const token = await npmSignedToken(alg, key);
        const input = token.slice(0, token.lastIndexOf('.'));
        const hashBytes = Number(alg.slice(2)) / 8;
        const withSalt = (saltLength) => `${input}.${crypto.sign(`sha${alg.slice(2)}`, Buffer.from(input), {
          key: crypto.KeyObject.from(key.signingKey),
          padding: crypto.constants.RSA_PKCS1_PSS_PADDING,
          saltLength,
        }).toString('base64url')}`;
        const result = runTool(['verify', jwksFile],
          [hashBytes, 0, hashBytes - 1, hashBytes + 1].map(withSalt).join('\n') + '\n');
        assert.deepEqual(result.lines,
          ['Ok', 'JwtVerificationFail', 'JwtVerificationFail', 'JwtVerificationFail'], result.stderr);
      });
    }

    test('a token gatehouse signs verifies in npm jose', async () => {
      const keygen = runTool(['keygen', alg, `gatehouse-${alg}`]);
      assert.equal(keygen.status, 0, keygen.stderr);
      const privateJwk = JSON.parse(keygen.lines[0]);
      const privateFile = writeJson(`gatehouse-${alg}.private.json`, privateJwk);
      const header = JSON.stringify({ alg, kid: privateJwk.kid, typ: 'JWT' });
      const now = Math.floor(Date.now() / 1000);
      const payload = JSON.stringify({ ...CLAIMS, iss: ISSUER, iat: now, exp: now + 3600 });
      const signed = runTool(['sign', alg, privateFile], `${header}\n${payload}\n`);
      assert.equal(signed.status, 0, signed.stderr);

      // npm jose takes no symmetric keys from a key set: an HMAC secret is imported directly.
      const verificationKey = alg.startsWith('HS') ? await jose.importJWK(privateJwk, alg)
        : jose.createLocalJWKSet({ keys: [Object.fromEntries(
          Object.entries(privateJwk).filter(([member]) => !PRIVATE_MEMBERS.includes(member)))] });
      const { payload: claims, protectedHeader } = await jose.jwtVerify(signed.lines[0], verificationKey, {
        issuer: ISSUER, algorithms: [alg],
      });
      assert.equal(protectedHeader.kid, `gatehouse-${alg}`);
      assert.deepEqual(claims.groups, CLAIMS.groups);
    });
  });
}
