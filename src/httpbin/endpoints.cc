#include "httpbin/endpoints.h"

#include <array>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>

#include "httpbin/form_data.h"
#include "httpbin/python_json.h"
#include "httpbin/random_bits.h"
#include "httpbin/request_dict.h"
#include "httpbin/status_codes.h"
#include "httpbin/text_codec.h"

namespace gatehouse::httpbin {
namespace {

// httpbin's caps.
constexpr double kMaxDelaySeconds = 10;
constexpr std::size_t kMaxBytes = 100 * 1024;
constexpr std::size_t kMaxStreamLines = 100;
// Ours: /response-headers reflects at most this many, which keeps its quadratic merge cheap
// and stays far below what clients accept (Node takes 2000 header fields).
constexpr std::size_t kMaxReflectedHeaders = 100;

constexpr DictKeys kBodyEchoKeys{.url = true,
                                 .args = true,
                                 .form = true,
                                 .data = true,
                                 .origin = true,
                                 .headers = true,
                                 .files = true,
                                 .json = true};

Response json_response(const boost::json::value& value) {
  return typed_response(200, "application/json", jsonify(value));
}

// A route's {n}, which routing already restricted to ASCII digits, saturated at `cap` as
// httpbin's min(n, cap) does for arbitrarily large numbers.
std::size_t capped_count(std::string_view digits, std::size_t cap) {
  std::size_t count = 0;
  for (char digit : digits) {
    count = count * 10 + static_cast<std::size_t>(digit - '0');
    if (count >= cap) return cap;
  }
  return count;
}

template <class Integer>
std::optional<Integer> parse_integer(std::string_view text) {
  Integer value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Python's random.seed() takes any integer; ours takes the 64-bit ones, negatives wrapped.
std::optional<uint64_t> parse_seed(std::string_view text) {
  if (!text.starts_with('-')) return parse_integer<uint64_t>(text);
  std::optional<int64_t> negative = parse_integer<int64_t>(text);
  if (!negative) return std::nullopt;
  return static_cast<uint64_t>(*negative);
}

// The first query argument named `name`, case-insensitively (httpbin reads /bytes' seed
// through a CaseInsensitiveDict).
std::optional<std::string> find_arg(const boost::json::object& args, std::string_view name) {
  for (const auto& [key, value] : args) {
    if (!iequals(key, name)) continue;
    const boost::json::value& first = value.is_array() ? value.get_array().front() : value;
    return std::string(first.get_string());
  }
  return std::nullopt;
}

bool is_token(std::string_view name) {
  constexpr std::string_view kTokenSymbols = "!#$%&'*+-.^_`|~";
  if (name.empty()) return false;
  for (char c : name) {
    bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!alnum && kTokenSymbols.find(c) == std::string_view::npos) return false;
  }
  return true;
}

bool is_field_value(std::string_view value) {
  for (unsigned char c : value)
    if ((c < 0x20 && c != '\t') || c == 0x7F) return false;
  return true;
}

// Headers the engine frames the message with; reflecting them would let a query string
// corrupt the response framing.
bool is_framing_header(std::string_view name) {
  constexpr std::array<std::string_view, 8> kFraming = {
      "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Upgrade", "TE",
      "Trailer",        "Proxy-Connection"};
  for (std::string_view framing : kFraming)
    if (iequals(name, framing)) return true;
  return false;
}

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// httpbin's /response-headers body: every response header, values of equal names (compared
// case-insensitively) merged, a single value as a string.
boost::json::object header_dict(const HeaderList& headers) {
  boost::json::object dict;
  for (const auto& [key, ignored] : headers) {
    if (dict.contains(key)) continue;
    boost::json::array values;
    for (const auto& [name, value] : headers)
      if (iequals(name, key)) values.emplace_back(value);
    if (values.size() == 1) {
      dict.emplace(key, std::move(values.front()));
    } else {
      dict.emplace(key, std::move(values));
    }
  }
  return dict;
}

}  // namespace

Response typed_response(unsigned status, std::string_view content_type, std::string body) {
  return Response{.status = status,
                  .headers = {{"Content-Type", std::string(content_type)}},
                  .body = std::move(body)};
}

Response bad_request(std::string_view message) {
  return typed_response(400, "text/plain; charset=utf-8", std::string(message));
}

Response echo_get(const Call& call) {
  return json_response(
      request_dict(call.request, {.url = true, .args = true, .origin = true, .headers = true}));
}

Response echo_anything(const Call& call) {
  DictKeys keys = kBodyEchoKeys;
  keys.method = true;
  return json_response(request_dict(call.request, keys));
}

Response echo_body(const Call& call) {
  return json_response(request_dict(call.request, kBodyEchoKeys));
}

Response echo_headers(const Call& call) {
  return json_response(request_dict(call.request, {.headers = true}));
}

Response echo_ip(const Call& call) {
  return json_response(boost::json::object{{"origin", origin(call.request.view)}});
}

Response echo_user_agent(const Call& call) {
  boost::json::value agent;
  if (auto value = call.request.view.joined_header("User-Agent")) agent = latin1_to_utf8(*value);
  return json_response(boost::json::object{{"user-agent", std::move(agent)}});
}

Response random_uuid(const Call& call) {
  SplitMix64 bits(call.random);
  std::array<unsigned char, 16> bytes;
  for (std::size_t half = 0; half < 2; ++half) {
    uint64_t word = bits.next();
    for (std::size_t i = 0; i < 8; ++i)
      bytes[half * 8 + i] = static_cast<unsigned char>(word >> (8 * i));
  }
  bytes[6] = (bytes[6] & 0x0F) | 0x40;  // version 4
  bytes[8] = (bytes[8] & 0x3F) | 0x80;  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text.push_back('-');
    text.push_back(kHex[bytes[i] >> 4]);
    text.push_back(kHex[bytes[i] & 0xF]);
  }
  return json_response(boost::json::object{{"uuid", text}});
}

Response status_codes(const Call& call) {
  std::optional<unsigned> code = choose_status(call.path_param, call.random);
  if (!code) return bad_request("Invalid status code");
  return status_response(*code);
}

Response delayed(const Call& call) {
  std::string_view text = call.path_param;
  double seconds = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(seconds) ||
      seconds < 0) {
    return bad_request("Invalid delay");
  }
  Response response = json_response(request_dict(call.request, {.url = true,
                                                                .args = true,
                                                                .form = true,
                                                                .data = true,
                                                                .origin = true,
                                                                .headers = true,
                                                                .files = true}));
  response.delay =
      std::chrono::milliseconds(std::lround(std::min(seconds, kMaxDelaySeconds) * 1000));
  return response;
}

Response random_bytes(const Call& call) {
  std::size_t count = capped_count(call.path_param, kMaxBytes);
  uint64_t seed = call.random;
  if (auto seed_arg = find_arg(parse_urlencoded(call.request.view.query), "seed")) {
    std::optional<uint64_t> parsed = parse_seed(*seed_arg);
    if (!parsed) return bad_request("Invalid seed");
    seed = *parsed;
  }
  SplitMix64 bits(seed);
  std::string body(count, '\0');
  for (std::size_t i = 0; i < count; i += 8) {
    uint64_t word = bits.next();
    for (std::size_t k = i; k < std::min(i + 8, count); ++k, word >>= 8)
      body[k] = static_cast<char>(word & 0xFF);
  }
  return typed_response(200, "application/octet-stream", std::move(body));
}

Response json_stream(const Call& call) {
  std::size_t lines = capped_count(call.path_param, kMaxStreamLines);
  boost::json::object dict =
      request_dict(call.request, {.url = true, .args = true, .origin = true, .headers = true});
  std::string body;
  for (std::size_t id = 0; id < lines; ++id) {
    dict["id"] = id;
    append_python_json(body, dict, JsonStyle::kDumps);
    body.push_back('\n');
  }
  Response response = typed_response(200, "application/json", std::move(body));
  response.chunked = true;
  return response;
}

Response response_headers(const Call& call) {
  HeaderList reflected;
  for (const auto& [key, value] : parse_urlencoded(call.request.view.query)) {
    if (value.is_array()) {
      for (const auto& element : value.get_array())
        reflected.emplace_back(key, element.get_string());
    } else {
      reflected.emplace_back(key, value.get_string());
    }
  }
  if (reflected.size() > kMaxReflectedHeaders) return bad_request("Too many response headers");
  for (const auto& [name, value] : reflected)
    if (!is_token(name) || !is_field_value(value)) return bad_request("Invalid response header");

  // httpbin reports its own Content-Length inside the body, so find the length that describes
  // itself; the digit count settles within a few rounds.
  HeaderList all = {{"Content-Type", "application/json"}, {"Content-Length", "0"}};
  all.insert(all.end(), reflected.begin(), reflected.end());
  std::string body;
  for (int round = 0; round < 8; ++round) {
    body = jsonify(header_dict(all));
    std::string length = std::to_string(body.size());
    if (length == all[1].second) break;
    all[1].second = length;
  }
  Response response = typed_response(200, "application/json", std::move(body));
  for (auto& [name, value] : reflected)
    if (!is_framing_header(name)) response.headers.emplace_back(std::move(name), std::move(value));
  return response;
}

}  // namespace gatehouse::httpbin
