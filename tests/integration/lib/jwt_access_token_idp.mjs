// An OpenID Provider that issues JWT access tokens (RFC 9068) with a `groups` claim, as Okta's
// custom authorization server does for the reference article: npm `oidc-provider` with
// resource indicators, every grant bound to one audience, plus a userinfo endpoint that accepts
// those tokens.
//
// Why a userinfo endpoint of our own: oidc-provider keeps the two kinds of access token apart
// by design. A JWT access token always has an audience (a resource server), is not stored, and
// its /me refuses any token with an audience ("token audience prevents accessing the userinfo
// endpoint") or one it cannot find in its store. ALB (and gatehouse) call userinfo with the one
// access token they got, so /jwt-userinfo here does what Okta's /v1/userinfo does with its JWT
// access tokens: verify the token against the provider's own JWKS (issuer, audience, at+jwt,
// expiry) and answer with the account's claims. Login, consent, code, tokens and keys are all
// oidc-provider's.
import { importTestPackage } from './npm.mjs';
import { startOidcProvider } from './oidc_provider.mjs';

export const USERINFO_PATH = '/jwt-userinfo';

// Starts the provider. Resolves to startOidcProvider's handle plus {jwksUri, userinfoEndpoint,
// userinfoRequests()}.
//   audience            the access tokens' aud (the resource indicator every grant gets)
//   claimsOf(id)        the account's claims for the ID token and userinfo
//   groupsOf(id)        the access token's groups claim
export async function startJwtAccessTokenIdp({
  clientId, clientSecret, redirectUris, audience, claimsOf, groupsOf, accessTokenTtl = 600,
}) {
  const jose = await importTestPackage('jose');
  const { errors } = await importTestPackage('oidc-provider');
  let jwks;
  let issuer;
  let userinfoRequests = 0;
  const answer = (res, status, body, headers = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store',
      ...headers });
    res.end(JSON.stringify(body));
  };
  const userinfo = async (req, res) => {
    userinfoRequests += 1;
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    if (!bearer) {
      answer(res, 401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer' });
      return;
    }
    try {
      const { payload } = await jose.jwtVerify(bearer[1], jwks, { issuer, audience, typ: 'at+jwt' });
      answer(res, 200, { sub: payload.sub, ...claimsOf(payload.sub) });
    } catch (error) {
      answer(res, 401, { error: 'invalid_token', error_description: error.code ?? 'invalid' },
        { 'www-authenticate': 'Bearer error="invalid_token"' });
    }
  };
  const idp = await startOidcProvider({
    clientId, clientSecret, redirectUris, accessTokenTtl, claimsOf,
    routes: { [USERINFO_PATH]: userinfo },
    features: {
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => audience,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (ctx, indicator) => {
          if (indicator !== audience) throw new errors.InvalidTarget();
          return { scope: 'groups', audience, accessTokenFormat: 'jwt', accessTokenTTL: accessTokenTtl };
        },
      },
    },
    extraConfig: {
      extraTokenClaims: async (ctx, token) => (token.kind === 'AccessToken'
        ? { groups: groupsOf(token.accountId) } : undefined),
    },
  });
  issuer = idp.issuer;
  jwks = jose.createRemoteJWKSet(new URL(`${issuer}/jwks`));
  return {
    ...idp,
    jwksUri: `${issuer}/jwks`,
    userinfoEndpoint: `${issuer}${USERINFO_PATH}`,
    userinfoRequests: () => userinfoRequests,
  };
}
