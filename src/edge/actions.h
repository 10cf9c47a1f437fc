// The terminal actions an ALB listener rule can run (forward, fixed-response), compiled
// from config::RuleAction, and the response the ALB itself writes for fixed-response.
// Thread-safety: compiled actions are immutable; every const method is safe to share.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/resources.h"
#include "edge/rule_error.h"
#include "request/request_view.h"

namespace gatehouse::edge {

class ForwardAction {
 public:
  // REQUIRES: 1+ groups, weights 0-999, at least one weight > 0 (compile_actions checks).
  explicit ForwardAction(std::vector<config::WeightedTargetGroup> groups);

  // The group for a request, proportional to the weights; weight 0 is never chosen.
  // `random` is any uniformly distributed value (the engine passes its per-worker RNG).
  std::string_view choose_target_group(uint64_t random) const;
  std::span<const config::WeightedTargetGroup> target_groups() const { return groups_; }

 private:
  std::vector<config::WeightedTargetGroup> groups_;
  uint64_t total_weight_ = 0;
};

struct FixedResponseAction {
  uint32_t status_code = 0;
  std::string content_type;
  std::string message_body;
};

using Action = std::variant<ForwardAction, FixedResponseAction>;

// What ALB puts on responses it generates itself.
inline constexpr std::string_view kAlbServerHeader = "awselb/2.0";

// A response the edge answers without a target. Views into the action it came from; the
// HTTP layer adds Date, Content-Length and Connection when it writes it.
struct GeneratedResponse {
  uint32_t status_code = 0;
  std::array<HeaderField, 2> headers;  // Server, Content-Type
  std::string_view body;
};

GeneratedResponse render(const FixedResponseAction& action);

// Validates and compiles a rule's (or the listener's default) actions, sorted by Order.
// Returns an empty vector and appends to `errors` when anything is wrong; `owner`
// 5", "the default rule") and `where` name the rule in those errors.
std::vector<Action> compile_actions(std::span<const config::RuleAction> actions,
                                    std::string_view owner, const config::SourceLocation& where,
                                    std::vector<RuleError>& errors);

}  // namespace gatehouse::edge
