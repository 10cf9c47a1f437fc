#include "gateway/jwks_metrics.h"

#include <fmt/format.h>

#include <iterator>

namespace gatehouse::gateway {
namespace {

// A label value: backslash, double quote and newline escaped, as the text format wants.
std::string label_value(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == '"') out.push_back('\\');
    out.push_back(c == '\n' ? 'n' : c);
  }
  return out;
}

}  // namespace

void append_jwks_metrics(const std::vector<keys::SourceStatus>& sources,
                         std::chrono::system_clock::time_point now, std::string& out) {
  if (sources.empty()) return;
  auto to = std::back_inserter(out);
  out +=
      "# HELP gatehouse_jwks_fetches_total JWKS fetches by key source and result.\n"
      "# TYPE gatehouse_jwks_fetches_total counter\n";
  for (const auto& source : sources) {
    const std::string id = label_value(source.id);
    for (std::size_t i = 0; i < keys::kFetchResultCount; ++i) {
      const auto result = static_cast<keys::FetchResult>(i);
      if (source.fetch_count(result) > 0 || result == keys::FetchResult::Ok)
        fmt::format_to(to, "gatehouse_jwks_fetches_total{{source=\"{}\",result=\"{}\"}} {}\n", id,
                       keys::result_name(result), source.fetch_count(result));
    }
  }
  out +=
      "# HELP gatehouse_jwks_keys Keys in the key set in use, by key source (0: none yet).\n"
      "# TYPE gatehouse_jwks_keys gauge\n";
  for (const auto& source : sources)
    fmt::format_to(to, "gatehouse_jwks_keys{{source=\"{}\"}} {}\n", label_value(source.id),
                   source.key_count());
  out +=
      "# HELP gatehouse_jwks_age_seconds Seconds since the key set in use was fetched "
      "(absent before the first).\n"
      "# TYPE gatehouse_jwks_age_seconds gauge\n";
  for (const auto& source : sources) {
    if (!source.keys.jwks) continue;
    const auto age = std::chrono::duration_cast<std::chrono::seconds>(now - source.keys.fetched_at);
    fmt::format_to(to, "gatehouse_jwks_age_seconds{{source=\"{}\"}} {}\n", label_value(source.id),
                   age.count());
  }
}

}  // namespace gatehouse::gateway
