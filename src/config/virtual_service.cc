// networking.istio.io VirtualService: hosts, gateways and HTTP routes. TCP and TLS routes
// are refused: gatehouse routes HTTP only.
#include <algorithm>
#include <map>

#include "config/decode.h"
#include "config/did_you_mean.h"
#include "config/syntax.h"

namespace gatehouse::config {
namespace {

std::string reversed(std::string_view text) { return std::string(text.rbegin(), text.rend()); }

// Istio rejects a VirtualService whose hosts overlap ("*.example.com" and "a.example.com").
// Finds an earlier overlapping host in O(log n), so long host lists stay cheap.
class HostOverlap {
 public:
  // The earlier host that overlaps `host`, if any; then remembers `host`.
  std::optional<std::string> add(const std::string& host) {
    std::optional<std::string> clash = find(host);
    if (host == "*" && !star_) star_ = host;
    by_reversed_name_.emplace(reversed(host), host);
    return clash;
  }

 private:
  std::optional<std::string> find(const std::string& host) const {
    if (star_) return star_;
    if (host == "*") {
      if (by_reversed_name_.empty()) return std::nullopt;
      return by_reversed_name_.begin()->second;
    }
    // The same name, or an earlier wildcard covering it: "*" + each ".suffix" of the host.
    if (auto same = lookup(host)) return same;
    for (std::size_t dot = host.find('.'); dot != std::string::npos;
         dot = host.find('.', dot + 1)) {
      std::string pattern = "*" + host.substr(dot);
      if (pattern == host) continue;
      if (auto covering = lookup(pattern)) return covering;
    }
    // A wildcard covers earlier names ending in its suffix: a prefix of the reversed names.
    if (host.starts_with("*.")) {
      std::string suffix = reversed(host.substr(1));
      auto it = by_reversed_name_.lower_bound(suffix);
      if (it != by_reversed_name_.end() && it->first.starts_with(suffix)) return it->second;
    }
    return std::nullopt;
  }

  std::optional<std::string> lookup(const std::string& name) const {
    auto it = by_reversed_name_.find(reversed(name));
    if (it == by_reversed_name_.end()) return std::nullopt;
    return it->second;
  }

  std::map<std::string, std::string> by_reversed_name_;
  std::optional<std::string> star_;
};

void read_hosts(const Value& hosts, VirtualService& out) {
  bool bound_to_mesh = out.gateways.empty() || std::find(out.gateways.begin(), out.gateways.end(),
                                                         "mesh") != out.gateways.end();
  HostOverlap overlap;
  for (const Value& host : hosts.items()) {
    auto text = host.string();
    if (!text) continue;
    if (!is_ip(*text)) {
      if (auto problem = check_host(*text)) {
        host.error("invalid host " + quote(*text) + ": " + *problem);
        continue;
      }
    }
    if (*text == "*" && bound_to_mesh) {
      host.error("wildcard host * is not allowed for virtual services bound to the mesh gateway");
    }
    std::string name = lower_case(*text);
    if (auto earlier = overlap.add(name)) {
      host.error("duplicate hosts in virtual service: " + *earlier + " & " + name);
    }
    out.hosts.push_back(std::move(name));
  }
}

}  // namespace

std::optional<std::string> read_gateway_name(const Value& value, const VirtualService& vs,
                                             CrossReferences& refs) {
  auto text = value.string();
  if (!text) return std::nullopt;
  if (*text == "mesh") return text;
  std::string target;
  std::size_t slash = text->find('/');
  if (slash == std::string::npos) {
    if (text->find('.') != std::string::npos) {
      std::size_t dot = text->find('.');
      std::string ns = text->substr(dot + 1, text->find('.', dot + 1) - dot - 1);
      value.error("gateway " + quote(*text) + " uses the legacy FQDN form; write it as " +
                  quote(ns + "/" + text->substr(0, dot)));
      return std::nullopt;
    }
    if (!is_dns_label(*text, true)) {
      value.error("invalid value for gateway name: " + quote(*text));
      return std::nullopt;
    }
    target = vs.metadata.namespace_ + "/" + *text;
  } else {
    std::string ns = text->substr(0, slash), name = text->substr(slash + 1);
    if (ns.empty() || name.empty()) {
      value.error("config namespace and gateway name cannot be empty");
      return std::nullopt;
    }
    if (!is_dns_label(ns, true)) {
      value.error("invalid value for namespace: " + quote(ns));
      return std::nullopt;
    }
    if (!is_dns_label(name, true)) {
      value.error("invalid value for gateway name: " + quote(name));
      return std::nullopt;
    }
    target = *text;
  }
  refs.gateways.push_back(Reference{value.where(), vs.id(), target});
  return target;
}

void decode_virtual_service(const Value& spec_value, VirtualService& out, CrossReferences& refs) {
  Object spec = spec_value.object({"hosts", "gateways", "http", "tcp", "tls", "exportTo"});
  for (std::string_view routes : {"tcp", "tls"}) {
    Value value = spec.get(routes);
    if (value.present()) {
      value.error(std::string(routes) + " routes are not supported by gatehouse (only http)");
    }
  }
  spec.get("exportTo").strings();  // visibility between namespaces: no effect in one gateway
  for (const Value& gateway : spec.get("gateways").items()) {
    if (auto name = read_gateway_name(gateway, out, refs)) out.gateways.push_back(*name);
  }
  Value hosts = spec.require("hosts");
  if (hosts.is_empty_list()) {
    hosts.error(
        "virtual service must have at least one host (delegate VirtualServices are "
        "not supported by gatehouse yet)");
  }
  read_hosts(hosts, out);
  bool other_routes = spec.has("tcp") || spec.has("tls");
  Value http = other_routes ? spec.get("http") : spec.require("http");
  if (http.is_empty_list()) http.error("virtual service must have at least one http route");
  for (const Value& route : http.items()) {
    out.http.push_back(decode_http_route(route, out, refs));
  }
}

}  // namespace gatehouse::config
