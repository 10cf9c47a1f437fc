// The security pitfalls of istio-semantics.md §2.13 and the "notX matches an absent
// attribute" rule of §2.3, as far as the other authz tests leave them open: each test pins
// down how gatehouse behaves where users get bitten (usually a DENY that does not fire), and
// the mitigation Istio recommends. Pitfalls 6 to 9 start at request authentication, so those
// tests run a real signed token through authn::authenticate and hand its identity to authz.
//
// Already covered elsewhere, so not repeated here: the ALLOW side of pitfall 1
// (Operation.HostWithPortMissesAPlainHost), `/admin/`, `/Admin` and `/admin;x` for pitfall 2
// (Operation.ExactPathDoesNotCoverTrailingSlashOrCase), a notRequestPrincipals-only rule for
// pitfall 4 (Source.NotRequestPrincipalsAdmitAnonymous), the DENY notRequestPrincipals ["*"]
// mitigation of pitfall 5 (Evaluation.DenyNotRequestPrincipalsRequiresAToken), positive
// values on non-string claims and a hand-split scope for pitfall 9, positive peer-identity
// values for pitfall 10 (Source.*NeverMatchWithoutPeerIdentity), and absent headers, claims
// without a token, the presenter and the peer-identity keys for §2.3 (condition_test.cc).
// Pitfall 13 (filter order: CUSTOM before JWT, rewrites after authorization) is the engine's
// request path, not this module's; the module refuses CUSTOM (Evaluation.CustomIsRefusedAtCompile).
#include <cctype>

#include "../authn/test_support.h"
#include "test_support.h"

namespace gatehouse::authz {
namespace {

using Key = config::ConditionKey;

// Whether `policies` (in namespace "default") let `request` through.
bool allowed(const std::vector<config::AuthorizationPolicy>& policies, TestRequest& request) {
  return decide(policies, request).allowed;
}
config::AuthorizationPolicy deny(config::Rule rule) {
  return policy("deny", Action::Deny, std::vector{std::move(rule)});
}
config::AuthorizationPolicy allow(config::Rule rule) {
  return policy("allow", Action::Allow, std::vector{std::move(rule)});
}

// ---- 1. Host with port ------------------------------------------------------------------

TEST(Pitfall01HostWithPort, DenyOnABareHostIsBypassedByAddingAPort) {
  const std::vector policies{deny(to({{&O::hosts, {"admin.example.com"}}}))};
  TestRequest request;
  request.authority = "admin.example.com";
  EXPECT_FALSE(allowed(policies, request));
  for (const char* authority : {"admin.example.com:443", "Admin.Example.com:8443"}) {
    request.authority = authority;
    EXPECT_TRUE(allowed(policies, request)) << authority;
  }
}

TEST(Pitfall01HostWithPort, HostAndHostColonStarDenyEveryPortInAnyCase) {
  const std::vector policies{deny(to({{&O::hosts, {"admin.example.com", "admin.example.com:*"}}}))};
  for (const char* authority :
       {"admin.example.com", "admin.example.com:443", "ADMIN.Example.COM:8443"}) {
    TestRequest request;
    request.authority = authority;
    const auto d = decide(policies, request);
    EXPECT_FALSE(d.allowed) << authority;
    EXPECT_EQ(d.reason, kDeniedByRule) << authority;
  }
}

// §2.9: the raw :authority, so a trailing dot or a longer name is another host.
TEST(Pitfall01HostWithPort, NoTrailingDotRemovalAndThePortFormIsNotAPrefixOfTheName) {
  const std::vector policies{deny(to({{&O::hosts, {"admin.example.com", "admin.example.com:*"}}}))};
  for (const char* authority : {"admin.example.com.", "admin.example.com.:443",
                                "admin.example.com.evil.test", "xadmin.example.com"}) {
    TestRequest request;
    request.authority = authority;
    EXPECT_TRUE(allowed(policies, request)) << authority;
  }
}

// ---- 2. Path variants -------------------------------------------------------------------

// What the normalizer leaves in place depending on its mode: `%61` under NONE, `//` without
// MERGE_SLASHES, `%2F` without DECODE_AND_MERGE_SLASHES. Authorization sees them verbatim.
constexpr const char* kAdminVariants[] = {"/%61dmin", "//admin", "/admin%2F", "/admin%2fusers",
                                          "/admin/",  "/Admin",  "/admin;x"};

TEST(Pitfall02PathVariants, ExactDenyIsBypassedByEncodedAndDoubledForms) {
  const std::vector policies{deny(to({{&O::paths, {"/admin"}}}))};
  for (const char* path : {"/%61dmin", "//admin", "/admin%2F"}) {
    TestRequest request;
    request.path = path;
    EXPECT_TRUE(allowed(policies, request)) << path;
  }
}

TEST(Pitfall02PathVariants, PrefixDenyCatchesSomeVariantsOnly) {
  const std::vector policies{deny(to({{&O::paths, {"/admin*"}}}))};
  for (const char* path : {"/admin", "/admin/", "/admin;x", "/admin%2F", "/admin%2fusers"}) {
    TestRequest request;
    request.path = path;
    EXPECT_FALSE(allowed(policies, request)) << path;
  }
  for (const char* path : {"/%61dmin", "//admin", "/Admin"}) {
    TestRequest request;
    request.path = path;
    EXPECT_TRUE(allowed(policies, request)) << path;
  }
}

// The recommended forms: DENY everything but the public paths, or ALLOW only those.
TEST(Pitfall02PathVariants, DenyWithNotPathsCatchesEveryVariant) {
  const std::vector policies{deny(to({{&O::not_paths, {"/public/*", "/status/*"}}}))};
  for (const char* path : kAdminVariants) {
    TestRequest request;
    request.path = path;
    EXPECT_FALSE(allowed(policies, request)) << path;
  }
  TestRequest request;
  request.path = "/public/index.html";
  EXPECT_TRUE(allowed(policies, request));
}

TEST(Pitfall02PathVariants, AllowWithAPositiveMatchRefusesEveryVariant) {
  const std::vector policies{allow(to({{&O::paths, {"/public/*"}}}))};
  for (const char* path : kAdminVariants) {
    TestRequest request;
    request.path = path;
    const auto d = decide(policies, request);
    EXPECT_FALSE(d.allowed) << path;
    EXPECT_EQ(d.reason, kNoAllowRuleMatched) << path;
  }
}

// ---- 3. Normalization mismatch with the backend -------------------------------------------

// Authorization matches the forwarded path as it is and reads no path parameters or escapes:
// a template operator takes `..;`, `%2e%2e` and `%2F`, which a backend such as Tomcat may
// resolve to another resource. The proxy cannot know; the backend must agree.
TEST(Pitfall03BackendMismatch, TemplateOperatorsTakeWhatABackendMayResolveAsDotDot) {
  const std::vector policies{allow(to({{&O::paths, {"/public/{**}"}}}))};
  for (const char* path : {"/public/..;/admin", "/public/%2e%2e/admin", "/public/x%2F..%2Fadmin"}) {
    TestRequest request;
    request.path = path;
    EXPECT_TRUE(allowed(policies, request)) << path;
  }
  TestRequest request;
  request.path = "/public/..;/admin";
  const std::vector single{allow(to({{&O::paths, {"/public/{*}/admin"}}}))};
  EXPECT_TRUE(allowed(single, request));  // `..;` is one segment to {*}
}

TEST(Pitfall03BackendMismatch, PathParametersAndEscapesAreNotInterpreted) {
  const std::vector policies{deny(to({{&O::paths, {"/admin/secret"}}}))};
  for (const char* path : {"/admin;jsessionid=1/secret", "/admin%2Fsecret", "/admin/secret;x"}) {
    TestRequest request;
    request.path = path;
    EXPECT_TRUE(allowed(policies, request)) << path;
  }
  TestRequest exact;
  exact.path = "/admin/secret";
  exact.query = "x=;/..";  // the query is never part of the path
  EXPECT_FALSE(allowed(policies, exact));
}

// ---- 4. not-fields admit anonymous requests (and §2.3: an absent attribute) ----------------

TEST(Pitfall04NotFields, AllowWithOnlyNegativesLetsAnonymousRequestsIn) {
  config::Rule rule = from({{&S::not_request_principals, {"https://idp/mallory"}},
                            {&S::not_principals, {"cluster.local/ns/evil/sa/*"}},
                            {&S::not_namespaces, {"evil"}}});
  rule.when = {condition(Key::RequestClaims, {"groups"}, {}, {"banned"}),
               condition(Key::RequestAudiences, {}, {}, {"untrusted"}),
               condition(Key::RequestHeader, {"x-user"}, {}, {"mallory"}),
               condition(Key::ConnectionSni, {}, {}, {"evil.example.com"})};
  const std::vector policies{allow(rule)};
  TestRequest anonymous;
  const auto d = decide(policies, anonymous);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.reason, kAllowedByRule);

  const authn::Identity banned =
      identity(R"({"iss":"https://idp","sub":"bob","groups":["staff","banned"]})");
  TestRequest bob;
  bob.identity = &banned;
  EXPECT_FALSE(allowed(policies, bob));

  // The fix: also require a token.
  rule.from.front().request_principals = {"*"};
  EXPECT_FALSE(allowed({allow(rule)}, anonymous));
  const authn::Identity fine = identity(R"({"iss":"https://idp","sub":"carol","groups":["x"]})");
  TestRequest carol;
  carol.identity = &fine;
  EXPECT_TRUE(allowed({allow(rule)}, carol));
}

// One attribute the bare request lacks, as a positive rule and as its negative twin.
struct AbsentCase {
  const char* what;
  config::Rule positive, negative;
};

// A request with nothing optional: no token, no SNI, no destination address, no headers, and
// (to model a peer whose address is unknown) no peer address either.
TestRequest bare_request() {
  TestRequest request;
  request.peer_ip = "";
  return request;
}

class AbsentAttribute : public testing::TestWithParam<AbsentCase> {};

TEST_P(AbsentAttribute, FailsEveryPositiveAndPassesEveryNegative) {
  TestRequest request = bare_request();
  EXPECT_FALSE(allows(GetParam().positive, request)) << GetParam().what;
  EXPECT_TRUE(allows(GetParam().negative, request)) << GetParam().what;
  // And as a DENY: the negative form denies the request, the positive one does not.
  EXPECT_TRUE(allowed({deny(GetParam().positive)}, request)) << GetParam().what;
  EXPECT_FALSE(allowed({deny(GetParam().negative)}, request)) << GetParam().what;
}

INSTANTIATE_TEST_SUITE_P(
    Section2_3, AbsentAttribute,
    testing::Values(
        AbsentCase{"connection.sni", when(condition(Key::ConnectionSni, {}, {"*"})),
                   when(condition(Key::ConnectionSni, {}, {}, {"*"}))},
        AbsentCase{"request.auth.audiences", when(condition(Key::RequestAudiences, {}, {"*"})),
                   when(condition(Key::RequestAudiences, {}, {}, {"*"}))},
        AbsentCase{"request.auth.principal", when(condition(Key::RequestPrincipal, {}, {"*"})),
                   when(condition(Key::RequestPrincipal, {}, {}, {"*"}))},
        AbsentCase{"destination.ip", when(condition(Key::DestinationIp, {}, {"0.0.0.0/0"})),
                   when(condition(Key::DestinationIp, {}, {}, {"0.0.0.0/0"}))},
        AbsentCase{"source.ip", when(condition(Key::SourceIp, {}, {"0.0.0.0/0"})),
                   when(condition(Key::SourceIp, {}, {}, {"0.0.0.0/0"}))},
        AbsentCase{"remote.ip", when(condition(Key::RemoteIp, {}, {"::/0"})),
                   when(condition(Key::RemoteIp, {}, {}, {"::/0"}))},
        AbsentCase{"ipBlocks", from({{&S::ip_blocks, {"0.0.0.0/0"}}}),
                   from({{&S::not_ip_blocks, {"0.0.0.0/0"}}})},
        AbsentCase{"remoteIpBlocks", from({{&S::remote_ip_blocks, {"0.0.0.0/0"}}}),
                   from({{&S::not_remote_ip_blocks, {"0.0.0.0/0"}}})}),
    [](const testing::TestParamInfo<AbsentCase>& info) {
      std::string name;
      for (const char* c = info.param.what; *c; ++c)
        if (std::isalnum(static_cast<unsigned char>(*c))) name += *c;
      return name;
    });

// A token is there but the claim is not, or is no string: still "absent" to the matcher.
TEST(Pitfall04NotFields, MissingOrNonStringClaimOfAPresentTokenPassesNotValues) {
  const authn::Identity id =
      identity(R"({"iss":"i","sub":"s","email_verified":true,"level":3,"realm":"flat"})");
  TestRequest request;
  request.identity = &id;
  for (std::vector<std::string> path : std::vector<std::vector<std::string>>{
           {"groups"}, {"email_verified"}, {"level"}, {"realm", "roles"}}) {
    EXPECT_FALSE(allows(when(condition(Key::RequestClaims, path, {"*"})), request)) << path[0];
    EXPECT_TRUE(allows(when(condition(Key::RequestClaims, path, {}, {"*"})), request)) << path[0];
  }
}

// ---- 5. Token presence is not enforced by request authentication --------------------------

// A verified token without `sub` has no principal: both mitigations treat it as anonymous.
TEST(Pitfall05TokenPresence, TokenWithoutSubjectCountsAsNoTokenForBothMitigations) {
  const authn::Identity no_sub = identity(R"({"iss":"https://idp","groups":["admin"]})");
  TestRequest request;
  request.identity = &no_sub;
  EXPECT_FALSE(allowed({allow(from({{&S::request_principals, {"*"}}}))}, request));
  EXPECT_FALSE(allowed({deny(from({{&S::not_request_principals, {"*"}}}))}, request));
  // Yet its claims are there for `when`.
  EXPECT_TRUE(allows(when(condition(Key::RequestClaims, {"groups"}, {"admin"})), request));
}

// ---- 6-9. From the token to the decision ---------------------------------------------------

// A request authenticated by authn::authenticate, then authorized with its identity (if any).
struct EndToEnd {
  authn::Outcome::Kind authn = authn::Outcome::Kind::NoToken;
  bool has_identity = false;
  bool allowed = false;
  std::string_view reason;
};

EndToEnd authenticate_then_authorize(const std::vector<config::JwtRule>& jwt_rules,
                                     authn::TestRequest& http,
                                     const std::vector<config::AuthorizationPolicy>& policies) {
  const authn::Outcome outcome = authn::run(*authn::requirement(jwt_rules), http);
  TestRequest request;
  request.method = http.method;
  request.authority = http.authority;
  request.path = http.path;
  request.query = http.query;
  for (const http1::Field& field : http.headers.all())
    request.headers.emplace_back(field.name, field.value);
  request.identity = outcome.identity.get();
  const auto d = decide(policies, request);
  return {outcome.kind, outcome.identity != nullptr, d.allowed, d.reason};
}

// The user the DENY below is meant for: a verified token from the default issuer.
std::string blocked_token() { return authn::good_token({.extra = R"("groups":["blocked"])"}); }
// DENY tokens of the "blocked" group: what moving or misspelling the token escapes.
const config::AuthorizationPolicy kDenyBlocked =
    deny(when(condition(Key::RequestClaims, {"groups"}, {"blocked"})));
// Pitfall 5's mitigation, which closes pitfalls 6 and 7.
const config::AuthorizationPolicy kRequireToken =
    policy("require-token", Action::Deny, std::vector{from({{&S::not_request_principals, {"*"}}})});

TEST(Pitfall06UnconfiguredLocation, TokenElsewhereIsIgnoredAndEscapesADenyOnItsClaims) {
  config::JwtRule x_jwt_only = authn::jwt_rule();
  x_jwt_only.from_headers = {{"x-jwt", ""}};

  authn::TestRequest where_configured;
  where_configured.header("x-jwt", blocked_token());
  const auto denied = authenticate_then_authorize({x_jwt_only}, where_configured, {kDenyBlocked});
  EXPECT_EQ(denied.authn, authn::Outcome::Kind::Verified);
  EXPECT_FALSE(denied.allowed);
  EXPECT_EQ(denied.reason, kDeniedByRule);

  authn::TestRequest in_authorization;
  in_authorization.bearer(blocked_token());
  const auto escaped = authenticate_then_authorize({x_jwt_only}, in_authorization, {kDenyBlocked});
  EXPECT_EQ(escaped.authn, authn::Outcome::Kind::NoToken);  // not a 401
  EXPECT_FALSE(escaped.has_identity);
  EXPECT_TRUE(escaped.allowed);

  authn::TestRequest again;
  again.bearer(blocked_token());
  EXPECT_FALSE(
      authenticate_then_authorize({x_jwt_only}, again, {kDenyBlocked, kRequireToken}).allowed);
}

TEST(Pitfall07BearerScheme, LowerCaseOrOtherSchemeIsAnonymousAndEscapesADenyOnItsClaims) {
  for (const char* scheme : {"bearer ", "BEARER ", "Token ", "JWT "}) {
    authn::TestRequest request;
    request.header("Authorization", scheme + blocked_token());
    const auto escaped = authenticate_then_authorize({authn::jwt_rule()}, request, {kDenyBlocked});
    EXPECT_EQ(escaped.authn, authn::Outcome::Kind::NoToken) << scheme;
    EXPECT_TRUE(escaped.allowed) << scheme;

    authn::TestRequest again;
    again.header("Authorization", scheme + blocked_token());
    EXPECT_FALSE(
        authenticate_then_authorize({authn::jwt_rule()}, again, {kDenyBlocked, kRequireToken})
            .allowed)
        << scheme;
  }
}

TEST(Pitfall08TrailingGarbage, ValidTokenWithGarbageAfterItAuthenticatesAndIsAuthorized) {
  const std::vector alice_only{
      allow(from({{&S::request_principals, {std::string(authn::kIssuer) + "/alice"}}}))};
  for (const char* garbage : {" garbage", "!!", ",junk", "\"x\""}) {
    authn::TestRequest request;
    request.bearer(authn::good_token() + garbage);
    const auto result = authenticate_then_authorize({authn::jwt_rule()}, request, alice_only);
    EXPECT_EQ(result.authn, authn::Outcome::Kind::Verified) << garbage;
    EXPECT_TRUE(result.allowed) << garbage;
    EXPECT_EQ(result.reason, kAllowedByRule) << garbage;
  }
}

TEST(Pitfall09Claims, OnlyScopePermissionAndConfiguredClaimsAreSplitIntoWords) {
  config::JwtRule rule = authn::jwt_rule();
  rule.space_delimited_claims = {"roles"};
  const std::string token = authn::good_token(
      {.extra = R"("scope":"read write","permission":"p1 p2","roles":"r1 r2","groups":"g1 g2")"});
  auto authorized = [&](std::string claim, std::string value) {
    authn::TestRequest request;
    request.bearer(token);
    const auto result = authenticate_then_authorize(
        {rule}, request, {allow(when(condition(Key::RequestClaims, {claim}, {value})))});
    EXPECT_EQ(result.authn, authn::Outcome::Kind::Verified);
    return result.allowed;
  };
  EXPECT_TRUE(authorized("scope", "write"));
  EXPECT_TRUE(authorized("permission", "p2"));
  EXPECT_TRUE(authorized("roles", "r1"));
  EXPECT_FALSE(authorized("groups", "g1"));  // not listed: the one string "g1 g2"
  EXPECT_TRUE(authorized("groups", "g1 g2"));
  EXPECT_FALSE(authorized("scope", "read write"));  // split: no word is the whole string
}

// Non-string claims never match, so notValues never excludes them: a DENY meant for
// unverified e-mail denies verified users too, and the ALLOW for verified ones denies them.
TEST(Pitfall09Claims, BooleanClaimNeverEqualsItsText) {
  const authn::Identity verified = identity(R"({"iss":"i","sub":"s","email_verified":true})");
  TestRequest request;
  request.identity = &verified;
  EXPECT_FALSE(allowed(
      {deny(when(condition(Key::RequestClaims, {"email_verified"}, {}, {"true"})))}, request));
  EXPECT_FALSE(
      allowed({allow(when(condition(Key::RequestClaims, {"email_verified"}, {"true"})))}, request));
}

// ---- 10. principals/namespaces on an ingress gateway ---------------------------------------

TEST(Pitfall10PeerIdentity, DenyOnPeerIdentityNeverFiresWithoutClientMtls) {
  const authn::Identity id = identity(R"({"iss":"https://idp","sub":"cluster.local/ns/evil"})");
  TestRequest request;
  request.identity = &id;  // a JWT is no peer certificate
  EXPECT_TRUE(allowed({deny(from({{&S::namespaces, {"evil"}}}))}, request));
  EXPECT_TRUE(allowed({deny(from({{&S::principals, {"*"}}}))}, request));
  EXPECT_TRUE(allowed({deny(from({{&S::service_accounts, {"evil/sa"}}}))}, request));
  EXPECT_TRUE(allowed({deny(when(condition(Key::SourceNamespace, {}, {"evil"})))}, request));
}

TEST(Pitfall10PeerIdentity, DenyOnNegatedPeerIdentityDeniesEveryone) {
  const authn::Identity id = identity(R"({"iss":"https://idp","sub":"alice"})");
  TestRequest request;
  request.identity = &id;
  const auto d =
      decide({deny(from({{&S::not_principals, {"cluster.local/ns/foo/sa/good"}}}))}, request);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason, kDeniedByRule);
  EXPECT_FALSE(allowed({deny(from({{&S::not_namespaces, {"foo"}}}))}, request));
}

// ---- 11. remoteIpBlocks and X-Forwarded-For ------------------------------------------------

// The engine works out remote.ip (PROXY protocol, numTrustedProxies); authz never reads
// X-Forwarded-For itself, so a client cannot claim an address with a header.
TEST(Pitfall11ForwardedFor, AuthorizationNeverReadsTheHeader) {
  TestRequest request;
  request.peer_ip = "10.0.0.1";
  request.headers = {{"X-Forwarded-For", "203.0.113.9"}, {"X-Real-IP", "203.0.113.9"}};
  EXPECT_FALSE(allows(from({{&S::remote_ip_blocks, {"203.0.113.0/24"}}}), request));
  EXPECT_FALSE(allows(from({{&S::ip_blocks, {"203.0.113.0/24"}}}), request));
  EXPECT_FALSE(allows(when(condition(Key::RemoteIp, {}, {"203.0.113.9"})), request));
  EXPECT_TRUE(allowed({deny(from({{&S::remote_ip_blocks, {"203.0.113.0/24"}}}))}, request));
}

// Behind a load balancer ipBlocks sees the balancer: a DENY on the client's address through
// ipBlocks never fires, through remoteIpBlocks it does.
TEST(Pitfall11ForwardedFor, DenyOnTheClientNeedsRemoteIpBlocks) {
  TestRequest request;
  request.peer_ip = "10.0.0.1";        // the load balancer
  request.remote_ip = "198.51.100.7";  // the client, as the engine worked it out
  EXPECT_TRUE(allowed({deny(from({{&S::ip_blocks, {"198.51.100.0/24"}}}))}, request));
  EXPECT_FALSE(allowed({deny(from({{&S::remote_ip_blocks, {"198.51.100.0/24"}}}))}, request));
  EXPECT_FALSE(allowed({deny(when(condition(Key::RemoteIp, {}, {"198.51.100.7"})))}, request));
  EXPECT_TRUE(allowed({deny(when(condition(Key::SourceIp, {}, {"198.51.100.7"})))}, request));
}

// ---- 12. SNI vs Host -----------------------------------------------------------------------

// A client may use a permissive server's SNI and send another Host: the two are matched
// independently, so a DENY on the SNI does not stop Host: admin..., a DENY on hosts does.
TEST(Pitfall12SniVersusHost, SniAndHostAreIndependent) {
  TestRequest request;
  request.sni = "www.example.com";
  request.authority = "admin.example.com";
  EXPECT_TRUE(
      allowed({deny(when(condition(Key::ConnectionSni, {}, {"admin.example.com"})))}, request));
  EXPECT_TRUE(
      allowed({allow(when(condition(Key::ConnectionSni, {}, {"www.example.com"})))}, request));
  EXPECT_FALSE(
      allowed({deny(to({{&O::hosts, {"admin.example.com", "admin.example.com:*"}}}))}, request));
  // Both together: only a request whose SNI and Host agree gets through.
  config::Rule both = when(condition(Key::ConnectionSni, {}, {"www.example.com"}));
  both.to.push_back(operation({{&O::hosts, {"www.example.com", "www.example.com:*"}}}));
  EXPECT_FALSE(allowed({allow(both)}, request));
  request.authority = "www.example.com:443";
  EXPECT_TRUE(allowed({allow(both)}, request));
}

}  // namespace
}  // namespace gatehouse::authz
