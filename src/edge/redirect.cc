#include "edge/redirect.h"

#include <algorithm>
#include <array>
#include <tuple>

namespace gatehouse::edge {
namespace {

constexpr std::array<std::string_view, 5> kPlaceholderNames{"protocol", "host", "port", "path",
                                                            "query"};

// A set of placeholders, one bit per Placeholder.
using Allowed = unsigned;
constexpr Allowed bit(Placeholder p) { return 1u << static_cast<unsigned>(p); }
constexpr Allowed kInHost = bit(Placeholder::Host);
constexpr Allowed kInPath =
    bit(Placeholder::Host) | bit(Placeholder::Port) | bit(Placeholder::Path);
constexpr Allowed kInQuery = kInPath | bit(Placeholder::Protocol) | bit(Placeholder::Query);

// ALB's generated bodies: nginx's error page without its signature line, CRLF line ends
// (134 bytes for the 301).
std::string_view html_body(uint32_t status) {
  switch (status) {
    case 301:
      return "<html>\r\n<head><title>301 Moved Permanently</title></head>\r\n<body>\r\n"
             "<center><h1>301 Moved Permanently</h1></center>\r\n</body>\r\n</html>\r\n";
    case 302:
      return "<html>\r\n<head><title>302 Found</title></head>\r\n<body>\r\n"
             "<center><h1>302 Found</h1></center>\r\n</body>\r\n</html>\r\n";
    default:
      return "<html>\r\n<head><title>400 Bad Request</title></head>\r\n<body>\r\n"
             "<center><h1>400 Bad Request</h1></center>\r\n</body>\r\n</html>\r\n";
  }
}

// Splits `text` at its `#{name}` placeholders; an unknown or misplaced one is described in
// `problem` (and an unknown one kept as text).
UrlTemplate split(std::string_view text, Allowed allowed, std::string& problem) {
  UrlTemplate pieces;
  std::size_t from = 0;
  while (from < text.size()) {
    const std::size_t open = text.find("#{", from);
    const std::size_t close = open == std::string_view::npos ? open : text.find('}', open);
    if (close == std::string_view::npos) {
      pieces.push_back({std::string(text.substr(from)), std::nullopt});
      break;
    }
    if (open > from) pieces.push_back({std::string(text.substr(from, open - from)), std::nullopt});
    const std::string_view name = text.substr(open + 2, close - open - 2);
    const auto* known = std::find(kPlaceholderNames.begin(), kPlaceholderNames.end(), name);
    from = close + 1;
    if (known == kPlaceholderNames.end()) {
      problem = "unknown placeholder \"#{" + std::string(name) + "}\"";
      pieces.push_back({std::string(text.substr(open, from - open)), std::nullopt});
      continue;
    }
    const auto placeholder = static_cast<Placeholder>(known - kPlaceholderNames.begin());
    if ((allowed & bit(placeholder)) == 0)
      problem = "placeholder #{" + std::string(name) + "} is not allowed here";
    pieces.push_back({"", placeholder});
  }
  return pieces;
}

bool is_only(const UrlTemplate& pieces, std::string_view literal, Placeholder placeholder) {
  return pieces.size() == (literal.empty() ? 1u : 2u) && pieces.back().placeholder == placeholder &&
         (literal.empty() || pieces.front().literal == literal);
}

std::optional<uint16_t> parse_port(std::string_view text) {
  if (text.empty() || text.size() > 5 || text[0] == '0') return std::nullopt;
  unsigned value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value > 65535) return std::nullopt;
  return static_cast<uint16_t>(value);
}

struct Expansions {
  std::string_view scheme, host, path, query;
  std::string port;
};

void expand(const UrlTemplate& pieces, const Expansions& with, std::string& out) {
  // In Placeholder order.
  const std::array<std::string_view, 5> values{with.scheme, with.host, with.port, with.path,
                                               with.query};
  for (const UrlPiece& piece : pieces)
    out += piece.placeholder ? values[static_cast<std::size_t>(*piece.placeholder)] : piece.literal;
}

GeneratedResponse answer(uint32_t status, std::string location) {
  return GeneratedResponse{
      .status_code = status,
      .headers = {HeaderField{"Server", kAlbServerHeader},
                  HeaderField{"Content-Type", "text/html"}},
      .body = html_body(status),
      .location = std::move(location),
  };
}

// The redirect `config` describes on `listener`; what is wrong with it goes to `problems`.
RedirectAction build(const config::RedirectConfig& config, const ListenerInfo& listener,
                     std::vector<std::string>& problems) {
  RedirectAction out;
  out.status_code = config.status_code;
  if (config.status_code != 301 && config.status_code != 302)
    problems.push_back("statusCode must be HTTP_301 or HTTP_302");
  if (config.protocol == "HTTP" || config.protocol == "HTTPS") {
    out.scheme = config.protocol == "HTTP" ? "http" : "https";
    if (out.scheme == "http" && listener.protocol == "HTTPS")
      problems.push_back("an HTTPS listener cannot redirect to HTTP");
  } else if (config.protocol != "#{protocol}") {
    problems.push_back("protocol must be HTTP, HTTPS or #{protocol}, got \"" + config.protocol +
                       "\"");
  }
  if (config.port != "#{port}") {
    out.port = parse_port(config.port);
    if (!out.port)
      problems.push_back("port must be 1-65535 or #{port}, got \"" + config.port + "\"");
  }
  for (auto [text, allowed, into, name] :
       {std::tuple{&config.host, kInHost, &out.host, "host"},
        std::tuple{&config.path, kInPath, &out.path, "path"},
        std::tuple{&config.query, kInQuery, &out.query, "query"}}) {
    std::string problem;
    *into = split(*text, allowed, problem);
    if (!problem.empty()) problems.push_back(std::string(name) + ": " + problem);
  }
  if (!config.path.starts_with('/')) problems.push_back("path must start with '/'");
  if (config.host.empty()) problems.push_back("host must not be empty");
  const bool same_scheme =
      out.scheme.empty() || (out.scheme == "https") == (listener.protocol == "HTTPS");
  const bool same_port = !out.port || *out.port == listener.port;
  if (same_scheme && same_port && is_only(out.host, "", Placeholder::Host) &&
      is_only(out.path, "/", Placeholder::Path))
    problems.push_back(
        "it must change the protocol, host, port or path, or it sends the client back where "
        "it came from");
  return out;
}

}  // namespace

std::optional<RedirectAction> compile_redirect(const config::RuleAction& action,
                                               const ListenerInfo& listener,
                                               std::vector<RuleError>& errors) {
  std::vector<std::string> problems;
  RedirectAction out;
  if (action.redirect)
    out = build(*action.redirect, listener, problems);
  else
    problems.push_back("redirectConfig is missing");
  for (const std::string& problem : problems)
    errors.push_back({action.where, "redirect: " + problem});
  if (!problems.empty()) return std::nullopt;
  return out;
}

GeneratedResponse render(const RedirectAction& action, const RequestView& request) {
  const std::string_view host = host_without_port(request.authority);
  if (host.empty()) return answer(400, "");
  Expansions with{.scheme = request.scheme,
                  .host = host,
                  .path = request.path.substr(request.path.starts_with('/') ? 1 : 0),
                  .query = request.query,
                  .port = std::to_string(request.listener_port)};
  std::string location(action.scheme.empty() ? request.scheme : action.scheme);
  location += "://";
  expand(action.host, with, location);
  location += ':';
  location += action.port ? std::to_string(*action.port) : with.port;
  const std::size_t path_start = location.size();
  expand(action.path, with, location);
  if (location.size() == path_start) location += '/';
  const std::size_t query_start = location.size();
  location += '?';
  expand(action.query, with, location);
  if (location.size() == query_start + 1) location.pop_back();
  const bool clean = std::none_of(location.begin(), location.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte <= 0x20 || byte == 0x7f;
  });
  if (!clean) return answer(400, "");
  return answer(action.status_code, std::move(location));
}

}  // namespace gatehouse::edge
