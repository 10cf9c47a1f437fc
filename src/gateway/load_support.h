// Helpers for reading what configuration names when it loads: the house error format, files
// named relative to the YAML file that names them, small files read whole, and secrets given
// by file or environment variable. Used by the Runtime and by the commands that serve.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "config/loader.h"

namespace gatehouse::gateway {

inline std::string located(const config::SourceLocation& where, const std::string& resource,
                           const std::string& message) {
  return config::Error{where, resource, message}.to_string();
}

// A path as written: absolute, or relative to the file declaring it.
std::string path_from(const std::string& declared_in, const std::string& path);

// The whole text of a regular file of at most `max_bytes`; nullopt when it cannot be read or
// is larger (a secret or key file that size is a mistake, not something to load).
std::optional<std::string> read_small_file(const std::string& path,
                                           std::size_t max_bytes = 64 * 1024);

// A client secret named by `file` (relative to `declared_in`) or by the variable `env`
// (exactly one is set): the secret, or `problem`, the sentence saying why there is none
// ("clientSecretFile /etc/x cannot be read", "clientSecretEnv X is not set",
// "... holds no usable secret (empty, or a control character)").
struct ClientSecret {
  std::string secret;
  std::string problem;
};
ClientSecret read_client_secret(const std::string& declared_in, const std::string& file,
                                const std::string& env);

}  // namespace gatehouse::gateway
