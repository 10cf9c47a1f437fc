#include "httpbin/status_codes.h"

#include <charconv>
#include <cmath>
#include <vector>

namespace gatehouse::httpbin {
namespace {

constexpr std::string_view kTeapot = R"(
    -=[ teapot ]=-

       _...._
     .'  _ _ `.
    | ."` ^ `". _,
    \_;`"---"`|//
      |       ;/
      \_     _/
        `"""`
)";

constexpr std::string_view kNotAcceptableJson =
    R"({"message": "Client did not request a supported media type.", "accept": )"
    R"(["image/webp", "image/svg+xml", "image/jpeg", "image/png", "image/*"]})";

// 1xx would be read as an interim response; 1000+ does not fit an HTTP status line.
constexpr unsigned kMinStatus = 200, kMaxStatus = 999;

std::optional<unsigned> parse_code(std::string_view text) {
  unsigned code = 0;
  if (text.empty()) return std::nullopt;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), code);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (code < kMinStatus || code > kMaxStatus) return std::nullopt;
  return code;
}

std::optional<double> parse_weight(std::string_view text) {
  double weight = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), weight);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (!std::isfinite(weight) || weight < 0) return std::nullopt;
  return weight;
}

struct WeightedCode {
  unsigned code;
  double cumulative_weight;
};

}  // namespace

std::optional<unsigned> choose_status(std::string_view codes, uint64_t random) {
  // Like httpbin, weights are only read in comma lists: "200:0.5" alone is invalid.
  if (codes.find(',') == std::string_view::npos) return parse_code(codes);
  std::vector<WeightedCode> choices;
  double total = 0;
  while (true) {
    auto comma = codes.find(',');
    std::string_view choice = codes.substr(0, comma);
    auto colon = choice.find(':');
    std::optional<unsigned> code = parse_code(choice.substr(0, colon));
    std::optional<double> weight =
        colon == std::string_view::npos ? 1.0 : parse_weight(choice.substr(colon + 1));
    if (!code || !weight) return std::nullopt;
    total += *weight;
    choices.push_back({*code, total});
    if (comma == std::string_view::npos) break;
    codes.remove_prefix(comma + 1);
  }
  if (!std::isfinite(total) || total <= 0) return std::nullopt;
  // Uniform in [0, total) from the top 53 bits; the first cumulative weight above it wins,
  // so zero-weight codes are never chosen (httpbin's bisect over cumulative weights).
  double point = static_cast<double>(random >> 11) * 0x1p-53 * total;
  for (const WeightedCode& choice : choices)
    if (choice.cumulative_weight > point) return choice.code;
  return choices.back().code;
}

Response status_response(unsigned code) {
  Response response;
  response.status = code;
  auto& headers = response.headers;
  switch (code) {
    case 301:
    case 302:
    case 303:
    case 305:
    case 307:
      headers.emplace_back("location", "/redirect/1");
      break;
    case 304:  // werkzeug strips entity headers from a 304
      break;
    case 401:
      headers.emplace_back("WWW-Authenticate", R"(Basic realm="Fake Realm")");
      break;
    case 402:
      headers.emplace_back("x-more-info", "http://vimeo.com/22053820");
      response.body = "Fuck you, pay me!";
      break;
    case 406:
      headers.emplace_back("Content-Type", "application/json");
      response.body = kNotAcceptableJson;
      break;
    case 407:
      headers.emplace_back("Proxy-Authenticate", R"(Basic realm="Fake Realm")");
      break;
    case 418:
      headers.emplace_back("x-more-info", "http://tools.ietf.org/html/rfc2324");
      response.body = kTeapot;
      break;
    default:
      headers.emplace_back("Content-Type", "text/html; charset=utf-8");
      break;
  }
  return response;
}

}  // namespace gatehouse::httpbin
