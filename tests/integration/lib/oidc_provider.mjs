// A real OpenID Provider for tests: npm `oidc-provider` (a certified implementation) on a
// loopback port, in this process, with its development login pages (any user name, any
// password) and one confidential client. Short access-token lifetimes make refreshes testable.
import http from 'node:http';
import { freePort } from './harness.mjs';
import { importTestPackage } from './npm.mjs';

// Starts the provider. Resolves to {issuer, port, stop(), tokenRequests()}.
//   clientId, clientSecret, redirectUris   the client gatehouse logs in as
//   accessTokenTtl                          seconds an access token lives
//   claimsOf(accountId)                     the account's claims (sub is the account id)
//   features                                more oidc-provider features (merged with the rest)
//   extraConfig                             more oidc-provider configuration (top-level keys)
//   routes                                  {pathname: (req, res) => ...} served before the
//                                           provider, for endpoints it does not have
export async function startOidcProvider({
  clientId, clientSecret, redirectUris, postLogoutRedirectUris = [], accessTokenTtl = 3600,
  claimsOf = (id) => ({ email: `${id}@example.com`, name: id, groups: ['everyone'] }),
  features = {}, extraConfig = {}, routes = {},
}) {
  const { default: Provider } = await importTestPackage('oidc-provider');
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: redirectUris,
      post_logout_redirect_uris: postLogoutRedirectUris,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    async findAccount(ctx, id) {
      return { accountId: id, claims: async () => ({ sub: id, ...claimsOf(id) }) };
    },
    claims: { openid: ['sub'], email: ['email'], profile: ['name', 'groups'] },
    features: { devInteractions: { enabled: true }, ...features },
    issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
    ttl: { AccessToken: accessTokenTtl, IdToken: 3600, Grant: 3600, Session: 3600,
      Interaction: 600, AuthorizationCode: 60, RefreshToken: 3600 },
    cookies: { keys: ['gatehouse-test-cookie-key'] },
    // The tests' gatehouse talks to the provider over plain HTTP on loopback.
    clientBasedCORS: () => false,
    ...extraConfig,
  });
  let tokenRequests = 0;
  const callback = provider.callback();
  const server = http.createServer((req, res) => {
    if (req.url.startsWith('/token')) tokenRequests += 1;
    const route = routes[new URL(req.url, issuer).pathname];
    if (route) Promise.resolve(route(req, res)).catch(() => res.destroy());
    else callback(req, res);
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    issuer,
    port,
    tokenRequests: () => tokenRequests,
    stop: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
