// Hostile and malformed input: oversized files, deep nesting, alias bombs, invalid bytes,
// floods of errors and random mutations must give errors, never crashes or hangs.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "config/loader.h"
#include "test_support.h"

namespace gatehouse::config {
namespace {

using testing::error_strings;
using testing::istio;
using testing::load_text;

TEST(HostileInput, FilesOver4MiBAreRefusedUnread) {
  std::string text = "# " + std::string(4 * 1024 * 1024, 'x') + "\n";
  EXPECT_EQ(error_strings(load_text(text, "big.yaml")),
            std::vector<std::string>{"big.yaml:0: file is larger than 4 MiB (4194307 bytes)"});
}

TEST(HostileInput, DeepFlowNestingIsRefused) {
  std::string text = "a: " + std::string(200000, '[');
  EXPECT_EQ(error_strings(load_text(text)),
            std::vector<std::string>{"test.yaml:1: invalid YAML: nesting deeper than 64 levels"});
}

TEST(HostileInput, DeepBlockNestingIsRefused) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "- ";
  text += "x\n";
  EXPECT_EQ(error_strings(load_text(text)),
            std::vector<std::string>{"test.yaml:1: invalid YAML: nesting deeper than 64 levels"});
}

// A VirtualService whose routes, matches and headers are aliases of each other: 200 routes x
// 200 matches x 100 headers would be four million header matches to read.
TEST(HostileInput, AliasBombIsBoundedByTheVisitBudget) {
  std::string headers = "{";
  for (int i = 0; i < 100; ++i) headers += (i ? ", h" : "h") + std::to_string(i) + ": {}";
  headers += "}";
  std::string matches = "[&m {headers: " + headers + "}";
  for (int i = 1; i < 200; ++i) matches += ", *m";
  matches += "]";
  std::string spec = "hosts: [a.example.com]\nhttp:\n- &r\n  match: " + matches +
                     "\n  route: [{destination: {host: a}}]\n";
  for (int i = 1; i < 200; ++i) spec += "- *r\n";
  LoadResult result = load_text(istio("VirtualService", spec));
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].message,
            "the configuration expands to more than 500000 YAML nodes (aliases to large "
            "anchors?)");
  EXPECT_EQ(result.errors[0].resource, "VirtualService/foo/demo");
}

// A route whose match list is `matches` (a YAML flow list), first match on line 10.
std::string with_matches(const std::string& matches) {
  return istio("VirtualService", "hosts: [a.example.com]\nhttp:\n- match: " + matches +
                                     "\n  route: [{destination: {host: a}}]");
}

TEST(HostileInput, RegexNeedingTooMuchMemoryIsRefused) {
  EXPECT_EQ(error_strings(load_text(with_matches("[{uri: {regex: '\\pL{300}'}}]"))),
            std::vector<std::string>{
                "test.yaml:9: resource VirtualService/foo/demo: spec.http[0].match[0].uri.regex: "
                "invalid regex \"\\\\pL{300}\": pattern too large - compile failed (the compiled "
                "program would need more than 1 MiB)"});
}

// Each distinct heavy regex costs real compile time; the total is bounded per load.
TEST(HostileInput, RegexCompileWorkIsBounded) {
  std::string matches = "[";
  for (int i = 0; i < 60; ++i) {
    matches += (i ? ", " : "") + std::string("{uri: {regex: '\\pL{40}") + std::to_string(i) + "'}}";
  }
  LoadResult result = load_text(with_matches(matches + "]"));
  ASSERT_FALSE(result.errors.empty());
  EXPECT_LT(result.errors.size(), 30u);
  EXPECT_EQ(result.errors[0].message,
            "spec.http[0].match[" + std::to_string(60 - result.errors.size()) +
                "].uri.regex: invalid regex \"\\\\pL{40}" +
                std::to_string(60 - result.errors.size()) +
                "\": the regular expressions of this configuration are too large in total (more "
                "than 2000000 RE2 instructions)");
}

// Repeating one heavy regex (by alias or by copy) compiles it once.
TEST(HostileInput, RepeatedRegexesAreCompiledOnce) {
  std::string matches = "[&m {uri: {regex: '\\pL{40}'}}";
  for (int i = 0; i < 5000; ++i) matches += ", *m";
  EXPECT_TRUE(load_text(with_matches(matches + "]")).ok());
}

TEST(HostileInput, RecursiveAliasIsASyntaxError) {
  EXPECT_EQ(error_strings(load_text("a: &x {b: *x}\n")),
            std::vector<std::string>{"test.yaml:1: invalid YAML: an alias may not refer to a node "
                                     "that contains it"});
}

TEST(HostileInput, InvalidUtf8AndControlBytesAreEscapedInErrors) {
  std::string text = istio("ServiceEntry", "hosts: [\"caf\xe9\x01.example.com\"]");
  EXPECT_EQ(error_strings(load_text(text)),
            std::vector<std::string>{"test.yaml:7: resource ServiceEntry/foo/demo: spec.hosts[0]: "
                                     "invalid host \"caf\\xe9\\x01.example.com\": label "
                                     "\"caf\xe9\x01\" is invalid"});
}

TEST(HostileInput, NulBytesDoNotCrash) {
  std::string text = istio("ServiceEntry", "hosts: [a.example.com]");
  text.insert(20, std::string("\0\0", 2));
  LoadResult result = load_text(text);
  EXPECT_FALSE(result.ok());
}

TEST(HostileInput, HugeKeysAreQuotedShortly) {
  std::string key(1'000'000, 'k');
  // An explicit key: YAML limits implicit keys to 1024 characters.
  LoadResult result =
      load_text(istio("ServiceEntry", "hosts: [a.example.com]\n? " + key + "\n: 1"));
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].message, "spec: unknown field \"" + std::string(64, 'k') + "...\"");
}

TEST(HostileInput, ErrorFloodIsCapped) {
  std::string spec = "hosts:\n";
  for (int i = 0; i < 3000; ++i) spec += "- '*'\n";
  LoadResult result = load_text(istio("ServiceEntry", spec));
  ASSERT_EQ(result.errors.size(), 1001u);
  EXPECT_EQ(result.errors.back().message, "too many errors; only the first 1000 are shown");
}

TEST(HostileInput, EveryTypeConfusionIsAnErrorNotACrash) {
  // Each field of a VirtualService given as the wrong shape.
  for (std::string_view value : {"1", "[1]", "{a: 1}", "~", "''", "[[[]]]", "{{}: 1}"}) {
    std::string v(value);
    std::string spec = "hosts: " + v + "\ngateways: " + v + "\nhttp:\n- match: " + v +
                       "\n  route: " + v + "\n  redirect: " + v + "\n  rewrite: " + v +
                       "\n  headers: " + v + "\n  retries: " + v + "\n  timeout: " + v +
                       "\n  directResponse: " + v;
    LoadResult result = load_text(istio("VirtualService", spec));
    EXPECT_FALSE(result.ok()) << value;
  }
}

TEST(HostileInput, EveryTypeConfusionInTheSecurityKindsIsAnError) {
  for (std::string_view value : {"1", "[1]", "{a: 1}", "''", "[[[]]]", "{{}: 1}"}) {
    std::string v(value);
    std::string authn = "selector: " + v + "\njwtRules:\n- issuer: " + v + "\n  audiences: " + v +
                        "\n  jwksUri: " + v + "\n  jwks: " + v + "\n  fromHeaders: " + v +
                        "\n  fromParams: " + v + "\n  forwardOriginalToken: " + v +
                        "\n  outputClaimToHeaders: " + v + "\n  timeout: " + v;
    EXPECT_FALSE(load_text(testing::security("RequestAuthentication", authn)).ok()) << value;
    std::string policy = "selector: " + v + "\naction: " + v + "\nprovider: " + v +
                         "\nrules:\n- from: " + v + "\n  to:\n  - operation: " + v +
                         "\n  when:\n  - key: " + v + "\n    values: " + v;
    EXPECT_FALSE(load_text(testing::security("AuthorizationPolicy", policy)).ok()) << value;
  }
}

// 2000 rules of 250 conditions by alias: half a million conditions to read.
TEST(HostileInput, AliasedPolicyRulesAreBoundedByTheVisitBudget) {
  std::string conditions = "[&c {key: 'request.headers[x]', values: [a, b, c]}";
  for (int i = 1; i < 250; ++i) conditions += ", *c";
  std::string spec = "rules:\n- &r\n  when: " + conditions + "]\n";
  for (int i = 1; i < 2000; ++i) spec += "- *r\n";
  LoadResult result = load_text(testing::security("AuthorizationPolicy", spec));
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].message,
            "the configuration expands to more than 500000 YAML nodes (aliases to large "
            "anchors?)");
}

TEST(HostileInput, LongValueListsLoad) {
  std::string ips = "[10.0.0.0/8";
  for (int i = 0; i < 20000; ++i)
    ips += ", 10.1." + std::to_string(i / 250) + "." + std::to_string(i % 250);
  LoadResult result = load_text(testing::security(
      "AuthorizationPolicy", "rules:\n- from:\n  - source: {ipBlocks: " + ips + "]}"));
  ASSERT_TRUE(result.ok()) << error_strings(result)[0];
  EXPECT_EQ(result.snapshot.authorization_policies[0].rules->at(0).from[0].ip_blocks.size(),
            20001u);
}

TEST(HostileInput, DeeplyNestedJwksIsRefusedNotRecursedInto) {
  std::string jwks = std::string(100000, '[') + std::string(100000, ']');
  LoadResult result = load_text(
      testing::security("RequestAuthentication", "jwtRules:\n- issuer: a\n  jwks: '" + jwks + "'"));
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_TRUE(
      result.errors[0].message.starts_with("spec.jwtRules[0].jwks: invalid jwks: not "
                                           "valid JSON"))
      << result.errors[0].message;
}

// Deterministic mutations of a valid multi-kind config: bytes flipped, inserted, deleted.
TEST(HostileInput, RandomMutationsNeverCrash) {
  std::string base =
      istio("Gateway",
            "servers:\n- port: {number: 80, name: http, protocol: HTTP}\n"
            "  hosts: ['*']\n  tls: {httpsRedirect: true}",
            "gw") +
      "---\n" +
      istio("VirtualService",
            "hosts: ['*']\ngateways: [gw]\nhttp:\n- match: [{uri: {prefix: /a}, "
            "headers: {x: {regex: 'a.*'}}}]\n  route:\n  - destination: "
            "{host: a, port: {number: 80}}\n    weight: 10\n  timeout: 1s\n"
            "  retries: {attempts: 2, retryOn: 5xx}") +
      "---\n" +
      testing::gatehouse("Listener",
                         "port: 80\ndefaultActions: [{type: forward, "
                         "targetGroupName: tg}]\nrules:\n- priority: 1\n"
                         "  conditions: [{field: path-pattern, values: [/a*]}]\n"
                         "  actions: [{type: fixed-response, fixedResponseConfig: "
                         "{statusCode: 200}}]") +
      "---\n" + testing::gatehouse("TargetGroup", "targetType: mesh\nport: 80", "tg") + "---\n" +
      testing::security("RequestAuthentication",
                        "jwtRules:\n- issuer: https://a.example\n  fromHeaders: "
                        "[{name: x-token, prefix: 'Bearer '}]\n  jwks: "
                        "'{\"keys\": [{\"kty\": \"RSA\"}]}'") +
      "---\n" +
      testing::security("AuthorizationPolicy",
                        "action: DENY\nrules:\n- from: [{source: {ipBlocks: "
                        "[10.0.0.0/8]}}]\n  to: [{operation: {paths: "
                        "['/a/{*}'], ports: [80]}}]\n  when: [{key: "
                        "'request.auth.claims[a][b]', values: [x]}]");
  ASSERT_TRUE(load_text(base).ok()) << error_strings(load_text(base))[0];
  uint64_t state = 0x9e3779b97f4a7c15u;
  auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  constexpr char kAlphabet[] = "{}[]:-,&*!|>'\"#%@` \n\t\x00\xff?ab1";
  const std::string alphabet(kAlphabet, sizeof kAlphabet - 1);
  for (int round = 0; round < 1000; ++round) {
    std::string text = base;
    for (int edits = 1 + static_cast<int>(next() % 4); edits > 0; --edits) {
      std::size_t pos = next() % text.size();
      char c = alphabet[next() % alphabet.size()];
      switch (next() % 3) {
        case 0:
          text[pos] = c;
          break;
        case 1:
          text.insert(pos, 1, c);
          break;
        default:
          text.erase(pos, 1 + next() % 8);
          break;
      }
    }
    LoadResult result = load_text(text);
    for (const Error& error : result.errors) ASSERT_FALSE(error.message.empty());
  }
}

}  // namespace
}  // namespace gatehouse::config
