// Runs a fuzz target's LLVMFuzzerTestOneInput over every file in the folders (or files) given
// on the command line, so any compiler can replay a corpus without libFuzzer, e.g. as a CTest
// test in the sanitizer build. Fails when an argument is missing or holds no input at all.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

std::vector<std::filesystem::path> inputs_in(const std::filesystem::path& argument) {
  std::vector<std::filesystem::path> inputs;
  std::error_code error;
  if (std::filesystem::is_regular_file(argument, error)) {
    inputs.push_back(argument);
    return inputs;
  }
  for (const auto& entry : std::filesystem::directory_iterator(argument, error))
    if (entry.is_regular_file()) inputs.push_back(entry.path());
  std::sort(inputs.begin(), inputs.end());  // stable order, reproducible logs
  return inputs;
}

void replay(const std::filesystem::path& file) {
  std::fprintf(stderr, "replay %s\n", file.c_str());
  std::ifstream stream(file, std::ios::binary);
  const std::vector<char> bytes{std::istreambuf_iterator<char>(stream), {}};
  // A heap copy of the exact size, so ASan catches reads past the end like libFuzzer does.
  const auto data = std::make_unique<std::uint8_t[]>(bytes.size());
  std::copy(bytes.begin(), bytes.end(), data.get());
  LLVMFuzzerTestOneInput(data.get(), bytes.size());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
    return 2;
  }
  std::size_t replayed = 0;
  for (int i = 1; i < argc; ++i) {
    const auto inputs = inputs_in(argv[i]);
    if (inputs.empty()) {
      std::fprintf(stderr, "no inputs in %s\n", argv[i]);
      return 1;
    }
    for (const auto& input : inputs) replay(input);
    replayed += inputs.size();
  }
  std::fprintf(stderr, "replayed %zu inputs\n", replayed);
  return 0;
}
