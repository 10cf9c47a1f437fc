// gatehouse's built-in development OpenID Provider (`gatehouse idp`) for tests: one
// IdentityProvider resource written to a folder, the process started on a free loopback port
// (retried with another port when it loses the race for one) and stopped by the handle.
import fs from 'node:fs';
import path from 'node:path';
import { gatehouseBin } from './gateway.mjs';
import { startHttpServer } from './harness.mjs';

const ISSUER_PATH = '/oauth2/default';

function resourceYaml({ issuer, users, clientId, clientSecretFile, redirectUris }) {
  const groups = [...new Set(users.flatMap((u) => u.groups))];
  const userLines = users.map((u) => `  - {username: ${u.username}, password: ${u.password}, `
    + `name: ${u.name ?? u.username}, email: ${u.email ?? `${u.username}@example.com`}, `
    + `groups: [${u.groups.join(', ')}]}`);
  return `apiVersion: gatehouse.dev/v1alpha1
kind: IdentityProvider
metadata: {name: test-idp}
spec:
  issuer: ${issuer}
  groups: [${groups.join(', ')}]
  users:
${userLines.join('\n')}
  clients:
  - clientId: ${clientId}
    clientSecretFile: ${clientSecretFile}
    redirectUris: [${redirectUris.map((uri) => `'${uri}'`).join(', ')}]
    grantTypes: [authorization_code, refresh_token]
`;
}

// Starts `gatehouse idp` with its config in `dir` (created if missing; idp.yaml and
// idp-client.secret). Resolves to
// {issuer, port, jwksUri, authorizationEndpoint, tokenEndpoint, userinfoEndpoint, process,
// stop()}.
//   users         [{username, password, groups, name?, email?}]
//   clientId, clientSecret, redirectUris   the one confidential client
export async function startBuiltinIdp({ dir, users, clientId, clientSecret, redirectUris }) {
  fs.mkdirSync(dir, { recursive: true });
  const configFile = path.join(dir, 'idp.yaml');
  fs.writeFileSync(path.join(dir, 'idp-client.secret'), `${clientSecret}\n`);
  const { process: idp, port } = await startHttpServer({
    cmd: gatehouseBin,
    args: (p) => {
      const issuer = `http://127.0.0.1:${p}${ISSUER_PATH}`;
      fs.writeFileSync(configFile, resourceYaml({ issuer, users, clientId,
        clientSecretFile: 'idp-client.secret', redirectUris }));
      return ['idp', '--config', configFile, '--listen', `127.0.0.1:${p}`];
    },
    readyPath: `${ISSUER_PATH}/.well-known/openid-configuration`,
  });
  const issuer = `http://127.0.0.1:${port}${ISSUER_PATH}`;
  return {
    issuer,
    port,
    jwksUri: `${issuer}/v1/keys`,
    authorizationEndpoint: `${issuer}/v1/authorize`,
    tokenEndpoint: `${issuer}/v1/token`,
    userinfoEndpoint: `${issuer}/v1/userinfo`,
    process: idp,
    stop: () => idp.stop(),
  };
}
