#include "keys/url.h"

#include <boost/url/parse.hpp>
#include <charconv>

namespace gatehouse::keys {

std::optional<Url> parse_url(std::string_view text) {
  const auto parsed = boost::urls::parse_uri(text);
  if (!parsed) return std::nullopt;
  const boost::urls::url_view& url = *parsed;
  const auto scheme = url.scheme_id();
  if (scheme != boost::urls::scheme::http && scheme != boost::urls::scheme::https)
    return std::nullopt;
  if (!url.has_authority() || url.has_userinfo() || url.encoded_host().empty()) return std::nullopt;
  const std::string_view port = url.port();  // "host:" means the default port (RFC 3986)
  if (!port.empty()) {
    unsigned number = 0;
    const char* const last = port.data() + port.size();
    const auto [end, error] = std::from_chars(port.data(), last, number);
    if (error != std::errc() || end != last || number == 0 || number > 65535) return std::nullopt;
  }

  // A percent-encoded name means nothing to DNS, and no resolver takes an IPvFuture address.
  const auto host_type = url.host_type();
  if (host_type == boost::urls::host_type::ipvfuture) return std::nullopt;
  if (host_type == boost::urls::host_type::name &&
      url.encoded_host().find('%') != boost::urls::string_view::npos)
    return std::nullopt;

  Url out;
  out.tls = scheme == boost::urls::scheme::https;
  out.host = std::string(url.encoded_host_address());
  out.port = !port.empty() ? std::string(port) : (out.tls ? "443" : "80");
  out.authority = std::string(url.encoded_host_and_port());
  const std::string_view target = url.encoded_target();
  out.target = (target.starts_with('/') ? "" : "/") + std::string(target);
  return out;
}

}  // namespace gatehouse::keys
