// Fuzz target for http1::parse_request, under the default limits and under limits tight
// enough for short inputs to reach them. Checks, aborting on any violation: a complete head
// lies inside the input and its views inside the head; what it reports obeys the grammar
// and framing rules; bytes after the head cannot change it and its prefixes wait for more;
// a refusal stays a refusal however many bytes follow; tighter limits never accept what
// the defaults refuse; and write_request_head's output parses back to the same request.
#include <algorithm>
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

constexpr Limits kTight{.max_request_line = 40, .max_head = 120, .max_fields = 4};
constexpr Limits kRoomy{.max_request_line = 1 << 20, .max_head = 1 << 20, .max_fields = 1 << 20};

// Everything a parse reports, as owned strings, to compare parses of different buffers.
struct Snapshot {
  std::string method, target, host;
  unsigned version;
  std::vector<std::pair<std::string, std::string>> fields;
  Framing framing;
  uint64_t content_length;
  bool keep_alive, expect_continue;
  bool operator==(const Snapshot&) const = default;
};

Snapshot snapshot(const RequestHead& head) {
  Snapshot s{std::string(head.method),
             std::string(head.target),
             std::string(head.host),
             head.version,
             {},
             head.framing,
             head.content_length,
             head.keep_alive,
             head.expect_continue};
  for (const Field& f : head.fields.all()) s.fields.emplace_back(f.name, f.value);
  return s;
}

// The grammar and framing rules every complete head obeys.
void check_complete(std::string_view input, const HeadResult& r, const RequestHead& head) {
  require(r.length >= 4 && r.length <= input.size(), "length out of range", input);
  const std::string_view bytes = input.substr(0, r.length);
  require(bytes.ends_with("\r\n\r\n"), "head does not end in an empty line", input);
  require(inside(head.method, bytes) && inside(head.target, bytes) && inside(head.host, bytes),
          "start line view outside the head", input);
  require(!head.method.empty() && std::all_of(head.method.begin(), head.method.end(),
                                              [](char c) { return c >= 'A' && c <= 'Z'; }),
          "method not A-Z", input);
  require(!head.target.empty() && std::all_of(head.target.begin(), head.target.end(),
                                              [](unsigned char c) { return c > 0x20 && c < 0x7f; }),
          "bad byte in target", input);
  require(head.version == 10 || head.version == 11, "bad version", input);
  for (const Field& f : head.fields.all()) {
    require(inside(f.name, bytes) && inside(f.value, bytes), "field view outside the head", input);
    require(!f.name.empty() && f.name.find_first_of(" \t\r\n:") == std::string_view::npos,
            "bad field name", input);
    require(std::none_of(f.value.begin(), f.value.end(),
                         [](unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7f; }),
            "control in field value", input);
    require(f.value.empty() || (f.value.front() != ' ' && f.value.front() != '\t' &&
                                f.value.back() != ' ' && f.value.back() != '\t'),
            "untrimmed field value", input);
  }
  const std::size_t hosts = head.fields.count("host");
  require(hosts == 1 || (hosts == 0 && head.version == 10), "bad Host count", input);
  require(head.host == head.fields.get("host").value_or(""), "host differs from Host", input);
  const std::size_t te = head.fields.count("transfer-encoding");
  const std::size_t cl = head.fields.count("content-length");
  switch (head.framing) {
    case Framing::Chunked:
      require(te == 1 && cl == 0 && head.version == 11, "chunked framing not alone", input);
      break;
    case Framing::ContentLength:
      require(te == 0 && head.content_length > 0, "bad Content-Length framing", input);
      break;
    case Framing::None:
      require(te == 0 && head.content_length == 0, "bad None framing", input);
      break;
    case Framing::UntilClose:
      require(false, "UntilClose framing on a request", input);
  }
  require(!head.expect_continue || head.version == 11, "Expect in HTTP/1.0", input);
}

// Parses `input` and checks what must hold of it alone; returns the result and snapshot.
std::pair<HeadResult, Snapshot> check(std::string_view input, const Limits& limits) {
  RequestHead head;
  const HeadResult r = parse_request(input, limits, head);
  if (r.status != HeadStatus::Complete) {
    check_incomplete(r, input);
    return {r, {}};
  }
  check_complete(input, r, head);
  return {r, snapshot(head)};
}

void check_round_trip(std::string_view input, const Snapshot& parsed) {
  RequestHead head;
  parse_request(input, kRoomy, head);
  std::string written;
  write_request_head(head.method, head.target, head.version, head.fields.all(), written);
  RequestHead again;
  const HeadResult r = parse_request(written, kRoomy, again);
  require(r.status == HeadStatus::Complete && r.length == written.size(),
          "written head does not parse back", input);
  require(snapshot(again) == parsed, "written head parses differently", input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto roomy = check(input, Limits{});
  check_prefixes(input, roomy, [](std::string_view part) { return check(part, Limits{}); });
  const auto tight = check(input, kTight);
  check_prefixes(input, tight, [](std::string_view part) { return check(part, kTight); });
  if (tight.first.status == HeadStatus::Complete)
    require(roomy.first.status == HeadStatus::Complete &&
                roomy.first.length == tight.first.length && roomy.second == tight.second,
            "tight limits accepted what the defaults did not", input);
  if (roomy.first.status == HeadStatus::Complete) check_round_trip(input, roomy.second);
  return 0;
}
