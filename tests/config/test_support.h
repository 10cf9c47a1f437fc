// Helpers shared by the config tests: load YAML text as one file and compare errors as the
// exact strings users see ("file:line: resource kind/ns/name: message").
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "config/loader.h"

namespace gatehouse::config::testing {

inline LoadResult load_text(std::string text, std::string name = "test.yaml") {
  std::vector<SourceFile> files{SourceFile{std::move(name), std::move(text)}};
  return load(files);
}

inline std::vector<std::string> error_strings(const LoadResult& result) {
  std::vector<std::string> out;
  for (const Error& error : result.errors) out.push_back(error.to_string());
  return out;
}

// Every line of `text` after `spaces` spaces, each ending in a newline.
inline std::string indent(std::string_view text, std::size_t spaces) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    out += std::string(spaces, ' ') + std::string(text.substr(start, end - start)) + "\n";
    start = end + 1;
  }
  return out;
}

// A resource whose spec is `spec` (written without indentation). The document has six
// header lines, so line N of `spec` is line 6 + N of the file.
inline std::string resource(std::string_view api_version, std::string_view kind,
                            std::string_view spec, std::string_view name = "demo",
                            std::string_view ns = "foo") {
  return "apiVersion: " + std::string(api_version) + "\nkind: " + std::string(kind) +
         "\nmetadata:\n  name: " + std::string(name) + "\n  namespace: " + std::string(ns) +
         "\nspec:\n" + indent(spec, 2);
}

inline std::string istio(std::string_view kind, std::string_view spec,
                         std::string_view name = "demo") {
  return resource("networking.istio.io/v1alpha3", kind, spec, name);
}

inline std::string security(std::string_view kind, std::string_view spec,
                            std::string_view name = "demo") {
  return resource("security.istio.io/v1", kind, spec, name);
}

inline std::string gatehouse(std::string_view kind, std::string_view spec,
                             std::string_view name = "demo") {
  return resource("gatehouse.dev/v1alpha1", kind, spec, name);
}

// Asserts that `text` loads with exactly the errors `expected`, in order.
inline void expect_errors(const std::string& text, const std::vector<std::string>& expected) {
  LoadResult result = load_text(text);
  EXPECT_EQ(error_strings(result), expected) << "YAML was:\n" << text;
}

inline void expect_error(const std::string& text, const std::string& expected) {
  expect_errors(text, {expected});
}

inline void expect_ok(const std::string& text) { expect_errors(text, {}); }

// The error text for the resource `kind`/foo/demo that the test builders write, at `line`.
inline std::string error_at(std::string_view kind, int line, std::string_view message) {
  return "test.yaml:" + std::to_string(line) + ": resource " + std::string(kind) +
         "/foo/demo: " + std::string(message);
}

}  // namespace gatehouse::config::testing
