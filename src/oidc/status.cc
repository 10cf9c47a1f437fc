#include "oidc/status.h"

#include <cstddef>

namespace gatehouse::oidc {
namespace {

struct Entry {
  std::string_view name;
  std::string_view message;
  std::string_view reason;
  int http;
};

// One row per code, in declaration order, so a code's row is at its value.
constexpr Entry kEntries[] = {
#define GATEHOUSE_OIDC_STATUS_ENTRY(code, http, reason, message) {#code, message, reason, http},
    GATEHOUSE_OIDC_STATUSES(GATEHOUSE_OIDC_STATUS_ENTRY)
#undef GATEHOUSE_OIDC_STATUS_ENTRY
};

// A value cast from outside the enum gets the empty row, which tests notice.
constexpr Entry kNone{};

const Entry& entry(Status status) {
  const auto index = static_cast<std::size_t>(status);
  return index < std::size(kEntries) ? kEntries[index] : kNone;
}

}  // namespace

std::string_view status_message(Status status) { return entry(status).message; }
std::string_view status_name(Status status) { return entry(status).name; }
int http_status(Status status) { return entry(status).http; }
std::string_view log_reason(Status status) { return entry(status).reason; }

}  // namespace gatehouse::oidc
