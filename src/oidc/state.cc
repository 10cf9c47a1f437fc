#include "oidc/state.h"

namespace gatehouse::oidc::detail {
namespace {

void put_u16(std::string& out, std::size_t value) {
  out += static_cast<char>((value >> 8) & 0xff);
  out += static_cast<char>(value & 0xff);
}

void put_field(std::string& out, std::string_view field) {
  put_u16(out, field.size());
  out += field;
}

class Reader {
 public:
  explicit Reader(std::string_view bytes) : rest_(bytes) {}

  bool bytes(std::size_t count, std::string_view& out) {
    if (rest_.size() < count) return false;
    out = rest_.substr(0, count);
    rest_.remove_prefix(count);
    return true;
  }
  bool field(std::string& out) {
    std::string_view length, value;
    if (!bytes(2, length)) return false;
    const std::size_t size =
        static_cast<unsigned char>(length[0]) << 8 | static_cast<unsigned char>(length[1]);
    if (!bytes(size, value)) return false;
    out.assign(value);
    return true;
  }
  bool done() const { return rest_.empty(); }

 private:
  std::string_view rest_;
};

}  // namespace

std::string encode_state(const LoginState& state) {
  std::string out;
  out += static_cast<char>(kStateVersion);
  const auto issued_at = static_cast<std::uint64_t>(state.issued_at);
  for (int shift = 56; shift >= 0; shift -= 8)
    out += static_cast<char>((issued_at >> shift) & 0xff);
  for (std::string_view field :
       {std::string_view(state.nonce_cookie), std::string_view(state.id_token_nonce),
        std::string_view(state.code_verifier), std::string_view(state.redirect_uri),
        std::string_view(state.return_path)}) {
    put_field(out, field.substr(0, 0xffff));
  }
  return out;
}

std::optional<LoginState> decode_state(std::string_view bytes) {
  Reader reader(bytes);
  std::string_view version, issued_at;
  if (!reader.bytes(1, version) || static_cast<std::uint8_t>(version[0]) != kStateVersion ||
      !reader.bytes(8, issued_at)) {
    return std::nullopt;
  }
  LoginState state;
  std::uint64_t seconds = 0;
  for (char byte : issued_at) seconds = seconds << 8 | static_cast<unsigned char>(byte);
  state.issued_at = static_cast<std::int64_t>(seconds);
  if (!reader.field(state.nonce_cookie) || !reader.field(state.id_token_nonce) ||
      !reader.field(state.code_verifier) || !reader.field(state.redirect_uri) ||
      !reader.field(state.return_path) || !reader.done()) {
    return std::nullopt;
  }
  return state;
}

std::string state_context(const config::AuthenticateOidcConfig& config) {
  std::string context = "gatehouse oidc login state v1\n";
  for (std::string_view part : {std::string_view(config.issuer), std::string_view(config.client_id),
                                std::string_view(config.session_cookie_name)}) {
    put_field(context, part);
  }
  return context;
}

}  // namespace gatehouse::oidc::detail
