// security.istio.io RequestAuthentication: the JWT rules tokens are verified with, checked
// as Istio's validation checks them.
#include <boost/json/parse.hpp>

#include "config/decode.h"
#include "config/did_you_mean.h"
#include "config/syntax.h"

namespace gatehouse::config {
namespace {

constexpr std::size_t kMaxJwksUriLength = 2048;
constexpr std::size_t kMaxSpaceDelimitedClaims = 64;

// Istio's ValidateStrictHTTPHeaderName: the only header names outputClaimToHeaders takes.
bool is_strict_header_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && c != '-' && c != '_') return false;
  }
  return true;
}

// Istio refuses an inline JWKS it cannot parse. The keys themselves are checked when the
// verifiers are built, by the code that understands them.
SyntaxError check_jwks(std::string_view text) {
  boost::system::error_code failure;
  boost::json::value json = boost::json::parse(text, failure);
  if (failure) return "not valid JSON (" + failure.message() + ")";
  const boost::json::object* set = json.if_object();
  const boost::json::value* keys = set != nullptr ? set->if_contains("keys") : nullptr;
  if (keys == nullptr || !keys->is_array()) return "expected a JSON object with a \"keys\" list";
  for (const boost::json::value& key : keys->get_array()) {
    const boost::json::object* fields = key.if_object();
    const boost::json::value* type = fields != nullptr ? fields->if_contains("kty") : nullptr;
    if (type == nullptr || !type->is_string()) return "every key needs a \"kty\" string";
  }
  return std::nullopt;
}

std::optional<std::string> read_header_name(const Value& value) {
  auto name = value.string();
  if (!name || !check_header_name(value, *name)) return std::nullopt;
  return lower_case(*name);
}

void read_jwks_source(const Object& rule, JwtRule& out) {
  Value uri = rule.get("jwksUri");
  out.jwks_uri = uri.string().value_or("");
  if (out.jwks_uri.size() > kMaxJwksUriLength) {
    uri.error("jwksUri must be at most 2048 characters, got " +
              std::to_string(out.jwks_uri.size()));
  } else if (!out.jwks_uri.empty()) {
    if (auto problem = check_http_url(out.jwks_uri)) {
      uri.error("invalid jwksUri " + quote(out.jwks_uri) + ": " + *problem);
    }
  }
  Value jwks = rule.get("jwks");
  out.jwks = jwks.string().value_or("");
  if (out.jwks.empty()) return;
  if (!out.jwks_uri.empty()) {
    jwks.error("set only one of jwks and jwksUri");
  } else if (auto problem = check_jwks(out.jwks)) {
    jwks.error("invalid jwks: " + *problem);
  }
}

void read_token_locations(const Object& rule, JwtRule& out) {
  for (const Value& item : rule.get("fromHeaders").items()) {
    auto header = read_item(item, {"name", "prefix"});
    if (!header) continue;
    auto name = read_header_name(header->require("name"));
    std::string prefix = header->get("prefix").string().value_or("");
    if (name) out.from_headers.push_back(JwtHeader{std::move(*name), std::move(prefix)});
  }
  out.from_params = read_values(rule.get("fromParams"));
  out.from_cookies = read_values(rule.get("fromCookies"));
  if (out.from_headers.empty() && out.from_params.empty() && out.from_cookies.empty()) {
    out.from_headers.push_back(JwtHeader{"authorization", "Bearer "});
    out.from_params.push_back("access_token");
  }
}

void read_outputs(const Object& rule, JwtRule& out) {
  Value payload = rule.get("outputPayloadToHeader");
  if (auto name = payload.string(); name && !name->empty()) {
    out.output_payload_to_header = read_header_name(payload).value_or("");
  }
  for (const Value& item : rule.get("outputClaimToHeaders").items()) {
    auto claim_to_header = read_item(item, {"header", "claim"});
    if (!claim_to_header) continue;
    Value header = claim_to_header->require("header");
    Value claim = claim_to_header->require("claim");
    auto header_name = header.string();
    auto claim_name = claim.string();
    if (!header_name || !claim_name) continue;
    if (header_name->empty() || claim_name->empty()) {
      item.error("outputClaimToHeaders needs a non-empty header and claim");
    } else if (!is_strict_header_name(*header_name)) {
      header.error("header name " + quote(*header_name) +
                   " may only hold letters, digits, '-' and '_'");
    } else {
      out.output_claim_to_headers.push_back(ClaimToHeader{lower_case(*header_name), *claim_name});
    }
  }
}

std::optional<JwtRule> read_jwt_rule(const Value& value) {
  auto rule =
      read_item(value, {"issuer", "audiences", "jwksUri", "jwks", "fromHeaders", "fromParams",
                        "fromCookies", "outputPayloadToHeader", "forwardOriginalToken",
                        "outputClaimToHeaders", "timeout", "spaceDelimitedClaims"});
  if (!rule) return std::nullopt;
  JwtRule out;
  out.where = value.where();
  out.issuer = rule->get("issuer").string().value_or("");
  out.audiences = read_values(rule->get("audiences"));
  read_jwks_source(*rule, out);
  if (out.issuer.empty() && out.jwks_uri.empty()) {
    value.error("a JWT rule needs an issuer or a jwksUri");
  }
  read_token_locations(*rule, out);
  out.forward_original_token = rule->get("forwardOriginalToken").boolean().value_or(false);
  read_outputs(*rule, out);
  if (auto timeout = rule->get("timeout").duration()) out.timeout = *timeout;
  Value claims = rule->get("spaceDelimitedClaims");
  out.space_delimited_claims = read_values(claims);
  if (out.space_delimited_claims.size() > kMaxSpaceDelimitedClaims) {
    claims.error("at most 64 space-delimited claims, got " +
                 std::to_string(out.space_delimited_claims.size()));
  }
  return out;
}

}  // namespace

Labels read_workload_selector(const Object& spec) {
  for (std::string_view field : {"targetRef", "targetRefs"}) {
    Value ref = spec.get(field);
    if (ref.present() && !ref.is_empty_list()) {
      ref.error(std::string(field) +
                " is not supported by gatehouse (it attaches policies to Gateway API gateways "
                "and waypoints); use selector, or nothing for the whole namespace");
    }
  }
  return read_labels(spec.get("selector").object({"matchLabels"}).get("matchLabels"));
}

void decode_request_authentication(const Value& spec_value, RequestAuthentication& out) {
  Object spec = spec_value.object({"selector", "targetRef", "targetRefs", "jwtRules"});
  out.selector = read_workload_selector(spec);
  for (const Value& item : spec.get("jwtRules").items()) {
    if (auto rule = read_jwt_rule(item)) out.jwt_rules.push_back(std::move(*rule));
  }
}

}  // namespace gatehouse::config
