#include "edge/query_string.h"

#include <algorithm>
#include <charconv>
#include <system_error>

namespace gatehouse::edge {
namespace {

// The byte `%XY` stands for, or -1 unless both X and Y are hex digits.
int escaped_byte(std::string_view xy) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(xy.data(), xy.data() + xy.size(), value, 16);
  return xy.size() == 2 && error == std::errc() && end == xy.data() + 2 ? static_cast<int>(value)
                                                                        : -1;
}

// `text` decoded: a view of it when it holds no escape, else a view of what was appended
// to `storage` (whose capacity the caller reserved, so earlier views stay valid).
std::string_view decode(std::string_view text, std::string& storage) {
  if (text.find('%') == std::string_view::npos) return text;
  const std::size_t start = storage.size();
  for (std::size_t i = 0; i < text.size(); ++i) {
    const int byte = text[i] == '%' ? escaped_byte(text.substr(i + 1, 2)) : -1;
    storage.push_back(byte < 0 ? text[i] : static_cast<char>(byte));
    if (byte >= 0) i += 2;
  }
  return std::string_view(storage).substr(start);
}

bool visible(std::string_view text) {
  return std::none_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
}

}  // namespace

void parse_query(std::string_view query, std::string& storage, std::vector<QueryParameter>& out) {
  storage.clear();
  storage.reserve(query.size());  // decoding never grows the text: views stay valid
  std::size_t start = 0;
  while (start <= query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view piece = query.substr(start, end - start);
    start = end + 1;
    if (piece.empty()) continue;
    const std::size_t equals = piece.find('=');
    const std::string_view key = decode(piece.substr(0, equals), storage);
    const std::string_view value = equals == std::string_view::npos
                                       ? std::string_view()
                                       : decode(piece.substr(equals + 1), storage);
    if (visible(key) && visible(value)) out.push_back({key, value});
  }
}

}  // namespace gatehouse::edge
