#include "idp/groups_filter.h"

#include <re2/re2.h>

namespace gatehouse::idp {

GroupsFilter::GroupsFilter(GroupsFilter&&) noexcept = default;
GroupsFilter& GroupsFilter::operator=(GroupsFilter&&) noexcept = default;
GroupsFilter::~GroupsFilter() = default;

std::optional<GroupsFilter> GroupsFilter::compile(const config::GroupsClaim& claim,
                                                  std::string& error) {
  GroupsFilter out;
  out.enabled_ = claim.enabled;
  out.claim_name_ = claim.name;
  out.type_ = claim.type;
  out.value_ = claim.value;
  switch (claim.type) {
    case config::GroupsFilterType::Equals:
    case config::GroupsFilterType::StartsWith:
      break;
    case config::GroupsFilterType::Regex: {
      RE2::Options options;
      options.set_log_errors(false);
      out.regex_ = std::make_unique<re2::RE2>(claim.value, options);
      if (!out.regex_->ok()) {
        error = "groups claim filter " + claim.value + ": " + out.regex_->error();
        return std::nullopt;
      }
      break;
    }
  }
  return out;
}

std::vector<std::string> GroupsFilter::select(const std::vector<std::string>& groups) const {
  std::vector<std::string> out;
  for (const std::string& group : groups) {
    bool pass = false;
    switch (type_) {
      case config::GroupsFilterType::Equals:
        pass = group == value_;
        break;
      case config::GroupsFilterType::StartsWith:
        pass = group.starts_with(value_);
        break;
      case config::GroupsFilterType::Regex:
        pass = RE2::FullMatch(group, *regex_);
        break;
    }
    if (pass) out.push_back(group);
  }
  return out;
}

}  // namespace gatehouse::idp
