// From the request-target of the request line to the normalized path and query that
// routing and policy see: absolute-form ("http://host/p") is reduced to its path, then
// the path is normalized once. Pure.
#pragma once

#include <string_view>

#include "pathnorm/pathnorm.h"

namespace gatehouse::proxy {

// Returns false when the target must be refused with 400.
bool split_target(std::string_view target, pathnorm::Mode mode, pathnorm::Normalized& out);

}  // namespace gatehouse::proxy
