#include "config/loader.h"

#include <array>
#include <cstdint>
#include <exception>
#include <map>

#include "config/decode.h"
#include "config/did_you_mean.h"
#include "config/syntax.h"
#include "config/yaml_reader.h"
#include "config/yaml_tree.h"

namespace gatehouse::config {
namespace {

constexpr std::size_t kMaxFileBytes = 4 * 1024 * 1024;

enum class Kind {
  Gateway,
  VirtualService,
  ServiceEntry,
  DestinationRule,
  RequestAuthentication,
  AuthorizationPolicy,
  Listener,
  TargetGroup,
  MeshConfig,
  IdentityProvider
};

struct KindName {
  Kind kind;
  std::string_view name;
};

constexpr std::array<std::string_view, 3> kNetworkingVersions{
    "networking.istio.io/v1alpha3", "networking.istio.io/v1beta1", "networking.istio.io/v1"};
// Istio serves RequestAuthentication and AuthorizationPolicy as v1beta1 and v1 only.
constexpr std::array<std::string_view, 2> kSecurityVersions{"security.istio.io/v1beta1",
                                                            "security.istio.io/v1"};
constexpr std::array<std::string_view, 1> kGatehouseVersions{"gatehouse.dev/v1alpha1"};
constexpr std::array<std::string_view, 6> kApiVersions{
    kNetworkingVersions[0], kNetworkingVersions[1], kNetworkingVersions[2],
    kSecurityVersions[0],   kSecurityVersions[1],   kGatehouseVersions[0]};

constexpr std::array<KindName, 4> kNetworkingKinds{{{Kind::Gateway, "Gateway"},
                                                    {Kind::VirtualService, "VirtualService"},
                                                    {Kind::ServiceEntry, "ServiceEntry"},
                                                    {Kind::DestinationRule, "DestinationRule"}}};
constexpr std::array<KindName, 2> kSecurityKinds{
    {{Kind::RequestAuthentication, "RequestAuthentication"},
     {Kind::AuthorizationPolicy, "AuthorizationPolicy"}}};
constexpr std::array<KindName, 4> kGatehouseKinds{{{Kind::Listener, "Listener"},
                                                   {Kind::TargetGroup, "TargetGroup"},
                                                   {Kind::MeshConfig, "MeshConfig"},
                                                   {Kind::IdentityProvider, "IdentityProvider"}}};

// The versions of one API group read its kinds identically.
struct ApiGroup {
  std::span<const std::string_view> versions;
  std::span<const KindName> kinds;
  bool istio;  // Istio's JSON decoding also takes proto field names (https_redirect)
};
constexpr std::array<ApiGroup, 3> kApiGroups{{{kNetworkingVersions, kNetworkingKinds, true},
                                              {kSecurityVersions, kSecurityKinds, true},
                                              {kGatehouseVersions, kGatehouseKinds, false}}};

const ApiGroup* find_group(std::string_view api_version) {
  for (const ApiGroup& group : kApiGroups) {
    for (std::string_view version : group.versions) {
      if (version == api_version) return &group;
    }
  }
  return nullptr;
}

// The text of `key` in a mapping node, without reporting anything: used to name the
// resource in errors found before its metadata has been read strictly.
const YamlNode* peek(const YamlFile& yaml, const YamlNode& mapping, std::string_view key) {
  if (mapping.kind != YamlNode::Kind::Mapping) return nullptr;
  for (std::size_t i = 0; i + 1 < mapping.children.size(); i += 2) {
    const YamlNode& k = yaml.at(mapping.children[i]);
    if (k.kind == YamlNode::Kind::Scalar && k.text == key) return &yaml.at(mapping.children[i + 1]);
  }
  return nullptr;
}

std::string peek_resource_id(const YamlFile& yaml, const YamlNode& root) {
  const YamlNode* kind = peek(yaml, root, "kind");
  const YamlNode* metadata = peek(yaml, root, "metadata");
  if (kind == nullptr || metadata == nullptr || kind->kind != YamlNode::Kind::Scalar) return "";
  const YamlNode* name = peek(yaml, *metadata, "name");
  const YamlNode* ns = peek(yaml, *metadata, "namespace");
  if (name == nullptr || name->kind != YamlNode::Kind::Scalar) return "";
  std::string namespace_ =
      ns != nullptr && ns->kind == YamlNode::Kind::Scalar ? ns->text : std::string("default");
  return kind->text + "/" + namespace_ + "/" + name->text;
}

// Kubernetes writes RFC 3339 in UTC to the second ("2024-01-31T12:00:00Z"). Routing orders
// VirtualServices by comparing this text, which is chronological only in this one shape.
bool is_kubernetes_timestamp(std::string_view text) {
  constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:ddZ";
  if (text.size() != kShape.size()) return false;
  for (std::size_t i = 0; i < kShape.size(); ++i) {
    bool digit = text[i] >= '0' && text[i] <= '9';
    if (kShape[i] == 'd' ? !digit : text[i] != kShape[i]) return false;
  }
  return true;
}

// Gateways are named by `namespace/name` in VirtualServices, so Istio wants a label there.
std::optional<Metadata> read_metadata(const Value& value, bool name_is_label) {
  Object metadata = value.object({"name", "namespace", "labels", "annotations", "creationTimestamp",
                                  "uid", "resourceVersion", "generation"});
  if (!metadata.present()) return std::nullopt;
  Metadata out;
  Value name = metadata.require("name");
  auto name_text = name.string();
  if (!name_text) return std::nullopt;
  if (auto problem = check_object_name(*name_text)) {
    name.error("invalid name " + quote(*name_text) + ": " + *problem);
  } else if (name_is_label && name_text->find('.') != std::string::npos) {
    name.error("invalid name " + quote(*name_text) + ": a Gateway name must not contain dots");
  }
  out.name = *name_text;
  Value ns = metadata.get("namespace");
  if (auto text = ns.string()) {
    if (!is_dns_label(*text)) {
      ns.error("invalid namespace " + quote(*text) +
               ": must be a lower-case RFC 1123 label (letters, digits, '-'; at most 63)");
    }
    out.namespace_ = *text;
  }
  out.labels = read_labels(metadata.get("labels"));
  for (auto& [key, annotation] : metadata.get("annotations").entries()) {
    if (auto problem = check_label_key(key)) {
      annotation.error("invalid annotation key " + quote(key) + ": " + *problem);
    }
    out.annotations[key] = annotation.string().value_or("");
  }
  Value created = metadata.get("creationTimestamp");
  if (auto text = created.string()) {
    if (!is_kubernetes_timestamp(*text)) {
      created.error("expected an RFC 3339 UTC time such as \"2024-01-31T12:00:00Z\", got " +
                    quote(*text));
    }
    out.creation_timestamp = *text;
  }
  // Kubernetes bookkeeping (kubectl get -o yaml): type-checked, then ignored.
  metadata.get("uid").string();
  metadata.get("resourceVersion").string();
  metadata.get("generation").integer(0, INT64_MAX);
  return out;
}

class Loader {
 public:
  void load_file(const SourceFile& file) {
    try {
      read_file(file);
    } catch (const std::exception& e) {
      // Nothing below throws by design; a failed allocation must still refuse the
      // configuration, not end the process.
      diagnostics_.report({file.name, 0}, "", std::string("could not read the file: ") + e.what());
    }
  }

  LoadResult finish() {
    validate_references(snapshot_, refs_, diagnostics_);
    return LoadResult{std::move(snapshot_), std::move(identity_providers_), diagnostics_.take()};
  }

 private:
  void read_file(const SourceFile& file) {
    if (file.text.size() > kMaxFileBytes) {
      diagnostics_.report({file.name, 0}, "",
                          "file is larger than " + std::to_string(kMaxFileBytes / 1024 / 1024) +
                              " MiB (" + std::to_string(file.text.size()) + " bytes)");
      return;
    }
    YamlFile yaml = parse_yaml(file.text);
    for (uint32_t root : yaml.documents) {
      DocumentScope scope{diagnostics_, regexes_, yaml, file.name, {}, false};
      load_document(scope, yaml.at(root));
    }
    if (yaml.error) {
      diagnostics_.report({file.name, yaml.error->line}, "",
                          "invalid YAML: " + yaml.error->message);
    }
  }

  void load_document(DocumentScope& scope, const YamlNode& root) {
    if (root.kind == YamlNode::Kind::Null) return;  // empty document
    Value document(scope, &root, root.line, "");
    if (root.kind != YamlNode::Kind::Mapping) {
      document.error("expected a resource (a mapping with apiVersion, kind, metadata, spec), got " +
                     std::string(root.kind == YamlNode::Kind::Sequence ? "a list" : "a scalar"));
      return;
    }
    scope.resource = peek_resource_id(scope.yaml, root);
    Object top = document.object({"apiVersion", "kind", "metadata", "spec", "status"});
    Value api_version = top.require("apiVersion");
    Value kind_value = top.require("kind");
    auto version = api_version.string();
    auto kind_name = kind_value.string();
    std::optional<Kind> kind;
    if (version && kind_name) kind = resolve_kind(api_version, *version, kind_value, *kind_name);
    auto metadata = read_metadata(top.require("metadata"), kind == Kind::Gateway);
    if (!kind || !metadata) return;

    ResourceBase base{*version, *kind_name, std::move(*metadata), {scope.file, root.line}};
    scope.resource = base.id();
    scope.proto_field_names = find_group(*version)->istio;
    // Kinds whose fields are all optional may leave out spec too (an AuthorizationPolicy
    // without spec allows nothing).
    bool optional_spec = *kind == Kind::MeshConfig || *kind == Kind::RequestAuthentication ||
                         *kind == Kind::AuthorizationPolicy;
    Value spec = optional_spec ? top.get("spec") : top.require("spec");
    switch (*kind) {
      case Kind::Gateway:
        return decode_into(scope, base, snapshot_.gateways,
                           [&](Gateway& out) { decode_gateway(spec, out); });
      case Kind::VirtualService:
        return decode_into(scope, base, snapshot_.virtual_services,
                           [&](VirtualService& out) { decode_virtual_service(spec, out, refs_); });
      case Kind::ServiceEntry:
        return decode_into(scope, base, snapshot_.service_entries,
                           [&](ServiceEntry& out) { decode_service_entry(spec, out); });
      case Kind::DestinationRule:
        return decode_into(scope, base, snapshot_.destination_rules,
                           [&](DestinationRule& out) { decode_destination_rule(spec, out); });
      case Kind::RequestAuthentication:
        return decode_into(
            scope, base, snapshot_.request_authentications,
            [&](RequestAuthentication& out) { decode_request_authentication(spec, out); });
      case Kind::AuthorizationPolicy:
        return decode_into(
            scope, base, snapshot_.authorization_policies,
            [&](AuthorizationPolicy& out) { decode_authorization_policy(spec, out, refs_); });
      case Kind::Listener:
        return decode_into(scope, base, snapshot_.listeners,
                           [&](Listener& out) { decode_listener(spec, out, refs_); });
      case Kind::TargetGroup:
        return decode_into(scope, base, snapshot_.target_groups,
                           [&](TargetGroup& out) { decode_target_group(spec, out, refs_); });
      case Kind::MeshConfig: {
        MeshConfig mesh;
        static_cast<ResourceBase&>(mesh) = base;
        decode_mesh_config(spec, mesh);
        if (mesh_config_at_) {
          document.error("only one MeshConfig is allowed; the first is at " +
                         mesh_config_at_->file + ":" + std::to_string(mesh_config_at_->line));
          return;
        }
        mesh_config_at_ = mesh.where;
        snapshot_.mesh = std::move(mesh);
        return;
      }
      case Kind::IdentityProvider:
        return decode_into(scope, base, identity_providers_,
                           [&](IdentityProvider& out) { decode_identity_provider(spec, out); });
    }
  }

  template <class Resource, class Decode>
  void decode_into(DocumentScope& scope, const ResourceBase& base, std::vector<Resource>& into,
                   Decode decode) {
    Resource resource;
    static_cast<ResourceBase&>(resource) = base;
    decode(resource);
    auto [first, inserted] = seen_.emplace(resource.id(), resource.where);
    if (!inserted) {
      diagnostics_.report(resource.where, scope.resource,
                          "duplicate resource; first defined at " + first->second.file + ":" +
                              std::to_string(first->second.line));
      return;
    }
    into.push_back(std::move(resource));
  }

  std::optional<Kind> resolve_kind(const Value& version_value, const std::string& version,
                                   const Value& kind_value, const std::string& kind) {
    const ApiGroup* group = find_group(version);
    if (group == nullptr) {
      version_value.error(
          with_suggestion("unknown apiVersion " + quote(version), version, kApiVersions));
      return std::nullopt;
    }
    std::vector<std::string_view> names;
    for (const KindName& candidate : group->kinds) {
      if (candidate.name == kind) return candidate.kind;
      names.push_back(candidate.name);
    }
    std::string message = "unknown kind " + quote(kind) + " for apiVersion " + version;
    for (const ApiGroup& other : kApiGroups) {
      for (const KindName& candidate : other.kinds) {
        if (candidate.name == kind) {
          kind_value.error(message + " (it is in apiVersion " + std::string(other.versions.back()) +
                           ")");
          return std::nullopt;
        }
      }
    }
    kind_value.error(with_suggestion(std::move(message), kind, names));
    return std::nullopt;
  }

  Diagnostics diagnostics_;
  RegexCheck regexes_;
  Snapshot snapshot_;
  CrossReferences refs_;
  std::map<std::string, SourceLocation> seen_;
  std::optional<SourceLocation> mesh_config_at_;
  std::vector<IdentityProvider> identity_providers_;
};

}  // namespace

bool require_item(const Value& item) {
  if (!item.present()) item.error("must not be null");
  return item.present();
}

std::optional<Object> read_item(const Value& item, std::initializer_list<std::string_view> fields) {
  if (!require_item(item)) return std::nullopt;
  Object object = item.object(fields);
  if (!object.present()) return std::nullopt;
  return object;
}

Labels read_labels(const Value& value) {
  Labels labels;
  for (auto& [key, label] : value.entries()) {
    if (auto problem = check_label_key(key)) {
      label.error("invalid label key " + quote(key) + ": " + *problem);
    }
    std::string text = label.string().value_or("");
    if (auto problem = check_label_value(text)) {
      label.error("invalid label value " + quote(text) + ": " + *problem);
    }
    labels[key] = std::move(text);
  }
  return labels;
}

std::string Error::to_string() const {
  std::string out = where.file + ":" + std::to_string(where.line) + ": ";
  if (!resource.empty()) out += "resource " + resource + ": ";
  return out + message;
}

LoadResult load(std::span<const SourceFile> files) {
  Loader loader;
  for (const SourceFile& file : files) loader.load_file(file);
  return loader.finish();
}

}  // namespace gatehouse::config
