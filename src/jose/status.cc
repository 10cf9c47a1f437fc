#include "jose/status.h"

namespace gatehouse::jose {

std::string_view status_message(Status status) {
  switch (status) {
#define GATEHOUSE_JOSE_STATUS_MESSAGE(code, message) \
  case Status::code:                                 \
    return message;
    GATEHOUSE_JOSE_STATUSES(GATEHOUSE_JOSE_STATUS_MESSAGE)
#undef GATEHOUSE_JOSE_STATUS_MESSAGE
  }
  // Only a value cast from outside the enum gets here; an empty message shows it in tests.
  return {};
}

std::string_view status_name(Status status) {
  switch (status) {
#define GATEHOUSE_JOSE_STATUS_NAME(code, message) \
  case Status::code:                              \
    return #code;
    GATEHOUSE_JOSE_STATUSES(GATEHOUSE_JOSE_STATUS_NAME)
#undef GATEHOUSE_JOSE_STATUS_NAME
  }
  return {};
}

}  // namespace gatehouse::jose
