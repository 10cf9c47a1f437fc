#include "app/config_files.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace gatehouse::app {
namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kMaxFileSize = 4 * 1024 * 1024;

bool is_yaml(const fs::path& p) { return p.extension() == ".yaml" || p.extension() == ".yml"; }

// The files a --config path stands for, or an error.
std::vector<fs::path> expand(const std::string& path, std::vector<std::string>& errors) {
  std::error_code ec;
  std::vector<fs::path> out;
  if (fs::is_directory(path, ec)) {
    for (const auto& entry : fs::directory_iterator(path, ec))
      if (entry.is_regular_file() && is_yaml(entry.path())) out.push_back(entry.path());
    std::sort(out.begin(), out.end());
    if (out.empty()) errors.push_back(path + ": folder holds no .yaml or .yml file");
  } else if (fs::is_regular_file(path, ec)) {
    out.emplace_back(path);
  } else {
    errors.push_back(path + ": no such file or folder");
  }
  return out;
}

}  // namespace

ConfigFiles read_config_files(const std::vector<std::string>& paths) {
  ConfigFiles result;
  for (const auto& path : paths) {
    for (const auto& file : expand(path, result.errors)) {
      std::error_code ec;
      const auto size = fs::file_size(file, ec);
      if (ec || size > kMaxFileSize) {
        result.errors.push_back(file.string() + (ec ? ": cannot read" : ": larger than 4 MiB"));
        continue;
      }
      std::ifstream in(file, std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      if (!in && !in.eof()) {
        result.errors.push_back(file.string() + ": cannot read");
        continue;
      }
      result.files.push_back({file.string(), text.str()});
    }
  }
  result.fingerprint = config_fingerprint(paths);
  return result;
}

std::string config_fingerprint(const std::vector<std::string>& paths) {
  std::string stamp;
  std::vector<std::string> ignored;
  for (const auto& path : paths) {
    for (const auto& file : expand(path, ignored)) {
      std::error_code ec;
      auto time = fs::last_write_time(file, ec);
      auto size = fs::file_size(file, ec);
      stamp += file.string() + ":" + std::to_string(time.time_since_epoch().count()) + ":" +
               std::to_string(size) + ";";
    }
  }
  return stamp;
}

}  // namespace gatehouse::app
