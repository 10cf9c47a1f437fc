// The state folder of `gatehouse demo`: the seed's YAML copied with the chosen ports, and the
// files those copies name (TLS certificate and key, session keys, client secret), created once
// with mode 0600 and kept across runs so browsers and sessions survive a restart.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gatehouse::app {

// The ports the demo serves on; the seed is written with the defaults.
struct DemoPorts {
  uint16_t http = 8080;
  uint16_t https = 8443;
  uint16_t idp = 9000;
  uint16_t httpbin = 8000;
};

// `text` with every number that equals a default port (a whole run of digits: 8080 but not
// 18080) replaced by the chosen port, in one pass, so swapping two ports works.
std::string substitute_ports(std::string_view text, const DemoPorts& ports);

struct DemoState {
  std::vector<std::string> config_files;  // the copies, in name order
  std::vector<std::string> errors;        // what went wrong; nothing is usable when not empty
};

// Creates `state_dir` (mode 0700) if needed, copies every *.yaml of `seed_dir` into it with
// the ports substituted (overwriting earlier copies), and creates what is missing of tls.crt
// and tls.key (self-signed for localhost and 127.0.0.1), session.keys and client.secret.
DemoState prepare_demo_state(const std::string& seed_dir, const std::string& state_dir,
                             const DemoPorts& ports);

// Writes `content` to `path` with mode 0600, through a temporary file renamed into place.
// Returns the problem, if any.
std::optional<std::string> write_private_file(const std::string& path, std::string_view content);

// A self-signed ECDSA P-256 certificate for DNS:localhost and IP:127.0.0.1 (one year) and its
// key, written as PEM to the two paths. Returns the problem, if any.
std::optional<std::string> write_self_signed_certificate(const std::string& certificate_path,
                                                         const std::string& key_path);
// True when `certificate_path` holds a PEM certificate that has not expired (and will not
// within a day).
bool certificate_still_valid(const std::string& certificate_path);

}  // namespace gatehouse::app
