// `gatehouse check --cases FILE.yaml`: requests with their expected outcome, checked one by
// one so policies can be tested in CI. The file format is in docs/authorization.md.
#include <yaml-cpp/yaml.h>

#include <boost/json/serialize.hpp>
#include <iostream>
#include <set>

#include "app/check.h"
#include "authn/identity.h"

namespace gatehouse::app {
namespace {

const std::set<std::string> kCaseFields = {"name",     "request", "headers", "token", "claims",
                                           "sourceIp", "expect",  "status",  "policy"};

struct Case {
  std::string name;
  int line = 0;
  CheckRequest request;
  bool expect_denied = false;
  std::optional<unsigned> status;
  std::string policy;
};

// A YAML value as JSON: quoted scalars stay strings; plain ones become what they spell.
boost::json::value to_json(const YAML::Node& node) {
  if (node.IsMap()) {
    boost::json::object out;
    for (const auto& item : node) out[item.first.as<std::string>()] = to_json(item.second);
    return out;
  }
  if (node.IsSequence()) {
    boost::json::array out;
    for (const auto& item : node) out.push_back(to_json(item));
    return out;
  }
  if (node.IsNull()) return nullptr;
  const std::string text = node.Scalar();
  if (node.Tag() != "!") {
    if (text == "true" || text == "false") return text == "true";
    int64_t whole = 0;
    double real = 0;
    if (YAML::convert<int64_t>::decode(node, whole)) return whole;
    if (YAML::convert<double>::decode(node, real)) return real;
  }
  return boost::json::string(text);
}

std::string where(const std::string& path, const YAML::Node& node) {
  return path + ":" + std::to_string(node.Mark().line + 1) + ": ";
}

// One case, or the first problem with it.
std::optional<Case> read_case(const std::string& path, const YAML::Node& node, std::string& error) {
  if (!node.IsMap()) {
    error = where(path, node) + "a case is a map";
    return std::nullopt;
  }
  Case c;
  c.line = node.Mark().line + 1;
  for (const auto& item : node) {
    const auto key = item.first.as<std::string>();
    if (!kCaseFields.contains(key)) {
      error = where(path, item.first) + "unknown field \"" + key + "\"";
      return std::nullopt;
    }
  }
  c.name = node["name"] ? node["name"].as<std::string>() : "line " + std::to_string(c.line);
  const std::string request = node["request"] ? node["request"].as<std::string>() : "";
  const auto space = request.find(' ');
  if (space == std::string::npos) {
    error = where(path, node) + "request wants 'METHOD URL'";
    return std::nullopt;
  }
  c.request.method = request.substr(0, space);
  c.request.url = request.substr(space + 1);
  if (const auto headers = node["headers"]) {
    if (!headers.IsMap()) {
      error = where(path, headers) + "headers is a map of name: value";
      return std::nullopt;
    }
    for (const auto& h : headers)
      c.request.headers.emplace_back(h.first.as<std::string>(), h.second.as<std::string>());
  }
  if (node["token"] && node["claims"]) {
    error = where(path, node) + "a case has token or claims, not both";
    return std::nullopt;
  }
  if (node["token"]) c.request.token = node["token"].as<std::string>();
  if (const auto claims = node["claims"]) {
    c.request.claims =
        claims.IsScalar() ? claims.Scalar() : boost::json::serialize(to_json(claims));
    std::string why;
    if (!authn::identity_from_payload(c.request.claims, {}, why)) {
      error = where(path, claims) + "claims: " + why;
      return std::nullopt;
    }
  }
  if (node["sourceIp"]) c.request.source_ip = node["sourceIp"].as<std::string>();
  const std::string expect = node["expect"] ? node["expect"].as<std::string>() : "";
  if (expect != "allow" && expect != "deny") {
    error = where(path, node) + "expect must be allow or deny";
    return std::nullopt;
  }
  c.expect_denied = expect == "deny";
  if (node["status"]) c.status = node["status"].as<unsigned>();
  if (node["policy"]) c.policy = node["policy"].as<std::string>();
  return c;
}

// Why the result is not what the case expects; empty when it is.
std::string mismatch(const Case& c, const CheckResult& r) {
  if (!r.error.empty()) return r.error;
  const bool denied = r.denied || r.refused;
  if (denied != c.expect_denied)
    return std::string("expected ") + (c.expect_denied ? "deny" : "allow") + ", got " +
           (denied ? "deny" : "allow") + " (" + result_text(r) + ")";
  if (c.status && r.status != c.status)
    return "expected status " + std::to_string(*c.status) + ", got " + result_text(r);
  if (!c.policy.empty() && r.policy != c.policy)
    return "expected policy " + c.policy + ", got " + (r.policy.empty() ? "none" : r.policy);
  return {};
}

}  // namespace

int run_check_cases(const gateway::Runtime& rt, const authn::KeyTable& keys,
                    const std::string& path) {
  std::vector<Case> cases;
  try {
    const YAML::Node root = YAML::LoadFile(path);
    if (!root.IsMap() || !root["cases"] || !root["cases"].IsSequence()) {
      std::cerr << path << ": expected a map with a list `cases`\n";
      return 2;
    }
    for (const auto& node : root["cases"]) {
      std::string error;
      auto c = read_case(path, node, error);
      if (!c) {
        std::cerr << error << "\n";
        return 2;
      }
      cases.push_back(std::move(*c));
    }
  } catch (const YAML::Exception& e) {
    std::cerr << path << ": " << e.what() << "\n";
    return 2;
  }
  std::size_t failed = 0;
  for (const Case& c : cases) {
    const CheckResult result = check_request(rt, keys, c.request);
    const std::string why = mismatch(c, result);
    failed += why.empty() ? 0 : 1;
    std::cout << (why.empty() ? "PASS  " : "FAIL  ") << c.name;
    if (!why.empty()) {
      std::cout << ": " << why << " (" << path << ":" << c.line << ")\n";
      for (const auto& [step, outcome] : result.steps)
        std::cout << "      " << step << ": " << outcome << "\n";
    } else {
      std::cout << "\n";
    }
  }
  std::cout << cases.size() - failed << " passed, " << failed << " failed\n";
  return failed == 0 ? 0 : 1;
}

}  // namespace gatehouse::app
