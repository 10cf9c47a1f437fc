// The provider's endpoints under the issuer, one function each; route() in provider.cc picks
// one by path after checking the method and the body size. Internal to the idp module.
#pragma once

#include <cstdint>

#include "idp/idp.h"
#include "idp/state.h"

namespace gatehouse::idp {

// /v1/authorize (GET or POST): checks the request, then signs in from the login session or
// shows the login form.
Response authorize_endpoint(State& state, const Request& request, std::int64_t now,
                            RandomPool& random);
// /v1/login (POST): the login form's answer; on success a login session and a code.
Response login_endpoint(State& state, const Request& request, std::int64_t now, RandomPool& random);
// /v1/token (POST): authorization_code, refresh_token, client_credentials.
Response token_endpoint(State& state, const Request& request, std::int64_t now, RandomPool& random);
// /v1/userinfo (GET or POST) with a Bearer access token.
Response userinfo_endpoint(const State& state, const Request& request, std::int64_t now);
// /v1/logout (GET or POST): ends the login session, then maybe redirects.
Response logout_endpoint(State& state, const Request& request);

}  // namespace gatehouse::idp
