#include "gateway/load_support.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "oidc/token.h"

namespace gatehouse::gateway {

std::string path_from(const std::string& declared_in, const std::string& path) {
  const std::filesystem::path p(path);
  if (p.is_absolute() || declared_in.empty()) return path;
  return (std::filesystem::path(declared_in).parent_path() / p).lexically_normal().string();
}

std::optional<std::string> read_small_file(const std::string& path, std::size_t max_bytes) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || size > max_bytes) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(text).str();
}

ClientSecret read_client_secret(const std::string& declared_in, const std::string& file,
                                const std::string& env) {
  std::string text, what;
  if (!env.empty()) {
    what = "clientSecretEnv " + env;
    const char* value = std::getenv(env.c_str());
    if (!value) return {.secret = {}, .problem = what + " is not set"};
    text = value;
  } else {
    const std::string path = path_from(declared_in, file);
    what = "clientSecretFile " + path;
    const auto read = read_small_file(path);
    if (!read) return {.secret = {}, .problem = what + " cannot be read"};
    text = *read;
  }
  std::string secret = oidc::client_secret_from_text(text);
  if (secret.empty())
    return {.secret = {},
            .problem = what + " holds no usable secret (empty, or a control character)"};
  return {.secret = std::move(secret), .problem = {}};
}

}  // namespace gatehouse::gateway
