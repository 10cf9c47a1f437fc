#include "authz/rule_group.h"

#include <algorithm>

namespace gatehouse::authz {
namespace {

// Candidate positions are gathered per decision; one buffer per thread keeps that free of
// allocations once it has grown to the largest candidate set seen.
std::vector<uint32_t>& scratch() {
  thread_local std::vector<uint32_t> buffer;
  buffer.clear();
  return buffer;
}

}  // namespace

void RuleGroup::KeyIndex::add(std::string_view key, uint32_t position) {
  auto& list = positions[std::string(key)];
  if (list.empty() || list.back() != position) list.push_back(position);
  auto at = std::lower_bound(lengths.begin(), lengths.end(), key.size());
  if (at == lengths.end() || *at != key.size()) lengths.insert(at, key.size());
}

void RuleGroup::add(std::shared_ptr<const CompiledPolicy> policy) {
  for (std::size_t i = 0; i < policy->rules.size(); ++i) {
    const auto position = static_cast<uint32_t>(rules_.size());
    rules_.push_back({policy.get(), static_cast<uint32_t>(i)});
    index(policy->rules[i], position);
  }
  policies_.push_back(std::move(policy));
}

void RuleGroup::index(const CompiledRule& rule, uint32_t position) {
  const std::vector<const Pattern*> paths = rule.required_paths();
  const bool indexable = !paths.empty() && std::ranges::all_of(paths, [](const Pattern* p) {
    return p->index_key().has_value();
  });
  if (!indexable) {
    unindexed_.push_back(position);
    return;
  }
  using Kind = Pattern::IndexKey::Kind;
  for (const Pattern* p : paths) {
    const Pattern::IndexKey key = *p->index_key();
    KeyIndex& index = key.kind == Kind::Exact    ? exact_
                      : key.kind == Kind::Prefix ? prefix_
                                                 : suffix_;
    index.add(key.text, position);
  }
}

void RuleGroup::candidates(std::string_view path, std::vector<uint32_t>& out) const {
  auto take = [&out](const KeyIndex& index, std::string_view key) {
    if (auto it = index.positions.find(key); it != index.positions.end())
      out.insert(out.end(), it->second.begin(), it->second.end());
  };
  out.insert(out.end(), unindexed_.begin(), unindexed_.end());
  if (!exact_.positions.empty()) take(exact_, path);
  for (std::size_t n : prefix_.lengths) {
    if (n > path.size()) break;
    take(prefix_, path.substr(0, n));
  }
  for (std::size_t n : suffix_.lengths) {
    if (n > path.size()) break;
    take(suffix_, path.substr(path.size() - n));
  }
}

RuleRef RuleGroup::ref(uint32_t position) const {
  const Entry& e = rules_[position];
  return RuleRef{e.policy->name, e.rule, e.policy->action, e.policy->first_rule_id + e.rule};
}

std::optional<RuleRef> RuleGroup::first_match(const Facts& facts,
                                              std::optional<Miss>* nearest) const {
  if (rules_.empty()) return std::nullopt;
  std::vector<uint32_t>& positions = scratch();
  candidates(facts.request.http.path, positions);
  std::sort(positions.begin(), positions.end());
  RuleCheck best;
  std::optional<uint32_t> best_position;
  for (std::size_t i = 0; i < positions.size(); ++i) {
    if (i > 0 && positions[i] == positions[i - 1]) continue;
    const Entry& e = rules_[positions[i]];
    const RuleCheck c = e.policy->rules[e.rule].check(facts);
    if (c.matched()) return ref(positions[i]);
    if (!best_position || c.passed > best.passed) {
      best = c;
      best_position = positions[i];
    }
  }
  if (nearest)
    *nearest = best_position ? Miss{ref(*best_position), best.failed_at} : Miss{ref(0), "to.paths"};
  return std::nullopt;
}

}  // namespace gatehouse::authz
