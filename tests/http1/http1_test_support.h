// Shared helpers for the http1 tests: a parse squeezed into one comparable string, so an
// assertion states the exact status and reason ("Malformed: bad Host") and a failure says
// which one came instead.
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <ostream>
#include <string>
#include <string_view>

#include "http1/body.h"
#include "http1/head.h"

namespace gatehouse::http1 {

inline std::string_view status_name(HeadStatus status) {
  switch (status) {
    case HeadStatus::Complete:
      return "Complete";
    case HeadStatus::NeedMore:
      return "NeedMore";
    case HeadStatus::Malformed:
      return "Malformed";
    case HeadStatus::UriTooLong:
      return "UriTooLong";
    case HeadStatus::HeadTooLarge:
      return "HeadTooLarge";
  }
  return "?";
}

inline std::string_view framing_name(Framing framing) {
  switch (framing) {
    case Framing::None:
      return "None";
    case Framing::ContentLength:
      return "ContentLength";
    case Framing::Chunked:
      return "Chunked";
    case Framing::UntilClose:
      return "UntilClose";
  }
  return "?";
}

// Lets GoogleTest print the enums by name.
inline void PrintTo(HeadStatus status, std::ostream* os) { *os << status_name(status); }
inline void PrintTo(Framing framing, std::ostream* os) { *os << framing_name(framing); }
inline void PrintTo(BodyStatus status, std::ostream* os) {
  *os << (status == BodyStatus::Ok ? "Ok" : "Error");
}

// "Complete", "NeedMore", ..., or "Malformed: <reason>".
inline std::string verdict(const HeadResult& result) {
  std::string text(status_name(result.status));
  if (result.status == HeadStatus::Malformed) text += ": " + std::string(result.reason);
  return text;
}

inline std::string request_verdict(std::string_view bytes, const Limits& limits = {}) {
  RequestHead head;
  return verdict(parse_request(bytes, limits, head));
}

inline std::string response_verdict(std::string_view bytes, bool head_request = false) {
  ResponseHead head;
  return verdict(parse_response(bytes, Limits{}, head_request, head));
}

// An input and the verdict it must get.
struct VerdictCase {
  std::string_view input;
  std::string_view verdict;
};

inline void expect_request_verdicts(std::initializer_list<VerdictCase> cases) {
  for (const VerdictCase& c : cases)
    EXPECT_EQ(request_verdict(c.input), c.verdict) << testing::PrintToString(c.input);
}

// A complete HTTP/1.1 request head with a Host field, then `fields` (each ending in CRLF).
inline std::string request_with(std::string_view fields) {
  return "GET / HTTP/1.1\r\nHost: example.com\r\n" + std::string(fields) + "\r\n";
}

// Parses `bytes` as a request that must be complete; `bytes` must outlive `head`.
inline void parse_complete(std::string_view bytes, RequestHead& head) {
  const HeadResult result = parse_request(bytes, Limits{}, head);
  ASSERT_EQ(result.status, HeadStatus::Complete) << result.reason;
}

inline void parse_complete(std::string_view bytes, ResponseHead& head, bool head_request = false) {
  const HeadResult result = parse_response(bytes, Limits{}, head_request, head);
  ASSERT_EQ(result.status, HeadStatus::Complete) << result.reason;
}

}  // namespace gatehouse::http1
