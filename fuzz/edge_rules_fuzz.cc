// Fuzz target for the edge's listener rules: the input is up to 17 lines (see Line) holding
// the values of six rules (path-pattern, http-header, query-string, source-ip,
// http-request-method, and all of them at once), a redirect default action, and a request.
// Checked against independent models: globs (with query-string escapes) against a
// backtracking matcher, CIDR blocks by flipping single address bits, the decoded query by
// its size and visible text, select() against first-match over every rule's conditions, and
// every generated redirect for a clean Location. Must never crash; broken invariants abort.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "edge/listener_rules.h"

namespace {

using namespace gatehouse;
using namespace gatehouse::edge;

enum Line : std::size_t {
  kPathPattern,
  kHeaderPattern,
  kQueryKey,
  kQueryValue,
  kCidr,
  kMethodValue,
  kRedirectHost,
  kRedirectPath,
  kRedirectQuery,
  kRedirectProtocol,
  kRedirectPort,
  kRequestPath,
  kRequestQuery,
  kRequestHeader,
  kRequestPeer,
  kRequestAuthority,
  kRequestMethod,
  kLineCount
};

[[noreturn]] void broken(const char* what, std::string_view input) {
  std::fprintf(stderr, "edge invariant broken: %s\ninput (%zu bytes): %.*s\n", what, input.size(),
               static_cast<int>(input.size()), input.data());
  std::abort();
}

std::vector<std::string> split_lines(std::string_view input) {
  std::vector<std::string> lines;
  while (lines.size() + 1 < kLineCount) {
    const std::size_t end = input.find('\n');
    if (end == std::string_view::npos) break;
    lines.emplace_back(input.substr(0, end));
    input.remove_prefix(end + 1);
  }
  lines.emplace_back(input);
  lines.resize(kLineCount);
  return lines;
}

// Backtracking reference for `*`/`?` globs: literal[i] says pattern[i] is escaped.
bool model_glob(const std::string& pattern, const std::vector<bool>& literal, std::string_view text,
                bool fold) {
  auto lower = [&](char c) { return fold && c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
  std::size_t p = 0, t = 0, star = std::string::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && !literal[p] && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.size() &&
               ((!literal[p] && pattern[p] == '?') || lower(pattern[p]) == lower(text[t]))) {
      ++p;
      ++t;
    } else if (star != std::string::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && !literal[p] && pattern[p] == '*') ++p;
  return p == pattern.size();
}

void check_glob(std::string_view written, std::string_view text, std::string_view input) {
  if (written.size() > 40 || text.size() > 200) return;  // keep the model cheap
  for (GlobEscapes escapes : {GlobEscapes::None, GlobEscapes::Backslash}) {
    std::string pattern;
    std::vector<bool> literal;
    bool valid = true;
    for (std::size_t i = 0; i < written.size(); ++i) {
      if (escapes == GlobEscapes::Backslash && written[i] == '\\') {
        if (i + 1 == written.size() ||
            std::string_view("*?\\").find(written[i + 1]) == std::string_view::npos) {
          valid = false;
          break;
        }
        ++i;
        pattern += written[i];
        literal.push_back(true);
      } else {
        pattern += written[i];
        literal.push_back(false);
      }
    }
    for (GlobCase letter_case : {GlobCase::Sensitive, GlobCase::Insensitive}) {
      auto glob = Glob::compile(written, letter_case, escapes);
      if (glob.has_value() != valid) broken("glob accepts differently from the model", input);
      if (glob && glob->matches(text) !=
                      model_glob(pattern, literal, text, letter_case == GlobCase::Insensitive))
        broken("glob matches differently from the model", input);
    }
  }
}

void check_prefix(std::string_view cidr, std::string_view input) {
  std::string problem;
  auto prefix = IpPrefix::parse(cidr, problem);
  if (!prefix) {
    if (problem.empty()) broken("refused CIDR without a reason", input);
    return;
  }
  const std::string_view address_text = cidr.substr(0, cidr.find('/'));
  auto base = IpAddress::parse(address_text);
  if (!base || !prefix->contains(*base)) broken("a block does not contain its own address", input);
  const unsigned length =
      static_cast<unsigned>(std::stoul(std::string(cidr.substr(cidr.find('/') + 1))));
  const unsigned bits = address_text.find(':') == std::string_view::npos ? 96 + length : length;
  for (unsigned bit = 0; bit < 128; ++bit) {
    IpAddress flipped = *base;
    flipped.bytes[bit / 8] ^= static_cast<uint8_t>(0x80 >> (bit % 8));
    if (prefix->contains(flipped) != (bit >= bits))
      broken("a flipped address bit is judged against the wrong prefix length", input);
  }
}

void check_query(std::string_view query, std::string_view input) {
  std::string storage;
  std::vector<QueryParameter> parameters;
  parse_query(query, storage, parameters);
  std::size_t decoded = 0;
  for (const QueryParameter& p : parameters) {
    decoded += p.key.size() + p.value.size();
    for (char c : std::string(p.key) + std::string(p.value)) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
        broken("a decoded parameter holds a control character", input);
    }
  }
  if (decoded > query.size()) broken("decoding grew the query", input);
}

config::RuleCondition condition(std::string field, std::vector<std::string> values) {
  config::RuleCondition out;
  out.field = std::move(field);
  out.values = std::move(values);
  return out;
}

// The six rules, each kept only when it compiles on its own (a bad value would otherwise
// refuse the whole listener), and the redirect as the default action when it compiles.
config::Listener build_listener(const std::vector<std::string>& lines) {
  config::RuleCondition header = condition("http-header", {lines[kHeaderPattern]});
  header.http_header_name = "X-Fuzz";
  config::RuleCondition query = condition("query-string", {});
  query.query_values = {
      {.key = lines[kQueryKey].empty() ? std::nullopt : std::optional(lines[kQueryKey]),
       .value = lines[kQueryValue]}};
  const std::vector<config::RuleCondition> singles = {
      condition("path-pattern", {lines[kPathPattern]}), header, query,
      condition("source-ip", {lines[kCidr]}),
      condition("http-request-method", {lines[kMethodValue]})};

  config::RuleAction forward;
  forward.type = "forward";
  forward.target_groups = {{.target_group_name = "tg", .weight = 1}};
  config::RuleAction fixed;
  fixed.type = "fixed-response";
  fixed.fixed_response = config::FixedResponseConfig{
      .status_code = 200, .content_type = "text/plain", .message_body = "matched"};
  config::RuleAction redirect;
  redirect.type = "redirect";
  redirect.redirect = config::RedirectConfig{.protocol = lines[kRedirectProtocol],
                                             .host = lines[kRedirectHost],
                                             .port = lines[kRedirectPort],
                                             .path = lines[kRedirectPath],
                                             .query = lines[kRedirectQuery],
                                             .status_code = 301};

  config::Listener listener;
  listener.port = 80;
  listener.default_actions = {forward};
  std::vector<config::RuleCondition> all;
  for (std::size_t i = 0; i <= singles.size(); ++i) {
    config::ListenerRule rule;
    rule.priority = static_cast<uint32_t>(i + 1);
    rule.conditions = i < singles.size() ? std::vector{singles[i]} : all;
    rule.actions = {i % 2 ? forward : fixed};
    config::Listener alone = listener;
    alone.rules = {rule};
    if (rule.conditions.empty() || !compile(alone).rules) continue;
    if (i < singles.size()) all.push_back(singles[i]);
    listener.rules.push_back(std::move(rule));
  }
  config::Listener with_redirect = listener;
  with_redirect.default_actions = {redirect};
  return compile(with_redirect).rules ? with_redirect : listener;
}

void check_response(const GeneratedResponse& response, std::string_view input) {
  if (response.body.empty()) broken("a generated response without a body", input);
  if (response.status_code == 400) {
    if (!response.location.empty()) broken("a 400 with a Location", input);
    return;
  }
  if (response.status_code != 301) broken("a redirect answered with another status", input);
  const std::string& location = response.location;
  if (!location.starts_with("http://") && !location.starts_with("https://"))
    broken("a Location without an http(s) scheme", input);
  for (char c : location) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      broken("a Location with a space or control character", input);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::vector<std::string> lines = split_lines(input);
  check_glob(lines[kPathPattern], lines[kRequestPath], input);
  check_glob(lines[kQueryValue], lines[kRequestHeader], input);
  check_prefix(lines[kCidr], input);
  check_query(lines[kRequestQuery], input);

  const config::Listener config = build_listener(lines);
  CompileResult compiled = compile(config);
  if (!compiled.rules) broken("a listener of rules that compile alone does not compile", input);
  const HeaderField header{"x-fuzz", lines[kRequestHeader]};
  const RequestView request{.method = lines[kRequestMethod],
                            .scheme = "http",
                            .authority = lines[kRequestAuthority],
                            .path = lines[kRequestPath],
                            .query = lines[kRequestQuery],
                            .peer_ip = lines[kRequestPeer],
                            .listener_port = 80,
                            .headers = {&header, 1}};
  const Rule& chosen = compiled.rules->select(request);
  const RequestFacts facts(request);
  for (const Rule& rule : compiled.rules->rules()) {
    bool all_match = true;
    for (const Condition& c : rule.conditions) all_match = all_match && c.matches(facts);
    if (all_match) {
      if (&rule != &chosen) broken("select() did not pick the first matching rule", input);
      break;
    }
  }
  if (const auto* redirect = std::get_if<RedirectAction>(&chosen.actions.back()))
    check_response(render(*redirect, request), input);
  return 0;
}
