// `gatehouse check` from the command line: builds the configuration offline, then checks one
// request or a file of cases and prints the steps.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/check.h"
#include "app/commands.h"
#include "app/config_files.h"
#include "authn/identity.h"
#include "config/syntax.h"

namespace gatehouse::app {
namespace {

// "METHOD URL" into the request; false when it is not two words.
bool split_request_line(const std::string& line, CheckRequest& out) {
  std::istringstream words(line);
  std::string extra;
  return static_cast<bool>(words >> out.method >> out.url) && !(words >> extra);
}

// "Name: value" split at the first colon; the value is kept as given, since the gateway's
// parser, which check runs it through, is what trims and judges it.
bool split_header(const std::string& text, std::pair<std::string, std::string>& out) {
  const auto colon = text.find(':');
  if (colon == std::string::npos || colon == 0) return false;
  out = {text.substr(0, colon), text.substr(colon + 1)};
  return true;
}

// The whole of a regular, non-empty file.
std::optional<std::string> read_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in || text.str().empty()) return std::nullopt;
  return text.str();
}

int usage(const std::string& message) {
  std::cerr << "gatehouse check: " << message << "\n";
  return 2;
}

}  // namespace

int check(const CheckOptions& options) {
  ConfigFiles files = read_config_files(options.config_paths);
  for (const auto& e : files.errors) std::cerr << e << "\n";
  if (!files.errors.empty()) return 2;
  auto built = gateway::Runtime::build(std::move(files.files), nullptr, /*resolve_hosts=*/false);
  for (const auto& e : built.errors) std::cerr << e << "\n";
  if (!built.errors.empty()) return 2;
  const gateway::Runtime& rt = *built.runtime;

  std::string jwks_text;
  if (!options.jwks.empty()) {
    auto text = read_file(options.jwks);
    if (!text) return usage("cannot read " + options.jwks + " (not a non-empty file)");
    jwks_text = std::move(*text);
  }
  if (!config::is_ip(options.source_ip))
    return usage("--source-ip wants an IP address, got \"" + options.source_ip + "\"");
  std::string error;
  const auto keys = check_keys(rt, jwks_text, error);
  if (!keys) return usage(options.jwks + ": " + error);
  if (!options.cases.empty()) return run_check_cases(rt, *keys, options.cases);

  CheckRequest req;
  if (!split_request_line(options.request, req))
    return usage("--request wants 'METHOD URL', got \"" + options.request + "\"");
  for (const auto& text : options.headers) {
    std::pair<std::string, std::string> header;
    if (!split_header(text, header)) return usage("--header wants 'Name: value', got " + text);
    req.headers.push_back(std::move(header));
  }
  req.token = options.token;
  req.claims = options.claims;
  if (std::string why; !req.claims.empty() && !authn::identity_from_payload(req.claims, {}, why))
    return usage("--claims: " + why);
  req.source_ip = options.source_ip;
  const CheckResult result = check_request(rt, *keys, req);
  if (!result.error.empty()) return usage(result.error);
  std::cout << "request   " << req.method << " " << req.url << "\n";
  for (const auto& [step, outcome] : result.steps)
    std::cout << step << std::string(step.size() < 10 ? 10 - step.size() : 1, ' ') << outcome
              << "\n";
  std::cout << "result    " << result_text(result) << "\n";
  return result.denied || result.refused ? 1 : 0;
}

}  // namespace gatehouse::app
