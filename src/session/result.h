// session::Result<T, Error>: jose::Result with session's Status as the error unless another is
// named (SessionKeys::parse names a KeyFileError, which also gives the line).
#pragma once

#include "jose/result.h"
#include "session/status.h"

namespace gatehouse::session {

template <typename T, typename Error = Status>
using Result = jose::Result<T, Error>;

}  // namespace gatehouse::session
