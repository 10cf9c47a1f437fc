// Fuzz target for http1::parse_response, as the answer to a GET and to a HEAD. Checks,
// aborting on any violation: a complete head lies inside the input and its views inside the
// head; the status line and the framing obey RFC 9112 section 6.3 (no body for 1xx, 204,
// 304 or HEAD; no reuse after an until-close body); bytes after the head cannot change it and
// its prefixes wait for more; a refusal stays a refusal; the answer to HEAD parses wherever
// the answer to GET does; and write_response_head's output parses back the same.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http1/head.h"
#include "http1/writer.h"
#include "http1_fuzz_support.h"

namespace {

using namespace gatehouse::http1;
using namespace http1_fuzz;

struct Snapshot {
  unsigned version, status;
  std::string reason;
  std::vector<std::pair<std::string, std::string>> fields;
  Framing framing;
  uint64_t content_length;
  bool keep_alive;
  bool operator==(const Snapshot&) const = default;
};

Snapshot snapshot(const ResponseHead& head) {
  Snapshot s{head.version, head.status,         std::string(head.reason), {},
             head.framing, head.content_length, head.keep_alive};
  for (const Field& f : head.fields.all()) s.fields.emplace_back(f.name, f.value);
  return s;
}

void check_complete(std::string_view input, const HeadResult& r, const ResponseHead& head,
                    bool head_request) {
  require(r.length >= 4 && r.length <= input.size(), "length out of range", input);
  const std::string_view bytes = input.substr(0, r.length);
  require(bytes.ends_with("\r\n\r\n"), "head does not end in an empty line", input);
  require(inside(head.reason, bytes), "reason outside the head", input);
  for (const Field& f : head.fields.all())
    require(inside(f.name, bytes) && inside(f.value, bytes), "field view outside the head", input);
  require(head.version == 10 || head.version == 11, "bad version", input);
  require(head.status >= 100 && head.status <= 999, "bad status code", input);
  const bool bodiless =
      head_request || head.status < 200 || head.status == 204 || head.status == 304;
  const std::size_t te = head.fields.count("transfer-encoding");
  const std::size_t cl = head.fields.count("content-length");
  require(te == 0 || cl == 0, "both Content-Length and Transfer-Encoding", input);
  switch (head.framing) {
    case Framing::None:
      require(bodiless || (te == 0 && cl > 0 && head.content_length == 0), "bad None framing",
              input);
      break;
    case Framing::ContentLength:
      require(!bodiless && cl > 0 && head.content_length > 0, "bad Content-Length framing", input);
      break;
    case Framing::Chunked:
      require(!bodiless && te == 1, "bad chunked framing", input);
      break;
    case Framing::UntilClose:
      require(!bodiless && te == 0 && cl == 0 && !head.keep_alive, "bad until-close framing",
              input);
      break;
  }
}

std::pair<HeadResult, Snapshot> check(std::string_view input, bool head_request) {
  ResponseHead head;
  const HeadResult r = parse_response(input, Limits{}, head_request, head);
  if (r.status != HeadStatus::Complete) {
    check_incomplete(r, input);
    return {r, {}};
  }
  check_complete(input, r, head, head_request);
  return {r, snapshot(head)};
}

void check_round_trip(std::string_view input, bool head_request, const Snapshot& parsed) {
  ResponseHead head;
  parse_response(input, Limits{}, head_request, head);
  std::string written;
  write_response_head(head.version, head.status, head.reason, head.fields.all(), written);
  ResponseHead again;
  const HeadResult r = parse_response(written, Limits{.max_head = 1 << 20}, head_request, again);
  require(r.status == HeadStatus::Complete && r.length == written.size(),
          "written head does not parse back", input);
  Snapshot expected = parsed;
  if (expected.reason.empty()) expected.reason = reason_phrase(expected.status);
  require(snapshot(again) == expected, "written head parses differently", input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  for (bool head_request : {false, true}) {
    const auto result = check(input, head_request);
    check_prefixes(input, result, [&](std::string_view part) { return check(part, head_request); });
    if (result.first.status == HeadStatus::Complete)
      check_round_trip(input, head_request, result.second);
  }
  const auto get = check(input, false), head = check(input, true);
  if (get.first.status == HeadStatus::Complete)
    require(head.first.status == HeadStatus::Complete && head.first.length == get.first.length &&
                head.second.framing == Framing::None,
            "the answer to HEAD parses differently", input);
  return 0;
}
