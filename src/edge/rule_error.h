// The error value every edge compile step returns: a config problem located at the
// resource part that has it. Plain value.
#pragma once

#include <string>

#include "config/resources.h"

namespace gatehouse::edge {

struct RuleError {
  config::SourceLocation where;
  std::string message;
};

}  // namespace gatehouse::edge
