// The terminal actions an ALB listener rule can run (forward, fixed-response, redirect),
// compiled from config::RuleAction, and the response the ALB itself writes for
// fixed-response (redirect.h has the redirect's). An authenticate-oidc action, which runs
// before them, is kept by the rule (listener_rules.h), not here.
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
#include "edge/generated_response.h"
#include "edge/redirect.h"
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

using Action = std::variant<ForwardAction, FixedResponseAction, RedirectAction>;

// ALB's answer for a fixed-response action; the body views the action.
GeneratedResponse render(const FixedResponseAction& action);

// Validates and compiles a rule's (or the listener's default) terminal actions, sorted by
// Order; an authenticate-oidc action is checked to come first and is otherwise skipped.
// Returns an empty vector and appends to `errors` when anything is wrong; `owner` ("rule
// 5", "the default rule") and `where` name the rule in those errors. Redirects are checked
// against `listener` (see compile_redirect).
std::vector<Action> compile_actions(std::span<const config::RuleAction> actions,
                                    std::string_view owner, const config::SourceLocation& where,
                                    std::vector<RuleError>& errors,
                                    const ListenerInfo& listener = {});

}  // namespace gatehouse::edge
