// Fuzz target for request authentication: the input is a request (first line: method and query
// separated by a space; then "name: value" header lines) authenticated against two rules that
// use every token location and output, with a fixed HS256 key so seeds can carry valid tokens.
// Each input is authenticated twice through one cache: the second, cached answer must equal the
// first. Must never crash; broken invariants abort.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "authn/authn.h"

namespace {

using namespace gatehouse;
using authn::Outcome;

// kid "fuzz", secret "gatehouse-fuzz-secret-of-32bytes" (the seeds are signed with it).
constexpr std::string_view kKeySet = R"({"keys":[{"kty":"oct","kid":"fuzz","alg":"HS256",)"
                                     R"("k":"Z2F0ZWhvdXNlLWZ1enotc2VjcmV0LW9mLTMyYnl0ZXM"}]})";
constexpr std::int64_t kNow = 1'700'000'000;
constexpr std::string_view kOutputs[] = {"x-payload", "x-sub", "x-org", "x-roles"};

void require(bool condition, const char* what, std::string_view input) {
  if (condition) return;
  std::fprintf(stderr, "authn invariant broken: %s\ninput (%zu bytes): %.*s\n", what, input.size(),
               static_cast<int>(input.size()), input.data());
  std::abort();
}

struct Setup {
  std::shared_ptr<const authn::Requirement> requirement;
  authn::KeyTable keys;
};

const Setup& setup() {
  static const Setup built = [] {
    config::JwtRule a;
    a.issuer = "https://a.example";
    a.jwks = kKeySet;
    a.audiences = {"https://api.example.com/"};
    a.output_payload_to_header = "x-payload";
    a.output_claim_to_headers = {{"x-sub", "sub"}, {"x-org", "org.name"}};
    config::JwtRule b;
    b.issuer = "https://b.example";
    b.jwks = kKeySet;
    b.from_headers = {{"x-token", ""}, {"authorization", "Token "}};
    b.from_params = {"token"};
    b.from_cookies = {"session"};
    b.forward_original_token = true;
    b.space_delimited_claims = {"roles"};
    b.output_claim_to_headers = {{"x-roles", "roles"}};
    config::RequestAuthentication policy;
    policy.jwt_rules = {a, b};
    jose::Result<jose::Jwks> jwks = jose::Jwks::parse(kKeySet, {.allow_oct_keys = true});
    if (!jwks.ok()) std::abort();
    const auto shared = std::make_shared<const jose::Jwks>(std::move(jwks).value());
    Setup out{authn::PolicySet::compile({policy}, "istio-system").for_workload("default", {}), {}};
    out.keys[authn::key_source_id(a)] = {shared, 1, {}};
    return out;
  }();
  return built;
}

struct Parsed {
  std::string method, query;
  std::vector<std::pair<std::string_view, std::string_view>> headers;
};

Parsed parse(std::string_view input) {
  Parsed out;
  const std::size_t line_end = input.find('\n');
  const std::string_view first = input.substr(0, line_end);
  const std::size_t space = first.find(' ');
  out.method = first.substr(0, space);
  if (space != std::string_view::npos) out.query = first.substr(space + 1);
  std::string_view rest =
      line_end == std::string_view::npos ? std::string_view() : input.substr(line_end + 1);
  while (!rest.empty()) {
    const std::size_t end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    const std::size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      std::string_view value = line.substr(colon + 1);
      if (value.starts_with(' ')) value.remove_prefix(1);
      out.headers.emplace_back(line.substr(0, colon), value);
    }
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  }
  return out;
}

struct Run {
  Outcome outcome;
  std::vector<std::string> fields;  // "name: value" after authentication
};

Run authenticate(const Parsed& request, authn::TokenCache& cache) {
  http1::Fields fields;
  for (const auto& [name, value] : request.headers) fields.add(name, value);
  authn::Request view{request.method, "https", "api.example.com", "/get", request.query, fields};
  Run run{authn::authenticate(*setup().requirement, view, setup().keys, cache, kNow), {}};
  for (const http1::Field& field : fields.all())
    run.fields.push_back(std::string(field.name) + ": " + std::string(field.value));
  return run;
}

bool has_output_header(const Run& run) {
  for (const std::string& field : run.fields)
    for (std::string_view output : kOutputs)
      if (field.size() > output.size() && field[output.size()] == ':' &&
          iequals(std::string_view(field).substr(0, output.size()), output))
        return true;
  return false;
}

void check(const Run& run, const Parsed& request, std::string_view input) {
  const Outcome& outcome = run.outcome;
  switch (outcome.kind) {
    case Outcome::Kind::Rejected:
      require(outcome.status != jose::Status::Ok, "rejected with Ok", input);
      require(outcome.http_status ==
                  (outcome.status == jose::Status::JwtAudienceNotAllowed ? 403 : 401),
              "status code", input);
      require(outcome.www_authenticate.starts_with("Bearer realm=\"https://api.example.com/get") &&
                  outcome.www_authenticate.ends_with("\", error=\"invalid_token\""),
              "www-authenticate", input);
      require(!has_output_header(run), "output header kept on rejection", input);
      break;
    case Outcome::Kind::Verified:
      require(outcome.identity != nullptr, "verified without identity", input);
      require(outcome.identity->issuer == "https://a.example" ||
                  outcome.identity->issuer == "https://b.example",
              "verified another issuer", input);
      break;
    case Outcome::Kind::NoToken:
      require(!has_output_header(run), "output header kept without token", input);
      break;
    case Outcome::Kind::Bypassed:
      require(request.method == "OPTIONS", "bypassed a non-preflight", input);
      require(run.fields.size() == request.headers.size(), "preflight edited", input);
      break;
  }
  if (outcome.kind != Outcome::Kind::Verified)
    require(outcome.identity == nullptr, "identity without verification", input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const Parsed request = parse(input);
  authn::TokenCache cache;
  const Run first = authenticate(request, cache);
  check(first, request, input);
  const Run second = authenticate(request, cache);
  require(second.outcome.kind == first.outcome.kind &&
              second.outcome.status == first.outcome.status && second.fields == first.fields &&
              second.outcome.refetch == first.outcome.refetch,
          "a cached answer differs", input);
  if (first.outcome.identity)
    require(second.outcome.identity->claims == first.outcome.identity->claims &&
                second.outcome.identity->split_claims == first.outcome.identity->split_claims,
            "a cached identity differs", input);
  return 0;
}
