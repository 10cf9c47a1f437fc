#include "jose/json_fields.h"

#include <boost/json/error.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>

#include "jose/base64url.h"

namespace gatehouse::jose::detail {

Status parse_json_object(std::string_view text, std::size_t max_depth, Status bad_json,
                         Status too_deep, boost::json::object& out) {
  boost::json::parse_options options;
  options.max_depth = max_depth;
  boost::system::error_code error;
  boost::json::value value = boost::json::parse(text, error, {}, options);
  if (error == boost::json::error::too_deep) return too_deep;
  if (error || !value.is_object()) return bad_json;
  out = std::move(value.get_object());
  return Status::Ok;
}

Status string_member(const boost::json::object& object, std::string_view key, Status missing,
                     Status wrong_type, std::string_view& out) {
  out = {};
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr) return missing;
  if (!value->is_string()) return wrong_type;
  out = value->get_string();
  return Status::Ok;
}

Status base64url_member(const boost::json::object& object, std::string_view key, Status missing,
                        Status wrong_type, Status bad_base64, std::string& out) {
  out.clear();
  std::string_view text;
  if (Status status = string_member(object, key, missing, wrong_type, text); status != Status::Ok)
    return status;
  if (!object.contains(key)) return Status::Ok;  // optional and absent
  return base64url_decode(text, out) ? Status::Ok : bad_base64;
}

}  // namespace gatehouse::jose::detail
