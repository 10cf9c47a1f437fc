#include <iostream>

#include "app/commands.h"
#include "app/config_files.h"
#include "gateway/runtime.h"

namespace gatehouse::app {

int validate(const std::vector<std::string>& config_paths) {
  ConfigFiles files = read_config_files(config_paths);
  for (const auto& e : files.errors) std::cout << e << "\n";
  if (!files.errors.empty()) return 1;
  const std::size_t count = files.files.size();
  auto built = gateway::Runtime::build(std::move(files.files));
  for (const auto& e : built.errors) std::cout << e << "\n";
  if (!built.errors.empty()) return 1;
  for (const auto& w : built.warnings) std::cout << w << "\n";
  std::cout << "configuration OK (" << count << " file" << (count == 1 ? "" : "s") << ")\n";
  return 0;
}

}  // namespace gatehouse::app
