#include <CLI/CLI.hpp>
#include <iostream>
#include <tuple>

#include "app/commands.h"

#ifndef GATEHOUSE_VERSION
#define GATEHOUSE_VERSION "0.0.0"
#endif

int main(int argc, char** argv) {
  using namespace gatehouse::app;
  CLI::App cli{
      "gatehouse: an identity-aware gateway (ALB listener rules, Istio routing and "
      "security) in one process"};
  cli.require_subcommand(1);

  RunOptions run;
  auto* run_cmd = cli.add_subcommand("run", "Serve the gateway described by the config");
  run_cmd->add_option("-c,--config", run.config_paths, "YAML file or folder (repeatable)")
      ->required();
  run_cmd->add_option("--workers", run.workers, "Worker threads (default: one per core)");
  run_cmd->add_option("--admin", run.admin, "Admin listener ADDR:PORT (empty: none)")
      ->capture_default_str();
  run_cmd->add_option("--access-log", run.access_log, "Access log file, - for stdout, empty: off")
      ->capture_default_str();
  run_cmd
      ->add_option("--header-timeout", run.header_timeout_seconds,
                   "Seconds a client has to send a request head")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  run_cmd
      ->add_option("--idle-timeout", run.idle_timeout_seconds,
                   "Seconds of silence allowed on a client or upstream connection")
      ->capture_default_str()
      ->check(CLI::Range(1, 86400));

  run_cmd
      ->add_option("--jwks-refresh", run.jwks_refresh_seconds,
                   "Seconds between fetches of each JWT key set (jwksUri)")
      ->capture_default_str()
      ->check(CLI::Range(10, 86400));
  run_cmd->add_option("--jwks-ca-file", run.jwks_ca_file,
                      "CA bundle for https key sets (default: the system's trusted roots)");

  std::vector<std::string> validate_paths;
  auto* validate_cmd =
      cli.add_subcommand("validate", "Check a config; print every problem as file:line");
  validate_cmd->add_option("-c,--config", validate_paths, "YAML file or folder (repeatable)")
      ->required();

  std::string httpbin_listen = "127.0.0.1:8000";
  unsigned httpbin_workers = 1;
  auto* httpbin_cmd = cli.add_subcommand("httpbin", "Serve the built-in httpbin");
  httpbin_cmd->add_option("--listen", httpbin_listen, "ADDR:PORT")->capture_default_str();
  httpbin_cmd->add_option("--workers", httpbin_workers, "Worker threads")->capture_default_str();

  IdpOptions idp_options;
  auto* idp_cmd = cli.add_subcommand(
      "idp", "Serve the built-in development OpenID Provider (not for production)");
  idp_cmd->add_option("-c,--config", idp_options.config_paths,
                      "YAML file or folder with one IdentityProvider (repeatable)");
  idp_cmd->add_option("--listen", idp_options.listen, "ADDR:PORT (default: spec.listen)");
  auto* hash_password_cmd = idp_cmd->add_subcommand(
      "hash-password", "Print a passwordHash for the password read from stdin");

  DemoOptions demo_options;
  auto* demo_cmd = cli.add_subcommand(
      "demo", "Run the reference setup: built-in IdP and httpbin, and the gateway, in one process");
  demo_cmd->add_option("--seed", demo_options.seed, "Folder of the YAML to copy")
      ->capture_default_str();
  demo_cmd
      ->add_option("--state-dir", demo_options.state_dir,
                   "Folder for the copies, certificate and secrets (kept across runs)")
      ->capture_default_str();
  for (auto [flag, port, what] :
       {std::tuple{"--http-port", &demo_options.http_port, "HTTP listener (redirects to HTTPS)"},
        std::tuple{"--https-port", &demo_options.https_port, "HTTPS listener (login)"},
        std::tuple{"--idp-port", &demo_options.idp_port, "Built-in IdP"},
        std::tuple{"--httpbin-port", &demo_options.httpbin_port, "Built-in httpbin"}})
    demo_cmd->add_option(flag, *port, what)->capture_default_str()->check(CLI::Range(1, 65535));
  demo_cmd->add_option("--admin", demo_options.admin, "Admin listener ADDR:PORT (empty: none)")
      ->capture_default_str();

  auto* token_cmd = cli.add_subcommand("token", "Inspect JWTs");
  token_cmd->require_subcommand(1);
  std::string token;
  auto* decode_cmd =
      token_cmd->add_subcommand("decode", "Print a token's header and payload (no verification)");
  decode_cmd->add_option("TOKEN", token, "The compact JWT")->required();

  TokenVerifyOptions verify;
  auto* verify_cmd = token_cmd->add_subcommand(
      "verify", "Verify a token as the gateway would: same status and message");
  verify_cmd->add_option("TOKEN", verify.token, "The compact JWT")->required();
  auto* jwks_opt = verify_cmd->add_option("--jwks", verify.jwks, "JWKS file or http(s) URL");
  auto* config_opt = verify_cmd->add_option("-c,--config", verify.config_paths,
                                            "Use the RequestAuthentication rules of this config");
  jwks_opt->excludes(config_opt);
  verify_cmd->add_option("--issuer", verify.issuer, "Required issuer (iss)");
  verify_cmd->add_option("--audience", verify.audiences, "Accepted audience (repeatable)");
  verify_cmd->add_option("--ca-file", verify.ca_file, "CA bundle for https key sets");

  CheckOptions check_options;
  auto* check_cmd = cli.add_subcommand(
      "check", "Run a request through routing, authentication and authorization, offline");
  check_cmd->add_option("-c,--config", check_options.config_paths, "Config file or folder")
      ->required();
  auto* request_opt = check_cmd->add_option("--request", check_options.request,
                                            "'METHOD URL', e.g. 'GET https://host/path'");
  auto* cases_opt =
      check_cmd->add_option("--cases", check_options.cases, "YAML file of cases to check");
  request_opt->excludes(cases_opt);
  check_cmd->add_option("-H,--header", check_options.headers, "'Name: value' (repeatable)");
  auto* token_opt =
      check_cmd->add_option("--token", check_options.token, "JWT, where the workload reads it");
  auto* claims_opt = check_cmd->add_option("--claims", check_options.claims,
                                           "JSON claims taken as a verified token's");
  token_opt->excludes(claims_opt);
  check_cmd->add_option("--source-ip", check_options.source_ip, "TCP peer address")
      ->capture_default_str();
  check_cmd->add_option("--jwks", check_options.jwks, "JWKS file for remote key sets");

  auto* version_cmd = cli.add_subcommand("version", "Print the version");

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; every usage error exits 2, as the commands promise.
    return cli.exit(e) == 0 ? 0 : 2;
  }
  block_signals();
  if (*run_cmd) return run_gateway(run);
  if (*validate_cmd) return validate(validate_paths);
  if (*httpbin_cmd) return serve_httpbin(httpbin_listen, httpbin_workers);
  if (*hash_password_cmd) return hash_password_command();
  if (*idp_cmd) {
    if (idp_options.config_paths.empty()) {
      std::cerr << "idp needs --config\n";
      return 2;
    }
    return serve_idp(idp_options);
  }
  if (*demo_cmd) return demo(demo_options);
  if (*decode_cmd) return token_decode(token);
  if (*verify_cmd) {
    if (verify.jwks.empty() && verify.config_paths.empty()) {
      std::cerr << "token verify needs --jwks or --config\n";
      return 2;
    }
    return token_verify(verify);
  }
  if (*check_cmd) {
    if (check_options.request.empty() && check_options.cases.empty()) {
      std::cerr << "check needs --request or --cases\n";
      return 2;
    }
    return check(check_options);
  }
  if (*version_cmd) {
    std::cout << "gatehouse " << GATEHOUSE_VERSION << "\n";
    return 0;
  }
  return 2;
}
