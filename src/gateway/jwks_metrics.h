// The JWKS fetcher's state as Prometheus text: fetches by source and result, and the size
// and age of each source's current key set.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "keys/jwks_fetcher.h"

namespace gatehouse::gateway {

void append_jwks_metrics(const std::vector<keys::SourceStatus>& sources,
                         std::chrono::system_clock::time_point now, std::string& out);

}  // namespace gatehouse::gateway
