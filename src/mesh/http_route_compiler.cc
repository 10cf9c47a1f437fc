#include "mesh/http_route_compiler.h"

#include <re2/re2.h>

#include <algorithm>
#include <charconv>

#include "config/retry_conditions.h"
#include "mesh/hostnames.h"

namespace gatehouse::mesh {
namespace {

constexpr uint32_t kMaxPort = 65535;
constexpr std::string_view kDefaultRetryOn =
    "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes";
constexpr uint32_t kDefaultRetriableStatus = 503;
// The Envoy retry_on conditions Istio validation accepts.

bool is_authority_header(std::string_view lower_name) {
  return lower_name == ":authority" || lower_name == "host";
}
bool is_internal_header(std::string_view lower_name) {
  return lower_name.starts_with(':') || lower_name == "host";
}

// Returns the authority value the operations carry (last one wins), if any.
std::string append_writes(const std::vector<std::pair<std::string, std::string>>& operations,
                          bool append, std::vector<HeaderWrite>& into) {
  std::string authority;
  std::vector<HeaderWrite> writes;
  for (const auto& [name, value] : operations) {
    std::string lower = lower_ascii(name);
    if (is_authority_header(lower)) authority = value;
    if (is_internal_header(lower)) continue;
    writes.push_back({std::move(lower), value, append});
  }
  std::stable_sort(writes.begin(), writes.end(),
                   [](const HeaderWrite& a, const HeaderWrite& b) { return a.name < b.name; });
  std::move(writes.begin(), writes.end(), std::back_inserter(into));
  return authority;
}

std::string translate_level(const config::HeaderOperations& operations, HeaderMutation& out) {
  std::string set_authority = append_writes(operations.set, /*append=*/false, out.write);
  std::string add_authority = append_writes(operations.add, /*append=*/true, out.write);
  for (const auto& name : operations.remove) {
    std::string lower = lower_ascii(name);
    if (!is_internal_header(lower)) out.remove.push_back(std::move(lower));
  }
  return set_authority.empty() ? add_authority : set_authority;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

// Istio retry.ConvertPolicy: numbers in retryOn are retriable status codes.
std::variant<std::optional<RetryPolicy>, std::string> compile_retries(const config::Retries& in) {
  if (in.attempts == 0) return std::optional<RetryPolicy>();
  RetryPolicy out;
  out.attempts = in.attempts;
  out.per_try_timeout = in.per_try_timeout;
  std::string_view rest = in.retry_on;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    std::string_view part = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (part.empty()) continue;
    uint32_t code = 0;
    auto [end, status] = std::from_chars(part.data(), part.data() + part.size(), code);
    if (status == std::errc() && end == part.data() + part.size()) {
      if (code < 100 || code > 599) return "retryOn: " + std::string(part) + " is no HTTP status";
      out.retriable_status_codes.push_back(code);
    } else if (config::is_retry_on_condition(part)) {
      out.retry_on.emplace_back(part);
    } else {
      return "retryOn: unknown condition \"" + std::string(part) + "\"";
    }
  }
  auto& conditions = out.retry_on;
  if (!out.retriable_status_codes.empty() &&
      std::find(conditions.begin(), conditions.end(), "retriable-status-codes") ==
          conditions.end()) {
    conditions.emplace_back("retriable-status-codes");
  }
  // The config cannot tell an omitted retryOn from one equal to the default; Istio's default
  // policy also retries 503.
  if (in.retry_on == kDefaultRetryOn) out.retriable_status_codes = {kDefaultRetriableStatus};
  return std::optional<RetryPolicy>(std::move(out));
}

std::variant<PathRewrite, std::string> compile_rewrite(const config::HttpRewrite& rewrite) {
  PathRewrite out;
  out.uri = rewrite.uri;
  if (!rewrite.uri_regex_rewrite) return out;
  if (!rewrite.uri.empty()) return std::string("rewrite sets both uri and uriRegexRewrite");
  RE2::Options options;
  options.set_log_errors(false);
  auto regex = std::make_shared<const RE2>(rewrite.uri_regex_rewrite->match, options);
  if (!regex->ok()) {
    return "uriRegexRewrite: invalid regex \"" + rewrite.uri_regex_rewrite->match +
           "\": " + regex->error();
  }
  std::string why;
  if (!regex->CheckRewriteString(rewrite.uri_regex_rewrite->rewrite, &why)) {
    return "uriRegexRewrite: bad rewrite \"" + rewrite.uri_regex_rewrite->rewrite + "\": " + why;
  }
  out.regex = std::move(regex);
  out.substitution = rewrite.uri_regex_rewrite->rewrite;
  return out;
}

class HttpRouteCompiler {
 public:
  HttpRouteCompiler(const config::VirtualService& vs, const std::set<std::string>& gateway_ids,
                    std::vector<config::Error>& errors)
      : vs_(vs), gateway_ids_(gateway_ids), errors_(errors) {}

  std::string resolve_gateway(const std::string& reference, const config::SourceLocation& where) {
    std::string id = resolve_gateway_name(reference, vs_.metadata.namespace_);
    if (id != "mesh" && !gateway_ids_.contains(id)) {
      fail(where, "gateway \"" + reference + "\" (" + id + ") is not declared");
    }
    return id;
  }

  CompiledHttpRoute compile(const config::HttpRoute& route) {
    route_ = &route;
    CompiledHttpRoute out;
    out.where = route.where;
    out.headers = translate_headers(route.headers);
    out.has_match_blocks = !route.match.empty();
    if (route.match.empty()) {
      out.matches.push_back({std::get<RequestMatch>(RequestMatch::compile(nullptr)), route.name});
    }
    for (const auto& block : route.match) compile_match(block, out);
    compile_action(out);
    return out;
  }

 private:
  void fail(const config::SourceLocation& where, std::string message) {
    add_error(errors_, where, vs_.id(), std::move(message));
  }
  void fail_route(std::string message) {
    std::string prefix =
        route_->name.empty() ? "http route: " : "http route " + route_->name + ": ";
    fail(route_->where, prefix + message);
  }

  void compile_match(const config::HttpMatch& block, CompiledHttpRoute& out) {
    auto compiled = RequestMatch::compile(&block);
    if (auto* error = std::get_if<std::string>(&compiled)) {
      fail(block.where.line > 0 ? block.where : route_->where, "match: " + *error);
      return;
    }
    CompiledMatch match{std::move(std::get<RequestMatch>(compiled)),
                        block.name.empty() ? route_->name : route_->name + "." + block.name,
                        block.port};
    for (const auto& gateway : block.gateways) {
      match.gateways.push_back(resolve_gateway(gateway, block.where));
    }
    out.matches.push_back(std::move(match));
  }

  void compile_action(CompiledHttpRoute& out) {
    const config::HttpRoute& route = *route_;
    int actions =
        !route.route.empty() + route.redirect.has_value() + route.direct_response.has_value();
    if (actions != 1) return fail_route("needs exactly one of route, redirect, directResponse");
    if (route.rewrite && route.route.empty()) return fail_route("rewrite needs route destinations");
    if (route.redirect) return compile_redirect(*route.redirect, out);
    if (route.direct_response) {
      out.action = CompiledHttpRoute::Action::DirectResponse;
      out.direct_response = *route.direct_response;
      if (out.direct_response.status < 200 || out.direct_response.status > 599) {
        fail_route("directResponse status must be 200..599");
      }
      return;
    }
    compile_forward(out);
  }

  void compile_redirect(const config::HttpRedirect& redirect, CompiledHttpRoute& out) {
    out.action = CompiledHttpRoute::Action::Redirect;
    out.redirect = redirect;
    switch (redirect.redirect_code) {
      case 0:  // unset: 301
      case 301:
      case 302:
      case 303:
      case 307:
      case 308:
        break;
      default:
        if (redirect.redirect_code < 300 || redirect.redirect_code > 399) {
          fail_route("redirectCode must be a 3xx status");
        }
        // Istio drops the route for a 3xx Envoy cannot send (300, 304, 305, 306).
        out.action = CompiledHttpRoute::Action::Dropped;
    }
    if (!redirect.derive_port.empty() && redirect.derive_port != "FROM_PROTOCOL_DEFAULT" &&
        redirect.derive_port != "FROM_REQUEST_PORT") {
      fail_route("derivePort must be FROM_PROTOCOL_DEFAULT or FROM_REQUEST_PORT");
    }
    if (redirect.port && *redirect.port > kMaxPort) fail_route("redirect port out of range");
  }

  void compile_forward(CompiledHttpRoute& out) {
    const config::HttpRoute& route = *route_;
    out.timeout = route.timeout;
    for (const auto& entry : route.route) {
      if (entry.destination.host.empty()) fail_route("destination host is empty");
      if (route.route.size() > 1 && entry.weight == 0) continue;
      CompiledDestination destination{entry.destination, entry.weight,
                                      translate_headers(entry.headers)};
      destination.destination.host =
          lower_ascii(resolve_short_name(entry.destination.host, vs_.metadata.namespace_));
      out.destinations.push_back(std::move(destination));
    }
    if (out.destinations.empty()) fail_route("every destination has weight 0");
    if (route.rewrite) {
      out.rewrite_authority = route.rewrite->authority;
      auto rewrite = compile_rewrite(*route.rewrite);
      if (auto* error = std::get_if<std::string>(&rewrite)) return fail_route(*error);
      auto& path_rewrite = std::get<PathRewrite>(rewrite);
      if (!path_rewrite.uri.empty() || path_rewrite.regex) out.rewrite = std::move(path_rewrite);
    }
    auto retry = compile_retries(route.retries);
    if (auto* error = std::get_if<std::string>(&retry)) return fail_route(*error);
    out.retry = std::move(std::get<std::optional<RetryPolicy>>(retry));
  }

  const config::VirtualService& vs_;
  const std::set<std::string>& gateway_ids_;
  std::vector<config::Error>& errors_;
  const config::HttpRoute* route_ = nullptr;
};

}  // namespace

void add_error(std::vector<config::Error>& errors, const config::SourceLocation& where,
               std::string resource, std::string message) {
  errors.push_back({where, std::move(resource), std::move(message)});
}

TranslatedHeaders translate_headers(const config::Headers& headers) {
  TranslatedHeaders out;
  out.authority = translate_level(headers.request, out.request);
  translate_level(headers.response, out.response);
  return out;
}

CompiledVirtualService compile_virtual_service(const config::VirtualService& vs,
                                               const std::set<std::string>& gateway_ids,
                                               std::vector<config::Error>& errors) {
  CompiledVirtualService out;
  out.id = vs.id();
  out.namespace_ = vs.metadata.namespace_;
  for (const auto& host : vs.hosts) {
    if (!is_valid_host_pattern(host)) {
      add_error(errors, vs.where, vs.id(),
                "host \"" + host + "\": '*' may only be the whole left-most label");
    }
    out.hosts.push_back(lower_ascii(resolve_short_name(host, vs.metadata.namespace_)));
  }
  HttpRouteCompiler compiler(vs, gateway_ids, errors);
  for (const auto& gateway : vs.gateways) {
    std::string id = compiler.resolve_gateway(gateway, vs.where);
    if (id != "mesh") out.gateways.push_back(std::move(id));
  }
  for (const auto& route : vs.http) out.http.push_back(compiler.compile(route));
  return out;
}

}  // namespace gatehouse::mesh
