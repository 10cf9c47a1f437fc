// Fuzz target for pathnorm::normalize: every mode on every input, checked against a slow
// textbook model (decode, then RFC 3986 section 5.2.4 remove_dot_segments step by step) and
// against invariants the request path relies on. Any mismatch aborts.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "pathnorm/pathnorm.h"

namespace {

using gatehouse::pathnorm::Mode;
using gatehouse::pathnorm::Normalized;
using gatehouse::pathnorm::Status;

void require(bool condition, const char* what, std::string_view input) {
  if (condition) return;
  std::fprintf(stderr, "pathnorm invariant broken: %s\ninput (%zu bytes): %.*s\n", what,
               input.size(), static_cast<int>(input.size()), input.data());
  std::abort();
}

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// The path with escapes decoded as the mode asks, or nullopt for a refused escape.
std::optional<std::string> model_decode(std::string_view path, Mode mode) {
  const std::string_view unreserved =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
  std::string decoded;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] != '%') {
      decoded += path[i] == '\\' ? '/' : path[i];
      continue;
    }
    if (i + 2 >= path.size() || !is_hex(path[i + 1]) || !is_hex(path[i + 2])) return std::nullopt;
    const auto value =
        static_cast<char>(std::stoi(std::string(path.substr(i + 1, 2)), nullptr, 16));
    if (value == 0) return std::nullopt;
    if (unreserved.find(value) != std::string_view::npos)
      decoded += value;
    else if (mode == Mode::DecodeAndMergeSlashes && (value == '/' || value == '\\'))
      decoded += '/';
    else
      decoded += path.substr(i, 3);
    i += 2;
  }
  return decoded;
}

// RFC 3986 section 5.2.4, rules B, C and E (A and D cannot apply to a path starting with
// '/'); nullopt where rule C finds nothing left to remove, i.e. above the root.
std::optional<std::string> model_remove_dot_segments(std::string input) {
  std::string output;
  while (!input.empty()) {
    if (input.starts_with("/./") || input == "/.") {
      input.replace(0, input == "/." ? 2 : 3, "/");
    } else if (input.starts_with("/../") || input == "/..") {
      if (output.empty()) return std::nullopt;
      input.replace(0, input == "/.." ? 3 : 4, "/");
      output.erase(output.rfind('/'));
    } else {
      const auto next = input.find('/', 1);
      output += input.substr(0, next);
      input.erase(0, next);
    }
  }
  return output;
}

std::string model_merge_slashes(std::string_view path) {
  std::string merged;
  for (char c : path)
    if (c != '/' || merged.empty() || merged.back() != '/') merged += c;
  return merged;
}

// The target the model forwards, or nullopt when it refuses the input.
std::optional<std::string> model_normalize(std::string_view target, Mode mode) {
  if (target.empty() || target.front() != '/') return std::nullopt;
  for (unsigned char c : target)
    if (c <= 0x20 || c == 0x7F) return std::nullopt;
  const std::string_view kept = target.substr(0, target.find('#'));
  const std::string_view path = kept.substr(0, kept.find('?'));
  const std::string_view query_part = kept.substr(path.size());
  std::optional<std::string> resolved = model_decode(path, mode);
  if (resolved) resolved = model_remove_dot_segments(*resolved);
  if (!resolved) return std::nullopt;
  switch (mode) {
    case Mode::None:
      return std::string(kept);
    case Mode::Base:
      return *resolved + std::string(query_part);
    case Mode::MergeSlashes:
    case Mode::DecodeAndMergeSlashes:
      return model_merge_slashes(*resolved) + std::string(query_part);
  }
  std::abort();
}

void check_mode(std::string_view input, Mode mode) {
  Normalized out;
  const Status status = normalize(input, mode, out);
  const std::optional<std::string> expected = model_normalize(input, mode);
  require(!gatehouse::pathnorm::message(status).empty(), "empty status message", input);
  require((status == Status::Ok) == expected.has_value(), "accepts differently from the model",
          input);
  if (status != Status::Ok) return;

  require(out.target == *expected, "output differs from the model", input);
  require(out.path_size <= out.target.size(), "path_size out of range", input);
  require(out.target.size() <= input.size(), "output longer than input", input);
  require(!out.path().empty() && out.path().front() == '/', "path does not start with '/'", input);
  require(out.path().find_first_of("?#") == std::string_view::npos, "'?' or '#' in path", input);
  require(out.changed == (out.target != input), "changed flag wrong", input);
  if (mode != Mode::None) {
    const std::string path = std::string(out.path()) + "/";
    require(path.find("/./") == std::string::npos && path.find("/../") == std::string::npos,
            "dot segment left in output", input);
    require(out.path().find('\\') == std::string_view::npos, "backslash left in output", input);
  }

  Normalized again;
  require(normalize(out.target, mode, again) == Status::Ok, "output refused when renormalized",
          input);
  require(again.target == out.target && !again.changed, "normalization not idempotent", input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  for (Mode mode : {Mode::None, Mode::Base, Mode::MergeSlashes, Mode::DecodeAndMergeSlashes})
    check_mode(input, mode);
  return 0;
}
