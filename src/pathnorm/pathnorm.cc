#include "pathnorm/pathnorm.h"

#include <array>
#include <cstdlib>
#include <cstring>

namespace gatehouse::pathnorm {
namespace {

// How each byte of a request-target is treated; a table keeps the per-byte loops branch-light.
enum class ByteClass : unsigned char {
  Plain,  // copied as is
  Percent,
  Slash,  // '/' or '\\'
  QueryMark,
  FragmentMark,
  Forbidden,  // raw control character or space: RFC 9112 has no place for it in a target
};

constexpr auto kByteClasses = [] {
  std::array<ByteClass, 256> classes{};
  for (int c = 0; c <= 0x20; ++c) classes[c] = ByteClass::Forbidden;
  classes[0x7F] = ByteClass::Forbidden;
  classes['%'] = ByteClass::Percent;
  classes['/'] = ByteClass::Slash;
  classes['\\'] = ByteClass::Slash;
  classes['?'] = ByteClass::QueryMark;
  classes['#'] = ByteClass::FragmentMark;
  return classes;
}();

ByteClass class_of(char c) { return kByteClasses[static_cast<unsigned char>(c)]; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// Builds the resolved path in a caller's buffer at least as long as the input path: decoding
// and dot-segment removal only ever shrink it. Segments are resolved as they close, so ".."
// pops the output in place (RFC 3986 remove_dot_segments, one pass).
class PathBuilder {
 public:
  explicit PathBuilder(char* buffer) : root_(buffer), end_(buffer + 1), segment_(buffer + 1) {
    *root_ = '/';
  }

  void put(char c) { *end_++ = c; }
  void put_escape(const char* escape) {
    std::memcpy(end_, escape, 3);
    end_ += 3;
  }

  // Closes the current segment at a separator (or at the end of the path, where no '/' is
  // written). Returns false when a ".." segment would climb above the root.
  bool close_segment(bool at_separator) {
    const std::size_t length = end_ - segment_;
    if (length == 1 && segment_[0] == '.') {
      end_ = segment_;
    } else if (length == 2 && segment_[0] == '.' && segment_[1] == '.') {
      char* slash_before_dots = segment_ - 1;
      if (slash_before_dots == root_) return false;
      char* slash = slash_before_dots - 1;
      while (*slash != '/') --slash;  // stops at the latest at root_
      end_ = segment_ = slash + 1;
    } else if (at_separator) {
      *end_++ = '/';
      segment_ = end_;
    }
    return true;
  }

  std::size_t size() const { return end_ - root_; }

 private:
  char* root_;
  char* end_;
  char* segment_;  // first byte of the segment being written
};

struct ResolvedPath {
  std::size_t input_end = 0;  // where the path ends in the target: '?', '#' or its size
  std::size_t size = 0;       // length of the resolved path written to the buffer
};

// Resolves the path at the start of `target` into `buffer` per BASE, decoding %2F/%5C to '/'
// first when `decode_slashes`. Stops at the first '?' or '#'.
Status resolve_path(std::string_view target, bool decode_slashes, char* buffer,
                    ResolvedPath& resolved) {
  PathBuilder builder(buffer);
  auto finish_at = [&](std::size_t input_end) {
    if (!builder.close_segment(false)) return Status::AboveRoot;
    resolved = {.input_end = input_end, .size = builder.size()};
    return Status::Ok;
  };
  std::size_t i = 1;
  while (i < target.size()) {
    switch (class_of(target[i])) {
      case ByteClass::Plain:
        do builder.put(target[i++]);
        while (i < target.size() && class_of(target[i]) == ByteClass::Plain);
        break;
      case ByteClass::Slash:
        if (!builder.close_segment(true)) return Status::AboveRoot;
        ++i;
        break;
      case ByteClass::Percent: {
        if (target.size() - i < 3) return Status::BadPercentEncoding;
        const int high = hex_value(target[i + 1]);
        const int low = hex_value(target[i + 2]);
        if (high < 0 || low < 0) return Status::BadPercentEncoding;
        const auto decoded = static_cast<unsigned char>(high * 16 + low);
        if (decoded == 0) return Status::NulByte;
        if (is_unreserved(decoded)) {
          builder.put(static_cast<char>(decoded));
        } else if (decode_slashes && (decoded == '/' || decoded == '\\')) {
          if (!builder.close_segment(true)) return Status::AboveRoot;
        } else {
          builder.put_escape(target.data() + i);  // hex case kept as received
        }
        i += 3;
        break;
      }
      case ByteClass::QueryMark:
      case ByteClass::FragmentMark:
        return finish_at(i);
      case ByteClass::Forbidden:
        return Status::ControlCharacter;
    }
  }
  return finish_at(target.size());
}

// Checks what follows the path ("?query#fragment") and returns where the fragment starts
// (npos when there is none) through `fragment_mark`.
Status check_after_path(std::string_view target, std::size_t path_end, std::size_t& fragment_mark) {
  fragment_mark = std::string_view::npos;
  for (std::size_t i = path_end; i < target.size(); ++i) {
    const ByteClass byte_class = class_of(target[i]);
    if (byte_class == ByteClass::Forbidden) return Status::ControlCharacter;
    if (byte_class == ByteClass::FragmentMark && fragment_mark == std::string_view::npos)
      fragment_mark = i;
  }
  return Status::Ok;
}

// Collapses runs of '/' in place; returns the new length.
std::size_t merge_slashes(char* path, std::size_t size) {
  const std::size_t first_run = std::string_view(path, size).find("//");
  if (first_run == std::string_view::npos) return size;
  std::size_t written = first_run + 1;
  for (std::size_t i = written; i < size; ++i) {
    if (path[i] == '/' && path[written - 1] == '/') continue;
    path[written++] = path[i];
  }
  return written;
}

}  // namespace

std::string_view message(Status status) {
  switch (status) {
    case Status::Ok:
      return "ok";
    case Status::NotOriginForm:
      return "request-target must start with '/'";
    case Status::ControlCharacter:
      return "request-target contains a control character or space";
    case Status::NulByte:
      return "path contains an encoded NUL (%00)";
    case Status::BadPercentEncoding:
      return "path contains a '%' not followed by two hex digits";
    case Status::AboveRoot:
      return "path climbs above the root with '..'";
  }
  std::abort();  // not a Status value: memory corruption or a bad cast
}

Status normalize(std::string_view target, Mode mode, Normalized& out) {
  if (target.empty() || target.front() != '/') return Status::NotOriginForm;
  out.target.resize(target.size());
  char* buffer = out.target.data();
  ResolvedPath resolved;
  const bool decode_slashes = mode == Mode::DecodeAndMergeSlashes;
  if (auto status = resolve_path(target, decode_slashes, buffer, resolved); status != Status::Ok)
    return status;
  std::size_t fragment_mark = 0;
  if (auto status = check_after_path(target, resolved.input_end, fragment_mark);
      status != Status::Ok)
    return status;

  const std::string_view path = target.substr(0, resolved.input_end);
  const std::string_view kept = target.substr(0, fragment_mark);  // the fragment never goes on
  const std::string_view query_part = kept.substr(path.size());   // "?query" or empty
  std::size_t path_size = resolved.size;
  switch (mode) {
    case Mode::None:
      // Resolved above only to refuse what BASE refuses; the path goes on as received.
      std::memcpy(buffer, path.data(), path.size());
      path_size = path.size();
      break;
    case Mode::Base:
      break;
    case Mode::MergeSlashes:
    case Mode::DecodeAndMergeSlashes:
      path_size = merge_slashes(buffer, path_size);
      break;
  }
  std::memcpy(buffer + path_size, query_part.data(), query_part.size());
  out.target.resize(path_size + query_part.size());
  out.path_size = path_size;
  out.changed = fragment_mark != std::string_view::npos || out.path() != path;
  return Status::Ok;
}

std::variant<Normalized, Status> normalize(std::string_view target, Mode mode) {
  Normalized normalized;
  if (auto status = normalize(target, mode, normalized); status != Status::Ok) return status;
  return normalized;
}

}  // namespace gatehouse::pathnorm
