// `gatehouse check` from the command line: builds the configuration offline, then checks one
// request or a file of cases and prints the steps.
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/check.h"
#include "app/commands.h"
#include "app/config_files.h"

namespace gatehouse::app {
namespace {

// "METHOD URL" into the request; false when it is not two words.
bool split_request_line(const std::string& line, CheckRequest& out) {
  std::istringstream words(line);
  std::string extra;
  return static_cast<bool>(words >> out.method >> out.url) && !(words >> extra);
}

bool split_header(const std::string& text, std::pair<std::string, std::string>& out) {
  const auto colon = text.find(':');
  if (colon == std::string::npos || colon == 0) return false;
  std::string_view value = std::string_view(text).substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  out = {text.substr(0, colon), std::string(value)};
  return true;
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
    std::ifstream in(options.jwks);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) return usage("cannot read " + options.jwks);
    jwks_text = text.str();
  }
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
  req.source_ip = options.source_ip;
  const CheckResult result = check_request(rt, *keys, req);
  if (!result.error.empty()) return usage(result.error);
  std::cout << "request   " << req.method << " " << req.url << "\n";
  for (const auto& [step, outcome] : result.steps)
    std::cout << step << std::string(step.size() < 10 ? 10 - step.size() : 1, ' ') << outcome
              << "\n";
  std::cout << "result    "
            << (result.status ? std::to_string(*result.status) + (result.denied ? " denied" : "")
                              : std::string("forwarded"))
            << "\n";
  return result.denied ? 1 : 0;
}

}  // namespace gatehouse::app
