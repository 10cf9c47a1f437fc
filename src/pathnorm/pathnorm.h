// Request-target normalization as Istio's mesh-wide pathNormalization does it (Envoy's
// normalize_path, merge_slashes, path_with_escaped_slashes_action), run once before routing
// and policy. Pure functions over strings, no I/O; safe to call from any thread.
//
// gatehouse is stricter than Envoy on purpose: instead of silently dropping a ".." above the
// root or keeping a malformed escape, it refuses the request (the engine answers 400).
//
// Usage on the request path:
//   pathnorm::Normalized normalized;  // per worker, reused across requests
//   auto status = pathnorm::normalize(target, mode, normalized);
//   if (status != pathnorm::Status::Ok) return bad_request(pathnorm::message(status));
//   route(normalized.path(), normalized.query());
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

namespace gatehouse::pathnorm {

// meshConfig.pathNormalization.normalization; DEFAULT is Base.
enum class Mode {
  None,                  // strip the fragment only
  Base,                  // RFC 3986: decode unreserved escapes, '\' -> '/', resolve dot segments
  MergeSlashes,          // Base, then collapse runs of '/'
  DecodeAndMergeSlashes  // decode %2F and %5C to '/', then MergeSlashes
};

// Why a request-target is refused. Every mode refuses the same inputs, except that
// DecodeAndMergeSlashes also sees the ".." segments that %2F/%5C create.
enum class Status {
  Ok,
  NotOriginForm,       // empty, or does not start with '/' (absolute-form, authority-form, '*')
  ControlCharacter,    // a raw byte 0x00-0x1F, 0x7F or space anywhere in the target
  NulByte,             // "%00" in the path
  BadPercentEncoding,  // '%' in the path not followed by two hex digits
  AboveRoot,           // a ".." segment (also "%2E%2E") would climb above "/"
};

// One fixed, human-readable message per code (never empty, all distinct).
std::string_view message(Status status);

// The normalized request-target, held in one string so a caller can reuse its capacity.
struct Normalized {
  // The normalized path, then '?' and the query verbatim when the received target had a '?'.
  // This is what goes upstream; the fragment is never kept.
  std::string target;
  std::size_t path_size = 0;  // target[0, path_size) is the path
  // True when `target` differs from the received request-target (path rewritten or a
  // fragment stripped), i.e. the request line sent upstream must be rebuilt.
  bool changed = false;

  std::string_view path() const { return std::string_view(target).substr(0, path_size); }
  // After the '?', without it; empty when there is none.
  std::string_view query() const {
    return path_size < target.size() ? std::string_view(target).substr(path_size + 1)
                                     : std::string_view();
  }
};

// Normalizes an origin-form request-target ("/path?query#fragment") into `out`, reusing its
// capacity (no allocation once it is large enough). Returns Status::Ok on success; on any
// other status `out` holds unspecified contents. The query is checked for control
// characters but never rewritten.
[[nodiscard]] Status normalize(std::string_view target, Mode mode, Normalized& out);

// Same, returning a fresh Normalized; for callers that keep no buffer around.
[[nodiscard]] std::variant<Normalized, Status> normalize(std::string_view target, Mode mode);

}  // namespace gatehouse::pathnorm
