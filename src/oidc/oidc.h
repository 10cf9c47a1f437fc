// oidc: the relying party of ALB's authenticate-oidc action, as pure functions the network layer
// calls in order. No I/O: the caller does the HTTP, reads the clock and draws the randomness;
// keys come in (session::SessionKeys for state and sessions, jose::Jwks for the issuer, a
// jose::PrivateKey for x-amzn-oidc-data). Every failure is an oidc::Error whose Status fixes the
// HTTP answer (401, 500, 561) and the access-log reason (ALB's strings).
//
// Every request, every listener:    strip_oidc_headers                       (identity.h)
// A rule with authenticate-oidc:    decide / decide_without_session          (decision.h)
//   Login:                          login_redirect                           (login.h)
//   Forward:                        forwarded_identity, add_oidc_headers     (identity.h)
//   Refresh:                        refresh_token_request, parse_token_response (token.h),
//                                   parse_userinfo (userinfo.h), refreshed_session
//                                   (session_update.h), or after_failed_refresh
// /oauth2/idpresponse:              read_callback                            (callback.h)
//                                   code_token_request, parse_token_response (token.h)
//                                   validate_id_token                        (id_token.h)
//                                   parse_userinfo                           (userinfo.h)
//                                   login_session (session_update.h), then session::seal
// /public-keys/{kid}:               public_key_pem                           (data_token.h)
#pragma once

#include "oidc/callback.h"
#include "oidc/data_token.h"
#include "oidc/decision.h"
#include "oidc/id_token.h"
#include "oidc/identity.h"
#include "oidc/login.h"
#include "oidc/result.h"
#include "oidc/session_update.h"
#include "oidc/status.h"
#include "oidc/token.h"
#include "oidc/url.h"
#include "oidc/userinfo.h"
