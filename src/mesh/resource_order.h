// The deterministic order Istio leaves undefined across resources: creation timestamp (as
// written; RFC 3339 text in one format sorts chronologically), then namespace, then name.
#pragma once

#include <tuple>

#include "config/resources.h"

namespace gatehouse::mesh {

inline bool created_before(const config::ResourceBase& a, const config::ResourceBase& b) {
  return std::tie(a.metadata.creation_timestamp, a.metadata.namespace_, a.metadata.name) <
         std::tie(b.metadata.creation_timestamp, b.metadata.namespace_, b.metadata.name);
}

}  // namespace gatehouse::mesh
