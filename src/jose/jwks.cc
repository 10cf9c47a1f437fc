#include "jose/jwks.h"

#include <boost/json/object.hpp>

#include "jose/json_fields.h"

namespace gatehouse::jose {
namespace {

// RFC 7517 section 4.2: a key with a "use" is for that use only.
Status check_use(const boost::json::object& object) {
  std::string_view use;
  if (Status status = detail::string_member(object, "use", Status::Ok, Status::JwksKeyBadUse, use);
      status != Status::Ok)
    return status;
  return !object.contains("use") || use == "sig" ? Status::Ok : Status::JwksKeyNotForSignature;
}

}  // namespace

Result<Jwks> Jwks::parse(std::string_view json, const JwksOptions& options) {
  if (json.size() > options.max_bytes) return Status::JwksTooLarge;
  boost::json::object document;
  if (detail::parse_json_object(json, options.max_json_depth, Status::JwksParseError,
                                Status::JwksParseError, document) != Status::Ok)
    return Status::JwksParseError;
  const boost::json::value* keys = document.if_contains("keys");
  if (keys == nullptr) return Status::JwksNoKeys;
  if (!keys->is_array()) return Status::JwksBadKeys;

  Jwks jwks;
  const boost::json::array& entries = keys->get_array();
  for (std::size_t index = 0; index < entries.size(); ++index) {
    // Non-objects are passed over silently, as Envoy does.
    if (!entries[index].is_object()) continue;
    const boost::json::object& object = entries[index].get_object();
    Status status = check_use(object);
    if (status == Status::Ok) {
      Result<Jwk> key = parse_jwk(object, options);
      if (key.ok()) {
        jwks.keys_.push_back(std::move(key).value());
        continue;
      }
      status = key.status();
    }
    jwks.skipped_.push_back({index, status});
  }
  if (jwks.keys_.empty())
    return jwks.skipped_.empty() ? Status::JwksNoValidKeys : jwks.skipped_.front().status;
  return jwks;
}

}  // namespace gatehouse::jose
