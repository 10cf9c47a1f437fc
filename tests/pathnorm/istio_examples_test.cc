// Every example of istio-semantics.md §2.10 (from Istio's
// tests/integration/security/normalization_test.go), checked in all four modes, plus the
// percent sweep over /admin%XX.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "normalize_helpers.h"
#include "pathnorm/pathnorm.h"

namespace gatehouse::pathnorm {
namespace {

struct Example {
  std::string_view input;
  std::string_view none;
  std::string_view base;
  std::string_view merge_slashes;
  std::string_view decode_and_merge_slashes;
};

constexpr Example kExamples[] = {
    {"/app/../admin", "/app/../admin", "/admin", "/admin", "/admin"},
    {"/xyz%30..//abc", "/xyz%30..//abc", "/xyz0..//abc", "/xyz0../abc", "/xyz0../abc"},
    {"/app/%2E./admin", "/app/%2E./admin", "/admin", "/admin", "/admin"},
    {"/app/%2f", "/app/%2f", "/app/%2f", "/app/%2f", "/app/"},
    {"/app//", "/app//", "/app//", "/app/", "/app/"},
    {"/app#foo", "/app", "/app", "/app", "/app"},
    {"/app\\admin", "/app\\admin", "/app/admin", "/app/admin", "/app/admin"},
    {"/app%2f/", "/app%2f/", "/app%2f/", "/app%2f/", "/app/"},
    {"/app//../admin", "/app//../admin", "/app/admin", "/app/admin", "/app/admin"},
    {"/%5Capp%2f%5c%2F%2e%2e%2fadmin%5c\\abc", "/%5Capp%2f%5c%2F%2e%2e%2fadmin%5c\\abc",
     "/%5Capp%2f%5c%2F..%2fadmin%5c/abc", "/%5Capp%2f%5c%2F..%2fadmin%5c/abc", "/app/admin/abc"},
    {"/%c0%2e%c0%2e/admin", "/%c0%2e%c0%2e/admin", "/%c0.%c0./admin", "/%c0.%c0./admin",
     "/%c0.%c0./admin"},
    // The "untouched" list: identical in every mode.
    {"/..;/admin", "/..;/admin", "/..;/admin", "/..;/admin", "/..;/admin"},
    {"/admin;a=b", "/admin;a=b", "/admin;a=b", "/admin;a=b", "/admin;a=b"},
    {"/%252e%252e/admin", "/%252e%252e/admin", "/%252e%252e/admin", "/%252e%252e/admin",
     "/%252e%252e/admin"},
    {"/.../admin", "/.../admin", "/.../admin", "/.../admin", "/.../admin"},
    {"/ADMIN", "/ADMIN", "/ADMIN", "/ADMIN", "/ADMIN"},
    // DESIGN.md: the /status/200 exemption must not cover these. RFC 3986 pops one segment
    // per "..", so the first resolves to /status/headers (not /headers).
    {"/status/200/../headers", "/status/200/../headers", "/status/headers", "/status/headers",
     "/status/headers"},
    {"/status/200/%2e%2e/headers", "/status/200/%2e%2e/headers", "/status/headers",
     "/status/headers", "/status/headers"},
    {"/status/200/../../headers", "/status/200/../../headers", "/headers", "/headers", "/headers"},
    {"/a/./b/.", "/a/./b/.", "/a/b/", "/a/b/", "/a/b/"},
};

TEST(IstioNormalizationExamples, EveryExampleInEveryMode) {
  for (const Example& example : kExamples) {
    SCOPED_TRACE(example.input);
    EXPECT_EQ(normalized(example.input, Mode::None), example.none);
    EXPECT_EQ(normalized(example.input, Mode::Base), example.base);
    EXPECT_EQ(normalized(example.input, Mode::MergeSlashes), example.merge_slashes);
    EXPECT_EQ(normalized(example.input, Mode::DecodeAndMergeSlashes),
              example.decode_and_merge_slashes);
  }
}

TEST(IstioNormalizationExamples, OutputIsAFixedPointInItsMode) {
  for (const Example& example : kExamples) {
    for (Mode mode : kAllModes) {
      SCOPED_TRACE(std::string(example.input) + " " + std::string(mode_name(mode)));
      const std::string once = normalized(example.input, mode);
      EXPECT_EQ(normalized(once, mode), once);
    }
  }
}

// "Percent sweep /admin%XX (01-ff): only unreserved + %2F/%5C decode (%5C -> /), rest
// unchanged." %00 is refused instead (gatehouse rule). Both hex cases are swept.
std::string expected_for_sweep(unsigned char byte, std::string_view input, Mode mode) {
  constexpr std::string_view kUnreserved =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
  const bool unreserved = kUnreserved.find(static_cast<char>(byte)) != std::string_view::npos;
  const bool slash = byte == '/' || byte == '\\';
  if (mode != Mode::None && unreserved) return "/admin" + std::string(1, static_cast<char>(byte));
  if (mode == Mode::DecodeAndMergeSlashes && slash) return "/admin/";
  return std::string(input);
}

TEST(IstioNormalizationExamples, PercentSweepOverAdminInEveryMode) {
  constexpr std::string_view kHexUpper = "0123456789ABCDEF";
  constexpr std::string_view kHexLower = "0123456789abcdef";
  for (int value = 0; value < 256; ++value) {
    for (std::string_view hex : {kHexUpper, kHexLower}) {
      const std::string input = std::string("/admin%") + hex[value >> 4] + hex[value & 0xF];
      for (Mode mode : kAllModes) {
        SCOPED_TRACE(input + " " + std::string(mode_name(mode)));
        if (value == 0) {
          EXPECT_EQ(status_of(input, mode), Status::NulByte);
          continue;
        }
        EXPECT_EQ(normalized(input, mode),
                  expected_for_sweep(static_cast<unsigned char>(value), input, mode));
      }
    }
  }
}

}  // namespace
}  // namespace gatehouse::pathnorm
