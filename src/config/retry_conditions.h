// The Envoy retry conditions Istio accepts in a VirtualService `retries.retryOn` (besides
// HTTP status codes). One list, read by the config validation and the mesh router.
#pragma once

#include <algorithm>
#include <array>
#include <string_view>

namespace gatehouse::config {

inline constexpr std::array<std::string_view, 16> kRetryOnConditions{"5xx",
                                                                     "gateway-error",
                                                                     "reset",
                                                                     "reset-before-request",
                                                                     "connect-failure",
                                                                     "retriable-4xx",
                                                                     "refused-stream",
                                                                     "retriable-status-codes",
                                                                     "retriable-headers",
                                                                     "envoy-ratelimited",
                                                                     "http3-post-connect-failure",
                                                                     "cancelled",
                                                                     "deadline-exceeded",
                                                                     "internal",
                                                                     "resource-exhausted",
                                                                     "unavailable"};

inline bool is_retry_on_condition(std::string_view name) {
  return std::find(kRetryOnConditions.begin(), kRetryOnConditions.end(), name) !=
         kRetryOnConditions.end();
}

}  // namespace gatehouse::config
