// Shrinks an httpbin test to a few lines: an owning request description, respond() on it, and
// accessors for the response's headers and JSON body.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "httpbin/httpbin.h"

namespace gatehouse::httpbin::testing {

struct TestRequest {
  std::string method = "GET";
  std::string path = "/get";
  std::string query{};
  std::vector<std::pair<std::string, std::string>> headers = {{"Host", "httpbin.test"}};
  std::string body{};
  std::string url{};  // empty: respond() builds it
  std::string peer_ip = "10.1.2.3";
  std::string authority = "httpbin.test";
};

// Calls `use(const Request&)` with a Request viewing `spec`.
template <class Use>
auto with_request(const TestRequest& spec, Use use) {
  std::vector<HeaderField> fields;
  for (const auto& [name, value] : spec.headers) fields.push_back({name, value});
  RequestView view{.method = spec.method,
                   .scheme = "http",
                   .authority = spec.authority,
                   .path = spec.path,
                   .query = spec.query,
                   .peer_ip = spec.peer_ip,
                   .listener_port = 80,
                   .headers = fields};
  return use(Request{view, spec.body, spec.url});
}

inline Response call(const TestRequest& spec, uint64_t random = 42) {
  return with_request(spec, [&](const Request& request) { return respond(request, random); });
}

inline Response get(std::string path, std::string query = {}) {
  return call(TestRequest{.path = std::move(path), .query = std::move(query)});
}

// All values of response header `name` (exact case-insensitive match), in order.
inline std::vector<std::string> header_values(const Response& response, std::string_view name) {
  std::vector<std::string> values;
  for (const auto& [key, value] : response.headers)
    if (iequals(key, name)) values.push_back(value);
  return values;
}

inline std::optional<std::string> header(const Response& response, std::string_view name) {
  auto values = header_values(response, name);
  if (values.empty()) return std::nullopt;
  return values.front();
}

inline boost::json::object body_json(const Response& response) {
  return boost::json::parse(response.body).as_object();
}

}  // namespace gatehouse::httpbin::testing
