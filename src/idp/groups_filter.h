// Okta's groups claim filter: which of a user's groups a token carries (equals, starts with,
// matches regex). Compiled once at start; select() is const and thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/identity_provider.h"

namespace re2 {
class RE2;
}

namespace gatehouse::idp {

class GroupsFilter {
 public:
  // nullopt when the regex does not compile (the message says why).
  static std::optional<GroupsFilter> compile(const config::GroupsClaim& claim, std::string& error);

  GroupsFilter(GroupsFilter&&) noexcept;
  GroupsFilter& operator=(GroupsFilter&&) noexcept;
  ~GroupsFilter();

  bool enabled() const { return enabled_; }
  const std::string& claim_name() const { return claim_name_; }
  // The groups that pass, in the order given. A regex must match the whole name.
  std::vector<std::string> select(const std::vector<std::string>& groups) const;

 private:
  GroupsFilter() = default;
  bool enabled_ = true;
  std::string claim_name_;
  config::GroupsFilterType type_ = config::GroupsFilterType::Regex;
  std::string value_;
  std::unique_ptr<re2::RE2> regex_;
};

}  // namespace gatehouse::idp
