#include "oidc/userinfo.h"

#include <algorithm>
#include <boost/json/serialize.hpp>

#include "oidc/json.h"

namespace gatehouse::oidc {
namespace {

// sub as a usable header value, or empty.
std::string usable_subject(const boost::json::object& claims) {
  const boost::json::value* sub = claims.if_contains("sub");
  if (sub == nullptr || !sub->is_string()) return {};
  const std::string_view text = sub->get_string();
  const bool usable = !text.empty() && text.size() <= kMaxSubjectBytes &&
                      std::none_of(text.begin(), text.end(), [](char c) {
                        return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
                      });
  return usable ? std::string(text) : std::string();
}

// The claims in their order without top-level exp and iss (object::erase would move the last
// member into the gap).
boost::json::object without_exp_and_iss(boost::json::object claims) {
  if (!claims.contains("exp") && !claims.contains("iss")) return claims;
  boost::json::object kept;
  kept.reserve(claims.size());
  for (auto& member : claims) {
    if (member.key() != "exp" && member.key() != "iss")
      kept.emplace(member.key(), std::move(member.value()));
  }
  return kept;
}

}  // namespace

Result<Userinfo> parse_userinfo(int http_status, std::string_view body,
                                std::string_view expected_subject, std::size_t access_token_bytes) {
  if (http_status < 200 || http_status > 299) {
    return Error{Status::UserinfoEndpointError, "HTTP " + std::to_string(http_status)};
  }
  if (body.size() > kMaxClaimsAndAccessTokenBytes ||
      access_token_bytes > kMaxClaimsAndAccessTokenBytes - body.size()) {
    return Error{Status::UserinfoTooLarge,
                 std::to_string(body.size() + access_token_bytes) + " bytes"};
  }
  boost::json::object claims;
  if (!detail::parse_object(body, claims)) return Error{Status::UserinfoNotJson, {}};
  Userinfo out;
  out.subject = usable_subject(claims);
  if (out.subject.empty()) return Error{Status::UserinfoBadSubject, {}};
  if (out.subject != expected_subject) return Error{Status::UserinfoSubjectMismatch, {}};
  out.claims_json = boost::json::serialize(without_exp_and_iss(std::move(claims)));
  return out;
}

std::string claims_subject(std::string_view claims_json) {
  boost::json::object claims;
  return detail::parse_object(claims_json, claims) ? usable_subject(claims) : std::string();
}

}  // namespace gatehouse::oidc
