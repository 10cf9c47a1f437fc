// `gatehouse token decode`: shows what a token says, without verifying anything.
#include <boost/json.hpp>
#include <chrono>
#include <ctime>
#include <iostream>
#include <string>

#include "app/commands.h"
#include "jose/base64url.h"

namespace gatehouse::app {
namespace {

namespace json = boost::json;

void pretty(const json::value& v, std::string& out, int depth) {
  const std::string pad(2 * (depth + 1), ' '), close(2 * depth, ' ');
  if (const auto* obj = v.if_object(); obj && !obj->empty()) {
    out += "{\n";
    bool first = true;
    for (const auto& [key, value] : *obj) {
      out += std::string(first ? "" : ",\n") + pad + json::serialize(json::string(key)) + ": ";
      pretty(value, out, depth + 1);
      first = false;
    }
    out += "\n" + close + "}";
  } else if (const auto* arr = v.if_array(); arr && !arr->empty()) {
    out += "[\n";
    for (std::size_t i = 0; i < arr->size(); ++i) {
      out += std::string(i ? ",\n" : "") + pad;
      pretty((*arr)[i], out, depth + 1);
    }
    out += "\n" + close + "]";
  } else {
    out += json::serialize(v);
  }
}

// A segment as pretty JSON, or why it is not JSON.
bool show_segment(std::string_view name, std::string_view segment, json::value& parsed) {
  std::string bytes;
  if (!jose::base64url_decode(segment, bytes)) {
    std::cout << name << ": not base64url\n";
    return false;
  }
  boost::system::error_code ec;
  parsed = json::parse(bytes, ec);
  if (ec || !parsed.is_object()) {
    std::cout << name << ": not a JSON object\n";
    return false;
  }
  std::string text;
  pretty(parsed, text, 0);
  std::cout << name << ":\n" << text << "\n";
  return true;
}

std::string describe_time(int64_t seconds, int64_t now) {
  const std::time_t at = static_cast<std::time_t>(seconds);
  std::tm utc{};
  char date[32] = "?";
  if (gmtime_r(&at, &utc)) std::strftime(date, sizeof(date), "%FT%TZ", &utc);
  const int64_t delta = seconds - now, magnitude = delta < 0 ? -delta : delta;
  const std::string span = magnitude < 120      ? std::to_string(magnitude) + " s"
                           : magnitude < 7200   ? std::to_string(magnitude / 60) + " min"
                           : magnitude < 172800 ? std::to_string(magnitude / 3600) + " h"
                                                : std::to_string(magnitude / 86400) + " days";
  return std::string(date) + " (" + (delta < 0 ? span + " ago" : "in " + span) + ")";
}

}  // namespace

int token_decode(const std::string& token) {
  std::vector<std::string_view> parts;
  std::string_view rest = token;
  for (std::size_t dot; (dot = rest.find('.')) != std::string_view::npos;) {
    parts.push_back(rest.substr(0, dot));
    rest.remove_prefix(dot + 1);
  }
  parts.push_back(rest);
  if (parts.size() != 3) {
    std::cout << "not a compact JWS: expected 3 dot-separated parts, got " << parts.size() << "\n";
    return 1;
  }
  std::cout << "NOT VERIFIED: this shows what the token claims; use `gatehouse token verify`.\n";
  json::value header, payload;
  const bool ok =
      show_segment("header", parts[0], header) & show_segment("payload", parts[1], payload);
  if (payload.is_object()) {
    const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    for (const char* claim : {"iat", "nbf", "exp", "auth_time"}) {
      const auto* v = payload.as_object().if_contains(claim);
      if (v && (v->is_int64() || v->is_uint64() || v->is_double()))
        std::cout << claim << ": " << describe_time(v->to_number<int64_t>(), now) << "\n";
    }
  }
  std::cout << "signature: " << parts[2].size() << " base64url characters\n";
  return ok ? 0 : 1;
}

}  // namespace gatehouse::app
