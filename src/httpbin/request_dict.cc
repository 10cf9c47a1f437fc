#include "httpbin/request_dict.h"

#include <array>
#include <boost/json.hpp>

#include "httpbin/form_data.h"
#include "httpbin/text_codec.h"

namespace gatehouse::httpbin {
namespace {

constexpr std::array<std::string_view, 15> kEnvHeaders = {"X-Varnish",
                                                          "X-Request-Start",
                                                          "X-Heroku-Queue-Depth",
                                                          "X-Real-Ip",
                                                          "X-Forwarded-Proto",
                                                          "X-Forwarded-Protocol",
                                                          "X-Forwarded-Ssl",
                                                          "X-Heroku-Queue-Wait-Time",
                                                          "X-Forwarded-For",
                                                          "X-Heroku-Dynos-In-Use",
                                                          "X-Forwarded-Port",
                                                          "X-Request-Id",
                                                          "Via",
                                                          "Total-Route-Time",
                                                          "Connect-Time"};

bool is_env_header(std::string_view name) {
  for (std::string_view env : kEnvHeaders)
    if (iequals(name, env)) return true;
  return false;
}

// What werkzeug reads from the body: form fields consume it (data is then ""), anything else
// is reported raw as data and parsed as JSON.
struct BodyFields {
  boost::json::object form;
  boost::json::object files;
  std::string data;
  boost::json::value json;
};

BodyFields parse_body(const Request& request) {
  BodyFields fields;
  std::string_view content_type = request.view.header("Content-Type").value_or("");
  std::string type = media_type(content_type);
  if (type == "application/x-www-form-urlencoded") {
    fields.form = parse_urlencoded(request.body);
  } else if (type == "multipart/form-data") {
    MultipartFields multipart =
        parse_multipart(request.body, header_parameter(content_type, "boundary").value_or(""));
    fields.form = std::move(multipart.form);
    fields.files = std::move(multipart.files);
  } else {
    fields.data = json_safe(request.body, "application/octet-stream");
    boost::system::error_code ec;
    boost::json::value parsed = boost::json::parse(request.body, ec);
    if (!ec) fields.json = std::move(parsed);
  }
  return fields;
}

}  // namespace

std::string request_url(const Request& request) {
  const RequestView& view = request.view;
  std::string url;
  if (!request.url.empty()) {
    url = request.url;
  } else {
    url.append(view.scheme).append("://").append(view.authority).append(view.path);
    if (!view.query.empty()) url.append("?").append(view.query);
  }
  std::optional<std::string> protocol = view.joined_header("X-Forwarded-Proto");
  if (!protocol) protocol = view.joined_header("X-Forwarded-Protocol");
  if (!protocol && view.joined_header("X-Forwarded-Ssl") == "on") protocol = "https";
  auto scheme_end = url.find("://");
  if (protocol && scheme_end != std::string::npos) url.replace(0, scheme_end, *protocol);
  return url;
}

std::string origin(const RequestView& view) {
  return view.joined_header("X-Forwarded-For").value_or(std::string(view.peer_ip));
}

boost::json::object request_headers(const RequestView& view, bool show_env) {
  boost::json::object headers;
  if (!view.header("Host") && !view.authority.empty())
    headers.emplace("Host", latin1_to_utf8(view.authority));
  for (const HeaderField& field : view.headers) {
    if (field.name.empty() || field.name.front() == ':') continue;  // HTTP/2 pseudo-headers
    if (!show_env && is_env_header(field.name)) continue;
    // WSGI drops an empty Content-Type or Content-Length.
    bool is_entity = iequals(field.name, "Content-Type") || iequals(field.name, "Content-Length");
    if (is_entity && field.value.empty()) continue;
    std::string name = title_case_header(field.name);
    std::string value = latin1_to_utf8(field.value);
    if (auto* existing = headers.if_contains(name)) {
      boost::json::string& joined = existing->get_string();
      joined.append(",");
      joined.append(value);
    } else {
      headers.emplace(name, std::move(value));
    }
  }
  return headers;
}

boost::json::object request_dict(const Request& request, DictKeys keys) {
  boost::json::object args = parse_urlencoded(request.view.query);
  bool show_env = args.contains("show_env");
  BodyFields body;
  if (keys.form || keys.data || keys.files || keys.json) body = parse_body(request);

  boost::json::object dict;
  if (keys.url) dict.emplace("url", request_url(request));
  if (keys.args) dict.emplace("args", std::move(args));
  if (keys.form) dict.emplace("form", std::move(body.form));
  if (keys.data) dict.emplace("data", std::move(body.data));
  if (keys.headers) dict.emplace("headers", request_headers(request.view, show_env));
  if (keys.origin) dict.emplace("origin", origin(request.view));
  if (keys.files) dict.emplace("files", std::move(body.files));
  if (keys.json) dict.emplace("json", std::move(body.json));
  if (keys.method) dict.emplace("method", request.view.method);
  return dict;
}

}  // namespace gatehouse::httpbin
