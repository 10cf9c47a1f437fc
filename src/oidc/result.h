// oidc::Error and oidc::Result<T>: a failure is a Status (which fixes the HTTP status, the
// access-log reason and the message) plus a detail for logs, so nothing is thrown across the
// module boundary.
#pragma once

#include <string>

#include "jose/result.h"
#include "oidc/status.h"

namespace gatehouse::oidc {

struct Error {
  Status status = Status::Ok;
  // What exactly went wrong, for the access log: the IdP's error code ("invalid_client"), the
  // jose or session status name, the member at fault. May be empty. Text from the IdP is cut to
  // printable ASCII, but an error page must still HTML-escape it.
  std::string detail;

  int http_status() const { return oidc::http_status(status); }
  std::string_view reason() const { return log_reason(status); }
  std::string_view message() const { return status_message(status); }
};

template <typename T>
using Result = jose::Result<T, Error>;

}  // namespace gatehouse::oidc
