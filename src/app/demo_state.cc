#include "app/demo_state.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "gateway/load_support.h"
#include "jose/base64url.h"

namespace gatehouse::app {
namespace {

namespace fs = std::filesystem;

constexpr std::uintmax_t kMaxSeedFileBytes = 1024 * 1024;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::optional<std::string> random_bytes(std::size_t count) {
  std::string bytes(count, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(count)) != 1)
    return std::nullopt;
  return bytes;
}

// Standard base64 with padding, the form docs/sessions.md shows for session keys.
std::string base64(std::string_view bytes) {
  std::string text = jose::base64url_encode(bytes);
  std::replace(text.begin(), text.end(), '-', '+');
  std::replace(text.begin(), text.end(), '_', '/');
  while (text.size() % 4 != 0) text += '=';
  return text;
}

bool non_empty_file(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec) && fs::file_size(path, ec) > 0 && !ec;
}

// The seed's *.yaml files in name order; a problem is added to `errors`.
std::vector<fs::path> seed_files(const std::string& seed_dir, std::vector<std::string>& errors) {
  std::vector<fs::path> files;
  std::error_code ec;
  if (!fs::is_directory(seed_dir, ec)) {
    errors.push_back("seed " + seed_dir + " is not a folder");
    return files;
  }
  for (const auto& entry : fs::directory_iterator(seed_dir, ec))
    if (entry.path().extension() == ".yaml" && entry.is_regular_file()) files.push_back(entry);
  if (ec)
    errors.push_back("seed " + seed_dir + ": " + ec.message());
  else if (files.empty())
    errors.push_back("seed " + seed_dir + " holds no *.yaml file");
  std::sort(files.begin(), files.end());
  return files;
}

// Creates what the copies name and is missing; a problem is added to `errors`.
void create_secrets(const fs::path& dir, std::vector<std::string>& errors) {
  auto report = [&](const std::optional<std::string>& problem) {
    if (problem) errors.push_back(*problem);
  };
  const fs::path certificate = dir / "tls.crt";
  const fs::path key = dir / "tls.key";
  if (!non_empty_file(key) || !certificate_still_valid(certificate.string()))
    report(write_self_signed_certificate(certificate.string(), key.string()));
  if (!non_empty_file(dir / "session.keys")) {
    auto bytes = random_bytes(32);
    if (!bytes) return errors.push_back("no randomness available");
    report(write_private_file(
        (dir / "session.keys").string(),
        "# gatehouse demo: the key that seals session cookies\n" + base64(*bytes) + "\n"));
  }
  if (!non_empty_file(dir / "client.secret")) {
    auto bytes = random_bytes(32);
    if (!bytes) return errors.push_back("no randomness available");
    report(write_private_file((dir / "client.secret").string(),
                              jose::base64url_encode(*bytes) + "\n"));
  }
}

}  // namespace

std::string substitute_ports(std::string_view text, const DemoPorts& ports) {
  const DemoPorts defaults;
  const std::pair<uint16_t, uint16_t> replacements[] = {{defaults.http, ports.http},
                                                        {defaults.https, ports.https},
                                                        {defaults.idp, ports.idp},
                                                        {defaults.httpbin, ports.httpbin}};
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_digit(text[i])) {
      out += text[i++];
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && is_digit(text[end])) ++end;
    const std::string_view digits = text.substr(i, end - i);
    std::string replaced(digits);
    for (const auto& [from, to] : replacements)
      if (digits == std::to_string(from)) replaced = std::to_string(to);
    out += replaced;
    i = end;
  }
  return out;
}

std::optional<std::string> write_private_file(const std::string& path, std::string_view content) {
  const std::string temporary = path + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return "cannot write " + temporary + ": " + std::strerror(errno);
  bool ok = ::fchmod(fd, 0600) == 0;
  for (std::size_t done = 0; ok && done < content.size();) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<std::size_t>(n);
  }
  const int saved_errno = errno;
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(ok ? errno : saved_errno);
    ::unlink(temporary.c_str());
    return "cannot write " + path + ": " + reason;
  }
  return std::nullopt;
}

DemoState prepare_demo_state(const std::string& seed_dir, const std::string& state_dir,
                             const DemoPorts& ports) {
  DemoState state;
  const std::vector<fs::path> seeds = seed_files(seed_dir, state.errors);
  if (!state.errors.empty()) return state;
  std::error_code ec;
  if (!fs::is_directory(state_dir, ec)) {
    if (!fs::create_directories(state_dir, ec) || ec) {
      state.errors.push_back("cannot create " + state_dir + ": " + ec.message());
      return state;
    }
    fs::permissions(state_dir, fs::perms::owner_all, ec);
  }
  for (const fs::path& seed : seeds) {
    auto text = gateway::read_small_file(seed.string(), kMaxSeedFileBytes);
    if (!text) {
      state.errors.push_back("cannot read " + seed.string());
      continue;
    }
    const std::string copy = (fs::path(state_dir) / seed.filename()).string();
    if (auto problem = write_private_file(copy, substitute_ports(*text, ports)))
      state.errors.push_back(*problem);
    state.config_files.push_back(copy);
  }
  if (state.errors.empty()) create_secrets(state_dir, state.errors);
  if (!state.errors.empty()) state.config_files.clear();
  return state;
}

}  // namespace gatehouse::app
