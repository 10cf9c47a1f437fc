// gatehouse.dev MeshConfig: the mesh-wide settings Istio keeps in meshConfig.
#include <array>

#include "config/decode.h"
#include "config/did_you_mean.h"
#include "config/syntax.h"

namespace gatehouse::config {
namespace {

// DEFAULT is Istio's name for "the default", which currently is BASE.
constexpr std::array<std::string_view, 5> kNormalizationNames{
    "NONE", "BASE", "DEFAULT", "MERGE_SLASHES", "DECODE_AND_MERGE_SLASHES"};
constexpr std::array<PathNormalization, 5> kNormalizationValues{
    PathNormalization::None, PathNormalization::Base, PathNormalization::Base,
    PathNormalization::MergeSlashes, PathNormalization::DecodeAndMergeSlashes};

}  // namespace

void decode_mesh_config(const Value& spec_value, MeshConfig& out) {
  Object spec = spec_value.object({"rootNamespace", "pathNormalization"});
  Value root = spec.get("rootNamespace");
  if (auto text = root.string()) {
    if (!is_dns_label(*text)) {
      root.error("invalid namespace " + quote(*text) +
                 ": must be a lower-case RFC 1123 label (letters, digits, '-'; at most 63)");
    }
    out.root_namespace = *text;
  }
  Object normalization = spec.get("pathNormalization").object({"normalization"});
  if (auto index = normalization.get("normalization").one_of(kNormalizationNames)) {
    out.path_normalization = kNormalizationValues[*index];
  }
}

}  // namespace gatehouse::config
