// The userinfo answer (OpenID Connect Core 1.0, section 5.3): the claims that become
// x-amzn-oidc-data and the subject that becomes x-amzn-oidc-identity. Pure: the caller does the
// GET with `Authorization: Bearer <access token>` and passes the status and body in.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "oidc/result.h"

namespace gatehouse::oidc {

// ALB's cap on the claims plus the access token (its session must fit 4 cookies).
inline constexpr std::size_t kMaxClaimsAndAccessTokenBytes = 11 * 1024;
// OpenID Connect Core 1.0 section 2: sub is at most 255 ASCII characters.
inline constexpr std::size_t kMaxSubjectBytes = 255;

struct Userinfo {
  std::string subject;  // sub
  // The claims as compact JSON, re-serialized from what the IdP sent (one member per name, no
  // whitespace) without top-level "exp" and "iss", which x-amzn-oidc-data sets itself.
  std::string claims_json;
};

// Reads the userinfo endpoint's answer: UserinfoEndpointError (detail "HTTP <status>") unless
// 2xx; UserinfoTooLarge when body and access token together exceed
// kMaxClaimsAndAccessTokenBytes; UserinfoNotJson unless a JSON object; UserinfoBadSubject when
// sub is missing, not a string, empty, longer than kMaxSubjectBytes or holds a control
// character; UserinfoSubjectMismatch when it is not `expected_subject` (the ID token's, or the
// session's on a refresh).
Result<Userinfo> parse_userinfo(int http_status, std::string_view body,
                                std::string_view expected_subject, std::size_t access_token_bytes);

// The sub of a Userinfo's claims_json (as a session keeps it); empty when the text is not a
// JSON object whose sub parse_userinfo would accept.
std::string claims_subject(std::string_view claims_json);

}  // namespace gatehouse::oidc
