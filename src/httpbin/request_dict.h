// The description of a request that python httpbin's get_dict() reports: url, args, form,
// data, origin, headers, files, json, method, each in httpbin's exact form.
// Thread-safety: pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "httpbin/httpbin.h"

namespace gatehouse::httpbin {

// Which get_dict() keys an endpoint reports.
struct DictKeys {
  bool url = false;
  bool args = false;
  bool form = false;
  bool data = false;
  bool origin = false;
  bool headers = false;
  bool files = false;
  bool json = false;
  bool method = false;
};

// The requested keys, inserted in the order url, args, form, data, headers, origin, files, json,
// method: /stream prints insertion order and reports url, args, headers, origin in that order.
boost::json::object request_dict(const Request& request, DictKeys keys);

// The request URL with the scheme taken from X-Forwarded-Proto, X-Forwarded-Protocol or
// X-Forwarded-Ssl: on when one is sent (httpbin's get_url()).
std::string request_url(const Request& request);

// X-Forwarded-For as sent (repeats joined with ","), else the peer address.
std::string origin(const RequestView& view);

// The request headers under werkzeug's title-cased names, repeats joined with ",", values read
// as Latin-1. Proxy headers httpbin calls ENV_HEADERS (X-Forwarded-For, Via, ...) are hidden
// unless `show_env`. Host is added from the authority when the engine passes no Host field.
boost::json::object request_headers(const RequestView& view, bool show_env);

}  // namespace gatehouse::httpbin
