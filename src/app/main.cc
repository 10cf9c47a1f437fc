#include <CLI/CLI.hpp>
#include <iostream>

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

  auto* version_cmd = cli.add_subcommand("version", "Print the version");

  CLI11_PARSE(cli, argc, argv);
  block_signals();
  if (*run_cmd) return run_gateway(run);
  if (*validate_cmd) return validate(validate_paths);
  if (*httpbin_cmd) return serve_httpbin(httpbin_listen, httpbin_workers);
  if (*decode_cmd) return token_decode(token);
  if (*verify_cmd) {
    if (verify.jwks.empty() && verify.config_paths.empty()) {
      std::cerr << "token verify needs --jwks or --config\n";
      return 2;
    }
    return token_verify(verify);
  }
  if (*version_cmd) {
    std::cout << "gatehouse " << GATEHOUSE_VERSION << "\n";
    return 0;
  }
  return 2;
}
