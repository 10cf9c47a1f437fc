// libFuzzer target for the config loader: the input bytes are one YAML file given to
// config::load(). Hostile YAML must only ever produce located errors: no crash, no hang.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "config/loader.h"

namespace {

// Checks what load() promises, trapping so the fuzzer reports a violation as a crash.
void check_invariants(const gatehouse::config::LoadResult& result) {
  for (const gatehouse::config::Error& error : result.errors) {
    if (error.where.file != "fuzz.yaml" || error.where.line < 0 || error.message.empty()) {
      __builtin_trap();
    }
    if (error.to_string().empty()) __builtin_trap();
  }
  if (!result.ok()) return;
  // A config without errors has every cross-resource name resolved.
  std::set<std::string> target_groups;
  for (const auto& group : result.snapshot.target_groups) {
    target_groups.insert(group.metadata.namespace_ + "/" + group.metadata.name);
  }
  for (const auto& listener : result.snapshot.listeners) {
    if (listener.port < 1 || listener.port > 65535 || listener.default_actions.empty()) {
      __builtin_trap();
    }
    for (const auto& action : listener.default_actions) {
      for (const auto& group : action.target_groups) {
        if (!target_groups.contains(listener.metadata.namespace_ + "/" + group.target_group_name)) {
          __builtin_trap();
        }
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<gatehouse::config::SourceFile> files{
      {"fuzz.yaml", std::string(reinterpret_cast<const char*>(data), size)}};
  check_invariants(gatehouse::config::load(files));
  return 0;
}
