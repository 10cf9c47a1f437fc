#include "proxy/target_split.h"

#include "request/request_view.h"

namespace gatehouse::proxy {

bool split_target(std::string_view target, pathnorm::Mode mode, pathnorm::Normalized& out) {
  for (std::string_view scheme : {"http://", "https://"}) {
    // The scheme is case-insensitive (RFC 3986 3.1), as the head parser reads it for Host.
    if (target.size() > scheme.size() && iequals(target.substr(0, scheme.size()), scheme)) {
      auto slash = target.find_first_of("/?", scheme.size());
      if (slash == std::string_view::npos) {
        target = "/";
      } else if (target[slash] == '?') {
        return false;  // "http://host?q" has no path to route on
      } else {
        target = target.substr(slash);
      }
      const auto status = pathnorm::normalize(target, mode, out);
      out.changed = true;  // the upstream always gets origin-form
      return status == pathnorm::Status::Ok;
    }
  }
  return pathnorm::normalize(target, mode, out) == pathnorm::Status::Ok;
}

}  // namespace gatehouse::proxy
