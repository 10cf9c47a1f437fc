// session::Status: every way loading session keys, sealing a session or reading one back from
// a request's cookies can fail, one stable code name and one fixed message each. Opening
// failures all mean "no session" to the caller; the code is for logs and metrics.
#pragma once

#include <string_view>

namespace gatehouse::session {

// X(code, message). The list is the single source of the enum, the names and the messages.
#define GATEHOUSE_SESSION_STATUSES(X)                                                     \
  X(Ok, "OK")                                                                             \
  /* The key file. */                                                                     \
  X(KeyFileEmpty, "session key file holds no key")                                        \
  X(KeyBadBase64, "session key is not valid base64")                                      \
  X(KeyWrongLength, "session key does not decode to 32 bytes")                            \
  X(KeyDuplicate, "session key is listed twice")                                          \
  /* Sealing and writing cookies. */                                                      \
  X(SessionTooLarge, "session does not fit in 4 cookie shards of 4000 bytes")             \
  X(SealFailed, "session could not be encrypted")                                         \
  /* Reading the request's cookies. */                                                    \
  X(CookieHeaderTooLarge, "Cookie header or one of its cookies is larger than accepted")  \
  X(CookieHeaderTooManyCookies, "Cookie header holds more cookies than accepted")         \
  X(CookieMissing, "session cookie is missing")                                           \
  X(CookieShardMissing, "session cookie shards are not contiguous from -0")               \
  /* Opening the sealed value. */                                                         \
  X(CookieTooLarge, "session cookie is larger than 4 shards of 4000 bytes")               \
  X(CookieBadBase64, "session cookie is not canonical standard base64")                   \
  X(CookieTooShort, "session cookie is too short to be sealed")                           \
  X(CookieUnsupportedVersion, "session cookie has an unknown format version")             \
  X(CookieUnknownKey, "session cookie was sealed with a key that is not in the key file") \
  X(CookieAuthenticationFailed,                                                           \
    "session cookie failed authentication (altered, or sealed for another cookie name)")  \
  X(CookieBadPayload, "session cookie payload is malformed")                              \
  X(SessionExpired, "session has expired")

enum class Status {
#define GATEHOUSE_SESSION_STATUS_ENUMERATOR(code, message) code,
  GATEHOUSE_SESSION_STATUSES(GATEHOUSE_SESSION_STATUS_ENUMERATOR)
#undef GATEHOUSE_SESSION_STATUS_ENUMERATOR
};

// Every code, in declaration order (for exhaustive tests and tools).
inline constexpr Status kAllStatuses[] = {
#define GATEHOUSE_SESSION_STATUS_LIST_ENTRY(code, message) Status::code,
    GATEHOUSE_SESSION_STATUSES(GATEHOUSE_SESSION_STATUS_LIST_ENTRY)
#undef GATEHOUSE_SESSION_STATUS_LIST_ENTRY
};

// The fixed sentence for logs and error pages; never empty, all distinct.
std::string_view status_message(Status status);

// The enumerator's name ("SessionExpired"): stable, for logs, metrics and tests.
std::string_view status_name(Status status);

}  // namespace gatehouse::session
