#include "proxy/head_scan.h"

namespace gatehouse::proxy {
namespace {

bool is_control(unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7f; }

}  // namespace

HeadScanResult scan_request_head(std::string_view bytes, const HeadLimits& limits) {
  std::size_t start = 0;
  while (start + 1 < bytes.size() && bytes[start] == '\r' && bytes[start + 1] == '\n') start += 2;

  bool in_request_line = true;
  bool at_line_start = true;
  for (std::size_t i = start; i < bytes.size(); ++i) {
    if (i - start >= limits.max_head) return {HeadScan::HeadTooLarge};
    if (in_request_line && i - start >= limits.max_uri) return {HeadScan::UriTooLong};
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c == '\r') {
      if (i + 1 == bytes.size()) return {HeadScan::NeedMore};
      if (bytes[i + 1] != '\n') return {HeadScan::Malformed};  // bare CR
      if (at_line_start && !in_request_line) return {HeadScan::Complete, i + 2};
      if (at_line_start) return {HeadScan::Malformed};  // empty request line after skipping
      in_request_line = false;
      at_line_start = true;
      ++i;
      continue;
    }
    if (c == '\n') return {HeadScan::Malformed};  // bare LF: we require CRLF
    if (at_line_start && !in_request_line) {
      if (c == ' ' || c == '\t') return {HeadScan::Malformed};  // obs-fold
      if (c == ':') return {HeadScan::Malformed};               // empty field name
    }
    if (is_control(c)) return {HeadScan::Malformed};
    if (in_request_line && c == '\t') return {HeadScan::Malformed};
    at_line_start = false;
  }
  return {HeadScan::NeedMore};
}

}  // namespace gatehouse::proxy
