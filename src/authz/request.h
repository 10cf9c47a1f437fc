// authz::Request: the attributes AuthorizationPolicy reads from one request, gathered by the
// engine after request authentication. A plain non-owning value, valid while the request and
// its identity are.
#pragma once

#include <string_view>

#include "request/request_view.h"

namespace gatehouse::authn {
struct Identity;
}

namespace gatehouse::authz {

struct Request {
  // method, authority (hosts), path (normalized, no query: paths), headers, peer_ip
  // (source.ip, ipBlocks); listener_port is the destination port (ports, destination.port),
  // the local port Istio matches.
  RequestView http;
  std::string_view remote_ip;                 // remote.ip, remoteIpBlocks; empty: the peer address
  std::string_view destination_ip;            // destination.ip; empty: unknown, never matches
  std::string_view sni;                       // connection.sni; empty: no SNI
  const authn::Identity* identity = nullptr;  // null without a verified token
};

}  // namespace gatehouse::authz
