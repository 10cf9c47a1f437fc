// Reads the files named by --config: a path is a file, or a folder whose *.yaml and
// *.yml files are read in name order (not recursively). The only file-system access
// of configuration; parsing stays in the pure config module.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "config/loader.h"

namespace gatehouse::app {

struct ConfigFiles {
  std::vector<config::SourceFile> files;
  std::vector<std::string> errors;  // "path: reason" for what could not be read
  // Modification stamp over all files, to notice a change without reading them.
  std::string fingerprint;
};

ConfigFiles read_config_files(const std::vector<std::string>& paths);
// The fingerprint alone (cheap: stat only).
std::string config_fingerprint(const std::vector<std::string>& paths);

}  // namespace gatehouse::app
