// The header fields of one HTTP/1.1 message, a flat list in arrival order. Names and
// values are views: into the bytes the head was parsed from, or into the list's own
// arena for fields added later, so a warmed-up list parses and edits without allocating.
// Lookups scan: a head has a few dozen fields, where a scan beats building an index.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "request/request_view.h"

namespace gatehouse::http1 {

using Field = HeaderField;

// Copies of strings that stay put until reset(); blocks are kept for the next message.
class Arena {
 public:
  std::string_view copy(std::string_view text);
  void reset();

 private:
  static constexpr std::size_t kBlockSize = 4096;
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::vector<std::size_t> sizes_;
  std::size_t block_ = 0, used_ = 0;
};

class Fields {
 public:
  // Forgets every field and arena copy; capacity is kept.
  void clear();

  std::span<const Field> all() const { return fields_; }
  std::size_t size() const { return fields_.size(); }

  // First value of `name` (case-insensitive).
  std::optional<std::string_view> get(std::string_view name) const;
  std::size_t count(std::string_view name) const;

  // Appends a field whose views the caller keeps alive as long as this list.
  void add_view(std::string_view name, std::string_view value) { fields_.push_back({name, value}); }
  // Appends a copy of the field.
  void add(std::string_view name, std::string_view value);
  // Replaces every `name` field with one copied field, at the first one's place.
  void set(std::string_view name, std::string_view value);
  // Removes every `name` field; returns how many there were.
  std::size_t erase(std::string_view name);
  // Removes the fields `drop` returns true for.
  template <class Predicate>
  void erase_if(Predicate drop) {
    std::erase_if(fields_, drop);
  }

 private:
  std::vector<Field> fields_;
  Arena arena_;
};

// `text` without leading and trailing spaces and tabs (RFC 9110 OWS).
std::string_view trim_ows(std::string_view text);

// Calls `visit` with each item of the comma-separated `list`, OWS trimmed (empty items
// included); stops when `visit` returns false. Returns whether every item was visited.
template <class Visit>
bool for_each_list_item(std::string_view list, Visit visit) {
  for (;;) {
    const std::size_t comma = list.find(',');
    if (!visit(trim_ows(list.substr(0, comma)))) return false;
    if (comma == std::string_view::npos) return true;
    list.remove_prefix(comma + 1);
  }
}

// Whether the comma-separated `list` (a Connection or Transfer-Encoding value) holds
// `token`, case-insensitively.
bool list_has_token(std::string_view list, std::string_view token);

}  // namespace gatehouse::http1
