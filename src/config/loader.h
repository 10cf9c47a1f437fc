// Turns YAML text (Kubernetes-style, multi-document) into typed resources, strictly:
// unknown fields are errors with a did-you-mean, every error carries file:line.
// Pure: the caller reads the files; this module never touches the file system.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "config/identity_provider.h"
#include "config/resources.h"

namespace gatehouse::config {

struct SourceFile {
  std::string name;  // shown in errors, usually the path
  std::string text;
};

struct Error {
  SourceLocation where;
  std::string resource;  // "kind/namespace/name", empty when the document has none yet
  std::string message;
  // "file:line: resource kind/namespace/name: message" (the resource part only when known).
  std::string to_string() const;
};

struct LoadResult {
  Snapshot snapshot;
  std::vector<IdentityProvider> identity_providers;  // gatehouse idp and demo only
  std::vector<Error> errors;
  bool ok() const { return errors.empty(); }
};

// Decodes and validates every document of every file, including references between
// resources (a VirtualService's gateways, a Listener's target groups, ...). All errors
// are collected; the snapshot is only meaningful when ok().
LoadResult load(std::span<const SourceFile> files);

}  // namespace gatehouse::config
