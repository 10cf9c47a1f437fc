// networking.istio.io ServiceEntry: hosts, ports, resolution and static endpoints.
#include <algorithm>
#include <array>
#include <cstdint>
#include <set>

#include "config/decode.h"
#include "config/did_you_mean.h"
#include "config/syntax.h"

namespace gatehouse::config {
namespace {

constexpr std::array<std::string_view, 2> kLocations{"MESH_EXTERNAL", "MESH_INTERNAL"};
constexpr std::array<std::string_view, 4> kResolutions{"NONE", "STATIC", "DNS", "DNS_ROUND_ROBIN"};

std::optional<ServicePort> read_port(const Value& value) {
  Object port = value.object({"number", "protocol", "name", "targetPort"});
  if (!port.present()) return std::nullopt;
  ServicePort out;
  out.number = port.require("number").port().value_or(0);
  out.protocol = read_protocol_name(port.require("protocol")).value_or("");
  Value name = port.require("name");
  out.name = name.string().value_or("");
  if (name.present() && !is_dns_label(out.name, true)) {
    name.error("invalid port name " + quote(out.name));
  }
  out.target_port = port.get("targetPort").port().value_or(0);
  return out;
}

// `address` is checked by the caller: what it may be depends on the resolution.
WorkloadEntry read_endpoint(const Value& value) {
  Object endpoint = value.object(
      {"address", "ports", "labels", "network", "locality", "weight", "serviceAccount"});
  WorkloadEntry out;
  out.address = endpoint.require("address").string().value_or("");
  for (auto& [name, port] : endpoint.get("ports").entries()) {
    if (!is_dns_label(name, true)) port.error("invalid port name " + quote(name));
    if (auto number = port.port()) out.ports[name] = *number;
  }
  out.labels = read_labels(endpoint.get("labels"));
  out.weight = static_cast<uint32_t>(endpoint.get("weight").integer(0, UINT32_MAX).value_or(0));
  // Multi-network, locality-aware balancing and workload identity do not apply to one gateway.
  for (std::string_view ignored : {"network", "locality", "serviceAccount"}) {
    endpoint.get(ignored).string();
  }
  return out;
}

void check_endpoints(const std::vector<Value>& items, const ServiceEntry& entry) {
  std::set<std::string> port_names;
  for (const ServicePort& port : entry.ports) port_names.insert(port.name);
  for (std::size_t i = 0; i < items.size() && i < entry.endpoints.size(); ++i) {
    const WorkloadEntry& endpoint = entry.endpoints[i];
    if (endpoint.address.empty()) continue;
    if (endpoint.address.starts_with("unix://")) {
      items[i].error("unix domain socket endpoints are not supported by gatehouse yet");
    } else if (entry.resolution == "STATIC" && !is_ip(endpoint.address)) {
      items[i].error("endpoint address " + quote(endpoint.address) + " is not a valid IP address");
    } else if (!is_ip(endpoint.address) &&
               (check_host(endpoint.address) || endpoint.address.find('*') != std::string::npos)) {
      items[i].error("endpoint address " + quote(endpoint.address) +
                     " is not a valid FQDN or an IP address");
    }
    for (const auto& [name, number] : endpoint.ports) {
      if (!port_names.contains(name)) {
        items[i].error("endpoint port " + quote(name) + " is not defined by the service entry");
      }
    }
  }
}

void check_resolution(const Value& spec, const std::vector<Value>& endpoints,
                      const ServiceEntry& entry) {
  if (entry.resolution == "NONE" && !entry.endpoints.empty()) {
    spec.error("no endpoints should be provided for resolution type NONE");
  }
  if (entry.resolution == "DNS_ROUND_ROBIN" && entry.endpoints.size() > 1) {
    spec.error("there must only be 0 or 1 endpoint for resolution type DNS_ROUND_ROBIN");
  }
  bool dns = entry.resolution == "DNS" || entry.resolution == "DNS_ROUND_ROBIN";
  if (dns && entry.endpoints.empty()) {
    for (const std::string& host : entry.hosts) {
      if (host.starts_with("*")) {
        spec.error("hosts must be fully qualified for DNS resolution without endpoints, got " +
                   quote(host));
      }
    }
  }
  check_endpoints(endpoints, entry);
}

}  // namespace

void decode_service_entry(const Value& spec_value, ServiceEntry& out) {
  Object spec = spec_value.object({"hosts", "addresses", "ports", "location", "resolution",
                                   "endpoints", "workloadSelector", "exportTo", "subjectAltNames"});
  spec.refuse({"subjectAltNames"});
  spec.get("exportTo").strings();  // visibility between namespaces: no effect in one gateway

  Value hosts = spec.require("hosts");
  if (hosts.is_empty_list()) hosts.error("service entry must have at least one host");
  for (const Value& host : hosts.items()) {
    auto text = host.string();
    if (!text) continue;
    if (*text == "*") {
      host.error("invalid host *");
    } else if (auto problem = check_host(*text)) {
      host.error("invalid host " + quote(*text) + ": " + *problem);
    }
    out.hosts.push_back(lower_case(*text));
  }
  if (auto index = spec.get("location").one_of(kLocations)) out.location = kLocations[*index];
  if (auto index = spec.get("resolution").one_of(kResolutions)) {
    out.resolution = kResolutions[*index];
  }
  for (const Value& address : spec.get("addresses").items()) {
    auto text = address.string();
    if (!text) continue;
    if (is_cidr(*text) && out.resolution != "NONE" && out.resolution != "STATIC") {
      address.error("CIDR addresses are allowed only for NONE/STATIC resolution types");
    } else if (!is_ip(*text) && !is_cidr(*text)) {
      address.error(quote(*text) + " is not a valid IP address or CIDR block");
    }
    out.addresses.push_back(std::move(*text));
  }
  std::set<std::string> port_names;
  std::set<uint32_t> port_numbers;
  for (const Value& item : spec.get("ports").items()) {
    auto port = read_port(item);
    if (!port) continue;
    if (!port->name.empty() && !port_names.insert(port->name).second) {
      item.error("service entry port name " + quote(port->name) + " already defined");
    } else if (port->number != 0 && !port_numbers.insert(port->number).second) {
      item.error("service entry port " + std::to_string(port->number) + " already defined");
    }
    out.ports.push_back(std::move(*port));
  }
  std::vector<Value> endpoints = spec.get("endpoints").items();
  for (const Value& endpoint : endpoints) out.endpoints.push_back(read_endpoint(endpoint));
  Value selector = spec.get("workloadSelector");
  out.workload_selector = read_labels(selector.object({"labels"}).get("labels"));
  if (selector.present() && spec.get("endpoints").present()) {
    spec_value.error("only one of workloadSelector or endpoints is allowed in Service Entry");
  }
  check_resolution(spec_value, endpoints, out);
}

}  // namespace gatehouse::config
