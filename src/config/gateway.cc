// networking.istio.io Gateway: servers with ports, hosts and TLS settings.
#include <algorithm>
#include <array>
#include <set>

#include "config/decode.h"
#include "config/did_you_mean.h"
#include "config/syntax.h"

namespace gatehouse::config {
namespace {

// Every protocol Istio knows; gatehouse Gateway servers serve the first two.
constexpr std::array<std::string_view, 12> kIstioProtocols{
    "HTTP", "HTTPS", "HTTP2", "GRPC",  "GRPC-WEB", "TCP",
    "TLS",  "UDP",   "MONGO", "REDIS", "MYSQL",    "HTTP_PROXY"};

constexpr std::array<std::string_view, 6> kTlsModes{
    "PASSTHROUGH", "SIMPLE", "MUTUAL", "AUTO_PASSTHROUGH", "ISTIO_MUTUAL", "OPTIONAL_MUTUAL"};

std::optional<std::string> read_gateway_protocol(const Value& value) {
  auto protocol = read_protocol_name(value);
  if (protocol && *protocol != "HTTP" && *protocol != "HTTPS") {
    value.error("protocol " + *protocol +
                " is not supported by gatehouse yet (Gateway servers speak HTTP or HTTPS)");
  }
  return protocol;
}

void read_port(const Value& value, GatewayServer& server) {
  Object port = value.object({"number", "protocol", "name", "targetPort"});
  server.port = port.require("number").port().value_or(0);
  server.protocol = read_gateway_protocol(port.require("protocol")).value_or("");
  server.port_name = port.require("name").string().value_or("");
  if (port.get("targetPort").present()) {
    port.get("targetPort").error("targetPort has no impact on Gateways");
  }
}

// Only what gatehouse implements is read; other certificate sources and TLS tuning are
// refused rather than silently ignored.
void read_tls(const Value& value, GatewayServer& server) {
  Object tls =
      value.object({"httpsRedirect", "mode", "credentialName", "serverCertificate", "privateKey",
                    "caCertificates", "caCrl", "credentialNames", "tlsCertificates",
                    "subjectAltNames", "verifyCertificateSpki", "verifyCertificateHash",
                    "minProtocolVersion", "maxProtocolVersion", "cipherSuites"});
  if (!tls.present()) return;
  tls.refuse({"serverCertificate", "privateKey", "caCertificates", "caCrl", "credentialNames",
              "tlsCertificates", "subjectAltNames", "verifyCertificateSpki",
              "verifyCertificateHash", "minProtocolVersion", "maxProtocolVersion", "cipherSuites"});
  server.https_redirect = tls.get("httpsRedirect").boolean().value_or(false);
  server.credential_name = tls.get("credentialName").string().value_or("");
  Value mode = tls.get("mode");
  server.tls_mode = "PASSTHROUGH";  // the proto enum's zero value
  if (mode.present()) {
    auto index = mode.one_of(kTlsModes);
    if (!index) {
      server.tls_mode.clear();
      return;
    }
    server.tls_mode = kTlsModes[*index];
  }

  if (server.protocol == "HTTP") {
    if (server.tls_mode != "PASSTHROUGH" || !server.credential_name.empty()) {
      value.error("server cannot have TLS settings for plain text HTTP ports");
    }
    server.tls_mode.clear();  // only httpsRedirect is meaningful on plain HTTP
  } else if (server.protocol == "HTTPS") {
    if (server.tls_mode != "SIMPLE") {
      (mode.present() ? mode : value)
          .error("tls mode " + server.tls_mode +
                 " is not supported by gatehouse yet (HTTPS servers use SIMPLE)");
    } else if (server.credential_name.empty()) {
      value.error("SIMPLE TLS requires credentialName");
    }
  }
}

GatewayServer read_server(const Value& value) {
  Object server = value.object({"port", "bind", "hosts", "tls", "name", "defaultEndpoint"});
  server.refuse({"defaultEndpoint"});
  GatewayServer out;
  out.where = value.where();
  read_port(server.require("port"), out);
  Value hosts = server.require("hosts");
  if (hosts.is_empty_list()) hosts.error("server config must contain at least one host");
  for (const Value& host : hosts.items()) {
    auto text = host.string();
    if (!text) continue;
    if (auto problem = check_gateway_host(*text)) {
      host.error("invalid host " + quote(*text) + ": " + *problem);
    }
    out.hosts.push_back(std::move(*text));
  }
  Value bind = server.get("bind");
  if (auto text = bind.string()) {
    if (text->starts_with("unix://")) {
      bind.error("binding to a unix domain socket is not supported by gatehouse yet");
    } else if (!is_ip(*text)) {
      bind.error(quote(*text) + " is not a valid IP address");
    }
    out.bind = std::move(*text);
  }
  out.name = server.get("name").string().value_or("");
  Value tls = server.get("tls");
  if (tls.present()) {
    read_tls(tls, out);
  } else if (out.protocol == "HTTPS") {
    value.error("server must have TLS settings for HTTPS/TLS protocols");
  }
  return out;
}

}  // namespace

std::optional<std::string> read_protocol_name(const Value& value) {
  auto text = value.string();
  if (!text) return std::nullopt;
  std::string protocol = upper_case(*text);
  if (std::find(kIstioProtocols.begin(), kIstioProtocols.end(), protocol) ==
      kIstioProtocols.end()) {
    value.error(with_suggestion("invalid protocol " + quote(*text) +
                                    ", supported protocols are HTTP, HTTPS, HTTP2, GRPC, "
                                    "GRPC-WEB, MONGO, REDIS, MYSQL, TCP, TLS",
                                protocol, kIstioProtocols));
    return std::nullopt;
  }
  return protocol;
}

void decode_gateway(const Value& spec_value, Gateway& out) {
  Object spec = spec_value.object({"servers", "selector"});
  out.selector = read_labels(spec.get("selector"));
  Value servers = spec.require("servers");
  if (servers.is_empty_list()) servers.error("gateway must have at least one server");
  std::set<std::string> port_names;
  for (const Value& item : servers.items()) {
    GatewayServer server = read_server(item);
    if (!server.port_name.empty() && !port_names.insert(server.port_name).second) {
      item.error("port names in servers must be unique: duplicate name " + quote(server.port_name));
    }
    out.servers.push_back(std::move(server));
  }
}

}  // namespace gatehouse::config
