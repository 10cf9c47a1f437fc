// The rules of one action (ALLOW, DENY, AUDIT, or a dry-run side) for one workload, in
// evaluation order and indexed by the request path, so a decision only tries the rules whose
// paths could match plus those that do not constrain the path. Internal to the authz module.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "authz/decision.h"
#include "authz/rule.h"

namespace gatehouse::authz {

class RuleGroup {
 public:
  void add(std::shared_ptr<const CompiledPolicy> policy);

  // Policies in the group, counting one without rules: an ALLOW policy that allows nothing
  // still makes the workload default-deny.
  std::size_t policy_count() const { return policies_.size(); }
  std::size_t rule_count() const { return rules_.size(); }

  // The first rule in order that matches. When none does and `nearest` is given, it gets the
  // tried rule that held the most fields, or, if the path index ruled every rule out, the
  // first rule with `to.paths` as the field it failed.
  std::optional<RuleRef> first_match(const Facts& facts, std::optional<Miss>* nearest) const;

 private:
  struct Entry {
    const CompiledPolicy* policy;
    uint32_t rule;
  };
  // Rule positions by key text, and the distinct key lengths to probe a path with.
  struct KeyIndex {
    struct Hash {
      using is_transparent = void;
      std::size_t operator()(std::string_view key) const {
        return std::hash<std::string_view>{}(key);
      }
    };
    std::unordered_map<std::string, std::vector<uint32_t>, Hash, std::equal_to<>> positions;
    std::vector<std::size_t> lengths;  // ascending
    void add(std::string_view key, uint32_t position);
  };
  void index(const CompiledRule& rule, uint32_t position);
  // Appends the positions of rules worth trying on `path` (unsorted, may repeat).
  void candidates(std::string_view path, std::vector<uint32_t>& out) const;
  RuleRef ref(uint32_t position) const;

  std::vector<std::shared_ptr<const CompiledPolicy>> policies_;
  std::vector<Entry> rules_;
  std::vector<uint32_t> unindexed_;
  KeyIndex exact_, prefix_, suffix_;
};

}  // namespace gatehouse::authz
