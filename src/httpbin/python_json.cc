#include "httpbin/python_json.h"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <vector>

#include "httpbin/text_codec.h"

namespace gatehouse::httpbin {
namespace {

void append_u_escape(std::string& out, unsigned unit) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out.push_back(kHex[(unit >> shift) & 0xF]);
}

void append_string(std::string& out, std::string_view text) {
  out.push_back('"');
  while (!text.empty()) {
    Utf8Step step = next_utf8(text);
    text.remove_prefix(step.length);
    char32_t cp = step.code_point;
    switch (cp) {
      case '"':
        out += "\\\"";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      case '\b':
        out += "\\b";
        continue;
      case '\f':
        out += "\\f";
        continue;
    }
    if (cp >= 0x20 && cp <= 0x7E) {
      out.push_back(static_cast<char>(cp));
    } else if (cp <= 0xFFFF) {
      append_u_escape(out, cp);
    } else {
      cp -= 0x10000;
      append_u_escape(out, 0xD800 + (cp >> 10));
      append_u_escape(out, 0xDC00 + (cp & 0x3FF));
    }
  }
  out.push_back('"');
}

// Python's float repr: the shortest round-trip digits, positional when the decimal exponent is
// in [-4, 16), scientific otherwise, and always a ".0" on whole numbers.
void append_double(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
    return;
  }
  if (std::isinf(value)) {
    out += value < 0 ? "-Infinity" : "Infinity";
    return;
  }
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  std::string_view sci(buf, end - buf);  // "-d.ddde+XX"
  std::size_t e_pos = sci.find('e');
  int exponent = 0;
  std::from_chars(sci.data() + e_pos + (sci[e_pos + 1] == '+' ? 2 : 1), sci.data() + sci.size(),
                  exponent);
  if (exponent < -4 || exponent >= 16) {
    out.append(sci);
    return;
  }
  std::string_view mantissa = sci.substr(0, e_pos);
  if (mantissa.front() == '-') {
    out.push_back('-');
    mantissa.remove_prefix(1);
  }
  std::string digits;
  for (char c : mantissa)
    if (c != '.') digits.push_back(c);
  if (exponent < 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-exponent - 1), '0');
    out += digits;
    return;
  }
  std::size_t integer_digits = static_cast<std::size_t>(exponent) + 1;
  if (digits.size() <= integer_digits) {
    out += digits;
    out.append(integer_digits - digits.size(), '0');
    out += ".0";
  } else {
    out.append(digits, 0, integer_digits);
    out.push_back('.');
    out.append(digits, integer_digits);
  }
}

template <class Integer>
void append_integer(std::string& out, Integer value) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, end);
}

void append_newline(std::string& out, int depth) {
  out.push_back('\n');
  out.append(static_cast<std::size_t>(depth) * 2, ' ');
}

class Writer {
 public:
  Writer(std::string& out, JsonStyle style) : out_(out), style_(style) {}

  void write(const boost::json::value& value, int depth) {
    switch (value.kind()) {
      case boost::json::kind::null:
        out_ += "null";
        return;
      case boost::json::kind::bool_:
        out_ += value.get_bool() ? "true" : "false";
        return;
      case boost::json::kind::int64:
        append_integer(out_, value.get_int64());
        return;
      case boost::json::kind::uint64:
        append_integer(out_, value.get_uint64());
        return;
      case boost::json::kind::double_:
        append_double(out_, value.get_double());
        return;
      case boost::json::kind::string:
        append_string(out_, value.get_string());
        return;
      case boost::json::kind::array:
        write_array(value.get_array(), depth);
        return;
      case boost::json::kind::object:
        write_object(value.get_object(), depth);
        return;
    }
  }

 private:
  void separator(bool first, int depth) {
    if (!first) out_.push_back(',');
    switch (style_) {
      case JsonStyle::kPretty:
        append_newline(out_, depth);
        return;
      case JsonStyle::kDumps:
        if (!first) out_.push_back(' ');
        return;
    }
  }

  void close(char bracket, int depth) {
    if (style_ == JsonStyle::kPretty) append_newline(out_, depth);
    out_.push_back(bracket);
  }

  void write_array(const boost::json::array& array, int depth) {
    if (array.empty()) {
      out_ += "[]";
      return;
    }
    out_.push_back('[');
    bool first = true;
    for (const auto& element : array) {
      separator(first, depth + 1);
      first = false;
      write(element, depth + 1);
    }
    close(']', depth);
  }

  void write_object(const boost::json::object& object, int depth) {
    if (object.empty()) {
      out_ += "{}";
      return;
    }
    std::vector<const boost::json::key_value_pair*> members;
    members.reserve(object.size());
    for (const auto& member : object) members.push_back(&member);
    if (style_ == JsonStyle::kPretty) {
      std::sort(members.begin(), members.end(),
                [](auto* a, auto* b) { return a->key() < b->key(); });
    }
    out_.push_back('{');
    bool first = true;
    for (const auto* member : members) {
      separator(first, depth + 1);
      first = false;
      append_string(out_, member->key());
      out_ += ": ";
      write(member->value(), depth + 1);
    }
    close('}', depth);
  }

  std::string& out_;
  JsonStyle style_;
};

}  // namespace

void append_python_json(std::string& out, const boost::json::value& value, JsonStyle style) {
  Writer(out, style).write(value, 0);
}

std::string jsonify(const boost::json::value& value) {
  std::string out;
  append_python_json(out, value, JsonStyle::kPretty);
  out.push_back('\n');
  return out;
}

}  // namespace gatehouse::httpbin
