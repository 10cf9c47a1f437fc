// A small reader for the Prometheus text format, independent of the writer, so tests
// check the exposition by parsing it back instead of comparing raw text.
#pragma once

#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace gatehouse::telemetry::testing {

struct Sample {
  std::string name;
  std::vector<std::pair<std::string, std::string>> labels;  // values unescaped
  std::string value;
};

// One sample line: name{k="v",...} value. nullopt when the line is malformed.
inline std::optional<Sample> parse_sample(const std::string& line) {
  Sample sample;
  std::size_t pos = 0;
  auto name_char = [](char c, bool first) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
           (!first && c >= '0' && c <= '9');
  };
  while (pos < line.size() && name_char(line[pos], pos == 0)) sample.name.push_back(line[pos++]);
  if (sample.name.empty()) return std::nullopt;
  if (pos < line.size() && line[pos] == '{') {
    ++pos;
    while (pos < line.size() && line[pos] != '}') {
      std::string key;
      while (pos < line.size() && name_char(line[pos], key.empty())) key.push_back(line[pos++]);
      if (key.empty() || line.compare(pos, 2, "=\"") != 0) return std::nullopt;
      pos += 2;
      std::string value;
      while (pos < line.size() && line[pos] != '"') {
        char c = line[pos++];
        if (c == '\n') return std::nullopt;
        if (c == '\\') {
          if (pos == line.size()) return std::nullopt;
          const char escaped = line[pos++];
          if (escaped == 'n')
            c = '\n';
          else if (escaped == '\\' || escaped == '"')
            c = escaped;
          else
            return std::nullopt;
        }
        value.push_back(c);
      }
      if (pos == line.size()) return std::nullopt;
      ++pos;  // closing quote
      sample.labels.emplace_back(std::move(key), std::move(value));
      if (pos < line.size() && line[pos] == ',') ++pos;
    }
    if (pos == line.size()) return std::nullopt;
    ++pos;  // '}'
  }
  if (pos >= line.size() || line[pos] != ' ') return std::nullopt;
  sample.value = line.substr(pos + 1);
  if (sample.value.empty() || sample.value.find(' ') != std::string::npos) return std::nullopt;
  return sample;
}

struct Exposition {
  std::vector<Sample> samples;
  std::map<std::string, std::string> types;  // metric family -> counter/gauge/histogram
  std::vector<std::string> malformed;

  // The value of the sample with exactly these labels, or nullopt.
  std::optional<std::string> value(
      const std::string& name,
      const std::vector<std::pair<std::string, std::string>>& labels = {}) const {
    for (const auto& sample : samples)
      if (sample.name == name && sample.labels == labels) return sample.value;
    return std::nullopt;
  }
};

inline Exposition parse_exposition(const std::string& text) {
  Exposition exposition;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("# TYPE ", 0) == 0) {
      const auto space = line.find(' ', 7);
      exposition.types[line.substr(7, space - 7)] = line.substr(space + 1);
    } else if (line.rfind("# HELP ", 0) == 0) {
      continue;
    } else if (auto sample = parse_sample(line)) {
      exposition.samples.push_back(std::move(*sample));
    } else {
      exposition.malformed.push_back(line);
    }
  }
  return exposition;
}

}  // namespace gatehouse::telemetry::testing
