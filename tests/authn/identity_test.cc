// The identity a verified token gives authorization: principal, audiences, presenter, claims
// and the space-delimited claims as word lists.
#include <gmock/gmock.h>

#include <boost/json/serialize.hpp>

#include "test_support.h"

namespace gatehouse::authn {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::shared_ptr<const Identity> identity_of(const Claims& payload,
                                            std::vector<std::string> space_delimited = {}) {
  config::JwtRule rule = jwt_rule();
  rule.space_delimited_claims = std::move(space_delimited);
  TestRequest request;
  request.bearer(good_token(payload));
  const Outcome outcome = run(*requirement({rule}), request);
  EXPECT_EQ(outcome.kind, Outcome::Kind::Verified) << jose::status_name(outcome.status);
  return outcome.identity ? outcome.identity : std::make_shared<const Identity>();
}

std::string json_of(const boost::json::value* value) {
  return value != nullptr ? boost::json::serialize(*value) : "(none)";
}

TEST(Identity, IssuerSubjectPrincipalAudiencesPresenter) {
  const auto identity = identity_of(
      {.aud = R"(["httpbin","https://api.example.com/"])", .extra = R"("azp":"web-app")"});
  EXPECT_EQ(identity->issuer, kIssuer);
  EXPECT_EQ(identity->subject, "alice");
  EXPECT_EQ(identity->principal, "https://idp.example/alice");
  EXPECT_THAT(identity->audiences, ElementsAre("httpbin", "https://api.example.com/"));
  EXPECT_EQ(identity->presenter, "web-app");
  EXPECT_EQ(json_of(identity->claims.if_contains("sub")), R"("alice")");
}

TEST(Identity, NoPrincipalWithoutSubjectAndNoPresenterUnlessAString) {
  const auto identity = identity_of({.sub = "", .aud = "", .extra = R"("azp":7)"});
  EXPECT_EQ(identity->subject, "");
  EXPECT_EQ(identity->principal, "");
  EXPECT_EQ(identity->presenter, "");
  EXPECT_THAT(identity->audiences, IsEmpty());
}

TEST(Identity, ScopeAndPermissionAreWordLists) {
  const auto identity =
      identity_of({.extra = R"("scope":" read  write ","permission":"admin","roles":"a b")"});
  EXPECT_EQ(json_of(identity->claim(std::vector<std::string>{"scope"})), R"(["read","write"])");
  EXPECT_EQ(json_of(identity->claim(std::vector<std::string>{"permission"})), R"(["admin"])");
  // Not listed: one string, spaces and all.
  EXPECT_EQ(json_of(identity->claim(std::vector<std::string>{"roles"})), R"("a b")");
  // The claims themselves stay as the token carries them.
  EXPECT_EQ(json_of(identity->claims.if_contains("scope")), R"(" read  write ")");
}

TEST(Identity, ListedClaimsAreSplitOnlyWhenTheyAreStringsWithWords) {
  const auto identity =
      identity_of({.extra = R"("roles":"a b","groups":["x y"],"scope":"   ","level":3)"},
                  {"roles", "groups", "level"});
  EXPECT_EQ(json_of(identity->claim(std::vector<std::string>{"roles"})), R"(["a","b"])");
  EXPECT_EQ(json_of(identity->claim(std::vector<std::string>{"groups"})), R"(["x y"])");
  EXPECT_EQ(json_of(identity->claim(std::vector<std::string>{"scope"})), R"("   ")");
  EXPECT_EQ(json_of(identity->claim(std::vector<std::string>{"level"})), "3");
  EXPECT_EQ(identity->split_claims.size(), 1u);
}

TEST(Identity, ClaimPathsWalkNestedObjects) {
  const auto identity =
      identity_of({.extra = R"("org":{"team":{"name":"core"},"size":4},"foo.com/name":"x")"});
  using Path = std::vector<std::string>;
  EXPECT_EQ(json_of(identity->claim(Path{"org", "team", "name"})), R"("core")");
  EXPECT_EQ(json_of(identity->claim(Path{"org", "size"})), "4");
  EXPECT_EQ(json_of(identity->claim(Path{"foo.com/name"})), R"("x")");
  EXPECT_EQ(identity->claim(Path{"org", "size", "deeper"}), nullptr);
  EXPECT_EQ(identity->claim(Path{"org", "missing"}), nullptr);
  EXPECT_EQ(identity->claim(Path{}), nullptr);
}

}  // namespace
}  // namespace gatehouse::authn
