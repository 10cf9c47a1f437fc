#include "session/status.h"

namespace gatehouse::session {

std::string_view status_message(Status status) {
  switch (status) {
#define GATEHOUSE_SESSION_STATUS_MESSAGE(code, message) \
  case Status::code:                                    \
    return message;
    GATEHOUSE_SESSION_STATUSES(GATEHOUSE_SESSION_STATUS_MESSAGE)
#undef GATEHOUSE_SESSION_STATUS_MESSAGE
  }
  // Only a value cast from outside the enum gets here; an empty message shows it in tests.
  return {};
}

std::string_view status_name(Status status) {
  switch (status) {
#define GATEHOUSE_SESSION_STATUS_NAME(code, message) \
  case Status::code:                                 \
    return #code;
    GATEHOUSE_SESSION_STATUSES(GATEHOUSE_SESSION_STATUS_NAME)
#undef GATEHOUSE_SESSION_STATUS_NAME
  }
  return {};
}

}  // namespace gatehouse::session
