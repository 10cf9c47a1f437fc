// Helpers for building a Runtime from config: the house error format, and file paths that a
// YAML file names relative to itself.
#pragma once

#include <filesystem>
#include <string>

#include "config/loader.h"

namespace gatehouse::gateway {

inline std::string located(const config::SourceLocation& where, const std::string& resource,
                           const std::string& message) {
  return config::Error{where, resource, message}.to_string();
}

// A path as written: absolute, or relative to the file declaring it.
inline std::string path_from(const std::string& declared_in, const std::string& path) {
  const std::filesystem::path p(path);
  if (p.is_absolute() || declared_in.empty()) return path;
  return (std::filesystem::path(declared_in).parent_path() / p).lexically_normal().string();
}

}  // namespace gatehouse::gateway
