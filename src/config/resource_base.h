// What every configuration resource shares: where it was written, its Kubernetes metadata
// and its identity. Use resources.h, which includes this.
#pragma once

#include <chrono>
#include <map>
#include <string>

namespace gatehouse::config {

using Labels = std::map<std::string, std::string>;
using Millis = std::chrono::milliseconds;

struct SourceLocation {
  std::string file;
  int line = 0;  // 1-based; 0 when unknown
};

struct Metadata {
  std::string name;
  std::string namespace_ = "default";
  Labels labels;
  Labels annotations;
  std::string creation_timestamp;  // as written; orders VirtualServices deterministically
};

// Fields every resource shares. `where` points at the document's first line.
struct ResourceBase {
  std::string api_version;
  std::string kind;
  Metadata metadata;
  SourceLocation where;
  // "kind/namespace/name", the form used in error messages.
  std::string id() const { return kind + "/" + metadata.namespace_ + "/" + metadata.name; }
};

}  // namespace gatehouse::config
