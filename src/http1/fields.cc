#include "http1/fields.h"

#include <algorithm>
#include <cstring>

namespace gatehouse::http1 {

std::string_view Arena::copy(std::string_view text) {
  if (text.empty()) return {};
  while (block_ < blocks_.size() && used_ + text.size() > sizes_[block_]) {
    ++block_;
    used_ = 0;
  }
  if (block_ == blocks_.size()) {
    const std::size_t size = std::max(kBlockSize, text.size());
    blocks_.push_back(std::make_unique<char[]>(size));
    sizes_.push_back(size);
    used_ = 0;
  }
  char* at = blocks_[block_].get() + used_;
  std::memcpy(at, text.data(), text.size());
  used_ += text.size();
  return {at, text.size()};
}

void Arena::reset() {
  block_ = 0;
  used_ = 0;
}

void Fields::clear() {
  fields_.clear();
  arena_.reset();
}

std::optional<std::string_view> Fields::get(std::string_view name) const {
  for (const Field& f : fields_)
    if (iequals(f.name, name)) return f.value;
  return std::nullopt;
}

std::size_t Fields::count(std::string_view name) const {
  return static_cast<std::size_t>(std::count_if(
      fields_.begin(), fields_.end(), [&](const Field& f) { return iequals(f.name, name); }));
}

void Fields::add(std::string_view name, std::string_view value) {
  fields_.push_back({arena_.copy(name), arena_.copy(value)});
}

void Fields::set(std::string_view name, std::string_view value) {
  auto first = std::find_if(fields_.begin(), fields_.end(),
                            [&](const Field& f) { return iequals(f.name, name); });
  if (first == fields_.end()) {
    add(name, value);
    return;
  }
  // Copy before erasing: `value` may view a field that is about to go.
  first->value = arena_.copy(value);
  auto rest = std::remove_if(first + 1, fields_.end(),
                             [&](const Field& f) { return iequals(f.name, name); });
  fields_.erase(rest, fields_.end());
}

std::size_t Fields::erase(std::string_view name) {
  return std::erase_if(fields_, [&](const Field& f) { return iequals(f.name, name); });
}

std::string_view trim_ows(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool list_has_token(std::string_view list, std::string_view token) {
  return !for_each_list_item(list, [&](std::string_view item) { return !iequals(item, token); });
}

}  // namespace gatehouse::http1
