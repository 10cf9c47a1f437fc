#include "mesh/request_match.h"

#include <algorithm>

#include "mesh/hostnames.h"

namespace gatehouse::mesh {
namespace {

constexpr std::string_view kClaimPrefix = "@request.auth.claims";

// Header keys the Istio API documents as ignored (they have their own match fields).
bool is_ignored_header_key(std::string_view name) {
  return name == "uri" || name == "scheme" || name == "method" || name == "authority";
}

std::vector<std::string> split(std::string_view text, std::string_view separator) {
  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    auto end = text.find(separator, start);
    parts.emplace_back(text.substr(start, end - start));
    if (end == std::string_view::npos) return parts;
    start = end + separator.size();
  }
}

// Istio jwt.ToRoutingClaim: "@request.auth.claims.a.b" or "@request.auth.claims[a][b]".
std::optional<std::vector<std::string>> claim_path(std::string_view rest) {
  if (rest.size() > 1 && rest.front() == '.') return split(rest.substr(1), ".");
  if (rest.size() > 2 && rest.front() == '[' && rest.back() == ']') {
    return split(rest.substr(1, rest.size() - 2), "][");
  }
  return std::nullopt;
}

// The header's value with repeated fields joined by ',' (Envoy matches the joined value). A
// single field is returned as a view; only repeated fields are copied, into `scratch`.
std::optional<std::string_view> header_value(const RequestView& request, std::string_view name,
                                             std::string& scratch) {
  std::optional<std::string_view> first;
  bool joined = false;
  for (const auto& field : request.headers) {
    if (!iequals(field.name, name)) continue;
    if (!first) {
      first = field.value;
      continue;
    }
    if (!joined) {
      scratch.assign(*first);
      joined = true;
    }
    scratch.append(",").append(field.value);
  }
  if (joined) return std::string_view(scratch);
  return first;
}

std::variant<ValueMatcher, std::string> compile_named(const std::string& name,
                                                      const config::StringMatch& match,
                                                      LetterCase letter_case) {
  auto compiled = ValueMatcher::compile(match, letter_case);
  if (auto* error = std::get_if<std::string>(&compiled)) return name + ": " + *error;
  return compiled;
}

}  // namespace

std::optional<std::string_view> first_query_value(std::string_view query, std::string_view name) {
  for (std::size_t start = 0; start < query.size();) {  // Envoy parseParameters
    auto end = std::min(query.find('&', start), query.size());
    std::string_view param = query.substr(start, end - start);
    auto equals = param.find('=');
    if (param.substr(0, equals) == name) {
      return equals == std::string_view::npos ? std::string_view() : param.substr(equals + 1);
    }
    start = end + 1;
  }
  return std::nullopt;
}

std::variant<RequestMatch, std::string> RequestMatch::compile(const config::HttpMatch* match) {
  RequestMatch out;
  if (match == nullptr) return out;

  auto compile_into = [](const char* name, const std::optional<config::StringMatch>& source,
                         LetterCase letter_case,
                         std::optional<ValueMatcher>& target) -> std::optional<std::string> {
    if (!source) return std::nullopt;
    auto compiled = compile_named(name, *source, letter_case);
    if (auto* error = std::get_if<std::string>(&compiled)) return *error;
    target.emplace(std::move(std::get<ValueMatcher>(compiled)));
    return std::nullopt;
  };

  if (match->uri) {
    auto letter_case = match->ignore_uri_case ? LetterCase::Insensitive : LetterCase::Sensitive;
    switch (match->uri->kind) {
      case config::StringMatch::Kind::Exact:
        out.uri_kind_ = UriKind::Exact;
        break;
      case config::StringMatch::Kind::Prefix:
        out.uri_kind_ = UriKind::Prefix;
        break;
      case config::StringMatch::Kind::Regex:
        // "*" is a presence check for headers only; for the path it is just a bad regex.
        if (match->uri->value == "*") return "uri: invalid regex \"*\"";
        out.uri_kind_ = UriKind::Regex;
        letter_case = LetterCase::Sensitive;  // ignoreUriCase covers exact and prefix only
        break;
      case config::StringMatch::Kind::Present:
        out.uri_kind_ = UriKind::Any;
        break;
    }
    if (out.uri_kind_ != UriKind::Any) {
      if (auto error = compile_into("uri", match->uri, letter_case, out.uri_)) return *error;
    }
  }
  if (auto error = compile_into("scheme", match->scheme, LetterCase::Sensitive, out.scheme_)) {
    return *error;
  }
  if (auto error = compile_into("method", match->method, LetterCase::Sensitive, out.method_)) {
    return *error;
  }
  if (auto error =
          compile_into("authority", match->authority, LetterCase::Sensitive, out.authority_)) {
    return *error;
  }
  if (auto error = out.add_headers(match->headers, /*negated=*/false)) return *error;
  if (auto error = out.add_headers(match->without_headers, /*negated=*/true)) return *error;

  for (const auto& [name, string_match] : match->query_params) {
    auto compiled = compile_named("queryParams " + name, string_match, LetterCase::Sensitive);
    if (auto* error = std::get_if<std::string>(&compiled)) return *error;
    out.query_.push_back({name, std::move(std::get<ValueMatcher>(compiled))});
  }
  return out;
}

std::optional<std::string> RequestMatch::add_headers(const std::vector<config::NamedMatch>& headers,
                                                     bool negated) {
  for (const auto& [name, string_match] : headers) {
    if (is_ignored_header_key(name)) continue;
    const bool is_claim = istarts_with(name, kClaimPrefix);
    auto compiled = compile_named(name, string_match, LetterCase::Sensitive);
    if (auto* error = std::get_if<std::string>(&compiled)) return *error;
    auto& matcher = std::get<ValueMatcher>(compiled);
    if (!is_claim) {
      headers_.push_back({name, std::move(matcher), negated});
      continue;
    }
    auto path = claim_path(std::string_view(name).substr(kClaimPrefix.size()));
    if (!path) {
      return name + ": claim keys look like @request.auth.claims.a.b or @request.auth.claims[a][b]";
    }
    claims_.push_back({std::move(*path), std::move(matcher), negated});
  }
  return std::nullopt;
}

bool RequestMatch::header_holds(const HeaderCondition& condition,
                                const RequestView& request) const {
  std::string scratch;
  auto value = header_value(request, condition.name, scratch);
  if (condition.match.kind() == ValueMatcher::Kind::Present) {
    return value.has_value() != condition.negated;
  }
  // withoutHeaders treats a missing header as the empty string (treat_missing_header_as_empty).
  if (!value) return condition.negated && !condition.match.matches("");
  return condition.match.matches(*value) != condition.negated;
}

bool RequestMatch::matches(const RequestView& request, const ClaimSource* claims) const {
  if (uri_ && !uri_->matches(request.path)) return false;
  if (method_ && !method_->matches(request.method)) return false;
  if (scheme_ && !scheme_->matches(request.scheme)) return false;
  if (authority_ && !authority_->matches(request.authority)) return false;
  for (const auto& condition : headers_) {
    if (!header_holds(condition, request)) return false;
  }
  for (const auto& condition : query_) {
    auto value = first_query_value(request.query, condition.name);
    if (!value || !condition.match.matches(*value)) return false;
  }
  for (const auto& condition : claims_) {
    bool found = claims != nullptr && claims->claim_matches(condition.path, condition.match);
    if (found == condition.negated) return false;
  }
  return true;
}

bool RequestMatch::is_catch_all() const {
  bool any_path = false;
  switch (uri_kind_) {
    case UriKind::Any:
      any_path = true;
      break;
    case UriKind::Prefix:
      any_path = uri_->value() == "/";
      break;
    case UriKind::Regex:
      any_path = uri_->value() == ".*";
      break;
    case UriKind::Exact:
      break;
  }
  return any_path && !scheme_ && !method_ && !authority_ && headers_.empty() && claims_.empty() &&
         query_.empty();
}

std::optional<std::size_t> RequestMatch::rewritten_prefix_length() const {
  switch (uri_kind_) {
    case UriKind::Any:
      return 1;
    case UriKind::Prefix:
      return uri_->value().size();
    case UriKind::Exact:
    case UriKind::Regex:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace gatehouse::mesh
