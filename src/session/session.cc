#include "session/session.h"

#include <limits>

namespace gatehouse::session {
namespace {

constexpr std::uint8_t kHasRefreshToken = 1;
constexpr std::uint8_t kHasIdToken = 2;
constexpr std::size_t kMaxFieldBytes = std::numeric_limits<std::uint16_t>::max();
// Two times, the flags, and at most four 16-bit lengths.
constexpr std::size_t kFixedBytes = 8 + 8 + 1 + 4 * 2;

void put_int64(std::int64_t value, std::string& out) {
  const auto bits = static_cast<std::uint64_t>(value);
  for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((bits >> shift) & 0xFF);
}

void put_field(std::string_view field, std::string& out) {
  out += static_cast<char>((field.size() >> 8) & 0xFF);
  out += static_cast<char>(field.size() & 0xFF);
  out += field;
}

// Reads the fields front to back; any read past the end leaves the reader failed for good.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : rest_(bytes) {}

  bool failed() const { return failed_; }
  bool at_end() const { return rest_.empty(); }

  std::string_view take(std::size_t size) {
    if (failed_ || rest_.size() < size) {
      failed_ = true;
      return {};
    }
    const std::string_view taken = rest_.substr(0, size);
    rest_.remove_prefix(size);
    return taken;
  }

  std::uint64_t number(std::size_t size) {
    std::uint64_t value = 0;
    for (char byte : take(size)) value = value << 8 | static_cast<std::uint8_t>(byte);
    return value;
  }

  std::string field() { return std::string(take(number(2))); }

 private:
  std::string_view rest_;
  bool failed_ = false;
};

}  // namespace

Result<std::string> encode_session(const Session& session) {
  for (const std::string* field : {&session.access_token, &session.claims_json})
    if (field->size() > kMaxFieldBytes) return Status::SessionTooLarge;
  for (const std::optional<std::string>* field : {&session.refresh_token, &session.id_token})
    if (field->has_value() && (*field)->size() > kMaxFieldBytes) return Status::SessionTooLarge;

  std::string out;
  out.reserve(kFixedBytes + session.access_token.size() + session.claims_json.size() +
              (session.refresh_token ? session.refresh_token->size() : 0) +
              (session.id_token ? session.id_token->size() : 0));
  put_int64(session.expires_at, out);
  put_int64(session.access_token_expires_at, out);
  out += static_cast<char>((session.refresh_token ? kHasRefreshToken : 0) |
                           (session.id_token ? kHasIdToken : 0));
  put_field(session.access_token, out);
  if (session.refresh_token) put_field(*session.refresh_token, out);
  if (session.id_token) put_field(*session.id_token, out);
  put_field(session.claims_json, out);
  return out;
}

Result<Session> decode_session(std::string_view bytes) {
  Reader reader(bytes);
  Session session;
  session.expires_at = static_cast<std::int64_t>(reader.number(8));
  session.access_token_expires_at = static_cast<std::int64_t>(reader.number(8));
  const auto flags = static_cast<std::uint8_t>(reader.number(1));
  if ((flags & ~(kHasRefreshToken | kHasIdToken)) != 0) return Status::CookieBadPayload;
  session.access_token = reader.field();
  if (flags & kHasRefreshToken) session.refresh_token = reader.field();
  if (flags & kHasIdToken) session.id_token = reader.field();
  session.claims_json = reader.field();
  if (reader.failed() || !reader.at_end()) return Status::CookieBadPayload;
  return session;
}

}  // namespace gatehouse::session
