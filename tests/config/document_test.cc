// Document-level rules: apiVersion/kind/metadata, unknown fields, types, duplicates,
// multi-document files and the error format.
#include <gtest/gtest.h>

#include "config/loader.h"
#include "test_support.h"

namespace gatehouse::config {
namespace {

using testing::error_strings;
using testing::expect_error;
using testing::expect_errors;
using testing::expect_ok;
using testing::gatehouse;
using testing::istio;
using testing::load_text;

constexpr const char* kMeshConfig =
    "apiVersion: gatehouse.dev/v1alpha1\nkind: MeshConfig\n"
    "metadata:\n  name: mesh\nspec: {}\n";

TEST(ErrorFormat, ResourcePartOnlyWhenKnown) {
  Error with{{"a.yaml", 3}, "Gateway/foo/gw", "spec: boom"};
  Error without{{"a.yaml", 0}, "", "file is empty"};
  EXPECT_EQ(with.to_string(), "a.yaml:3: resource Gateway/foo/gw: spec: boom");
  EXPECT_EQ(without.to_string(), "a.yaml:0: file is empty");
}

TEST(Documents, EmptyFilesAndDocumentsAreSkipped) {
  expect_ok("");
  expect_ok("# only a comment\n");
  expect_ok("---\n---\n# nothing\n---\n");
  LoadResult result = load_text("---\n" + std::string(kMeshConfig) + "---\n---\n");
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(result.snapshot.mesh.metadata.name, "mesh");
}

TEST(Documents, MultipleDocumentsKeepFileOrderAndLines) {
  LoadResult result = load_text(istio("ServiceEntry", "hosts: [a.example.com]", "a") + "---\n" +
                                istio("ServiceEntry", "hosts: [b.example.com]", "b"));
  ASSERT_TRUE(result.ok()) << error_strings(result)[0];
  ASSERT_EQ(result.snapshot.service_entries.size(), 2u);
  EXPECT_EQ(result.snapshot.service_entries[0].metadata.name, "a");
  EXPECT_EQ(result.snapshot.service_entries[1].metadata.name, "b");
  EXPECT_EQ(result.snapshot.service_entries[1].where.line, 9);
}

TEST(Documents, NonMappingDocumentIsAnError) {
  expect_error("- a\n- b\n",
               "test.yaml:1: expected a resource (a mapping with apiVersion, kind, metadata, "
               "spec), got a list");
  expect_error("just text\n",
               "test.yaml:1: expected a resource (a mapping with apiVersion, kind, metadata, "
               "spec), got a scalar");
}

TEST(Documents, ApiVersionIsRequired) {
  expect_error("kind: Gateway\nmetadata:\n  name: gw\nspec: {}\n",
               "test.yaml:1: resource Gateway/default/gw: missing required field \"apiVersion\"");
}

TEST(Documents, KindIsRequired) {
  expect_error("apiVersion: gatehouse.dev/v1alpha1\nmetadata:\n  name: x\n",
               "test.yaml:1: missing required field \"kind\"");
}

TEST(Documents, MetadataIsRequired) {
  expect_error("apiVersion: gatehouse.dev/v1alpha1\nkind: MeshConfig\nspec: {}\n",
               "test.yaml:1: missing required field \"metadata\"");
}

TEST(Documents, MetadataNameIsRequired) {
  expect_error(
      "apiVersion: gatehouse.dev/v1alpha1\nkind: MeshConfig\nmetadata:\n"
      "  namespace: x\nspec: {}\n",
      "test.yaml:3: metadata: missing required field \"name\"");
}

TEST(Documents, SpecIsRequiredExceptForMeshConfig) {
  expect_error("apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: gw\n",
               "test.yaml:1: resource Gateway/default/gw: missing required field \"spec\"");
  expect_ok("apiVersion: gatehouse.dev/v1alpha1\nkind: MeshConfig\nmetadata:\n  name: m\n");
}

TEST(Documents, UnknownApiVersionSuggestsKnownOne) {
  expect_error(testing::resource("networking.istio.io/v1beta", "Gateway", "{}"),
               "test.yaml:1: resource Gateway/foo/demo: apiVersion: unknown apiVersion "
               "\"networking.istio.io/v1beta\" (did you mean \"networking.istio.io/v1beta1\"?)");
}

TEST(Documents, UnknownKindSuggestsKnownOne) {
  expect_error(istio("VirtualServce", "hosts: [a]"),
               "test.yaml:2: resource VirtualServce/foo/demo: kind: unknown kind "
               "\"VirtualServce\" for apiVersion networking.istio.io/v1alpha3 (did you mean "
               "\"VirtualService\"?)");
  expect_error(gatehouse("Gateway", "servers: []"),
               "test.yaml:2: resource Gateway/foo/demo: kind: unknown kind \"Gateway\" for "
               "apiVersion gatehouse.dev/v1alpha1 (it is in apiVersion networking.istio.io/v1)");
}

TEST(Documents, UnknownTopLevelFieldNamesTheResource) {
  expect_error(
      "apiVersion: gatehouse.dev/v1alpha1\nkind: MeshConfig\nspce: {}\n"
      "metadata:\n  name: mesh\n",
      "test.yaml:3: resource MeshConfig/default/mesh: unknown field \"spce\" (did you "
      "mean \"spec\"?)");
}

TEST(Documents, UnknownMetadataFieldIsAnError) {
  expect_error(
      "apiVersion: gatehouse.dev/v1alpha1\nkind: MeshConfig\nmetadata:\n  name: m\n"
      "  lables: {a: b}\n",
      "test.yaml:5: resource MeshConfig/default/m: metadata: unknown field \"lables\" "
      "(did you mean \"labels\"?)");
}

TEST(Documents, StatusAndKubernetesBookkeepingAreAccepted) {
  expect_ok(
      "apiVersion: gatehouse.dev/v1alpha1\nkind: MeshConfig\nmetadata:\n  name: m\n"
      "  uid: 0b5c-11\n  resourceVersion: \"42\"\n  generation: 3\n"
      "  creationTimestamp: 2024-01-31T12:00:00Z\nspec: {}\nstatus: {}\n");
}

TEST(Metadata, NamespaceDefaultsToDefault) {
  LoadResult result = load_text(kMeshConfig);
  EXPECT_EQ(result.snapshot.mesh.metadata.namespace_, "default");
  EXPECT_EQ(result.snapshot.mesh.id(), "MeshConfig/default/mesh");
}

TEST(Metadata, LabelsAnnotationsAndTimestampAreKept) {
  LoadResult result = load_text(
      "apiVersion: gatehouse.dev/v1alpha1\nkind: MeshConfig\nmetadata:\n  name: m\n"
      "  labels: {app: httpbin, example.com/tier: \"1\"}\n"
      "  annotations: {note: \"free text: anything\"}\n"
      "  creationTimestamp: \"2024-01-31T12:00:00Z\"\n");
  ASSERT_TRUE(result.ok()) << error_strings(result)[0];
  const Metadata& metadata = result.snapshot.mesh.metadata;
  EXPECT_EQ(metadata.labels, (Labels{{"app", "httpbin"}, {"example.com/tier", "1"}}));
  EXPECT_EQ(metadata.annotations, (Labels{{"note", "free text: anything"}}));
  EXPECT_EQ(metadata.creation_timestamp, "2024-01-31T12:00:00Z");
}

TEST(Metadata, InvalidNameIsAnError) {
  expect_error("apiVersion: gatehouse.dev/v1alpha1\nkind: MeshConfig\nmetadata:\n  name: My_Mesh\n",
               "test.yaml:4: resource MeshConfig/default/My_Mesh: metadata.name: invalid name "
               "\"My_Mesh\": must consist of lower-case letters, digits, '-' and '.', and start "
               "and end with a letter or digit");
}

TEST(Metadata, InvalidNamespaceIsAnError) {
  expect_error(testing::resource("gatehouse.dev/v1alpha1", "MeshConfig", "{}", "m", "a.b"),
               "test.yaml:5: resource MeshConfig/a.b/m: metadata.namespace: invalid namespace "
               "\"a.b\": must be a lower-case RFC 1123 label (letters, digits, '-'; at most 63)");
}

TEST(Metadata, GatewayNameMustNotContainDots) {
  expect_error(
      istio("Gateway", "servers:\n- port: {number: 80, name: http, protocol: HTTP}\n  hosts: ['*']",
            "gw.v1"),
      "test.yaml:4: resource Gateway/foo/gw.v1: metadata.name: invalid name \"gw.v1\": "
      "a Gateway name must not contain dots");
}

TEST(Metadata, InvalidLabelKeyAndValueAreErrors) {
  expect_errors(
      "apiVersion: gatehouse.dev/v1alpha1\nkind: MeshConfig\nmetadata:\n  name: m\n"
      "  labels:\n    -bad: ok\n    good: \"not ok!\"\n",
      {"test.yaml:6: resource MeshConfig/default/m: metadata.labels.-bad: invalid label "
       "key \"-bad\": name must be 1-63 characters of letters, digits, '-', '_' and '.', "
       "starting and ending with a letter or digit",
       "test.yaml:7: resource MeshConfig/default/m: metadata.labels.good: invalid label "
       "value \"not ok!\": must be at most 63 characters of letters, digits, '-', '_' "
       "and '.', starting and ending with a letter or digit"});
}

TEST(Metadata, InvalidAnnotationKeyIsAnError) {
  expect_error(
      "apiVersion: gatehouse.dev/v1alpha1\nkind: MeshConfig\nmetadata:\n  name: m\n"
      "  annotations:\n    \"a b\": x\n",
      "test.yaml:6: resource MeshConfig/default/m: metadata.annotations.a b: invalid "
      "annotation key \"a b\": name must be 1-63 characters of letters, digits, '-', '_' "
      "and '.', starting and ending with a letter or digit");
}

TEST(Metadata, CreationTimestampMustBeRfc3339Utc) {
  expect_error(
      "apiVersion: gatehouse.dev/v1alpha1\nkind: MeshConfig\nmetadata:\n  name: m\n"
      "  creationTimestamp: 2024-01-31T12:00:00.5Z\n",
      "test.yaml:5: resource MeshConfig/default/m: metadata.creationTimestamp: expected "
      "an RFC 3339 UTC time such as \"2024-01-31T12:00:00Z\", got "
      "\"2024-01-31T12:00:00.5Z\"");
  expect_error(
      "apiVersion: gatehouse.dev/v1alpha1\nkind: MeshConfig\nmetadata:\n  name: m\n"
      "  creationTimestamp: yesterday\n",
      "test.yaml:5: resource MeshConfig/default/m: metadata.creationTimestamp: expected "
      "an RFC 3339 UTC time such as \"2024-01-31T12:00:00Z\", got \"yesterday\"");
}

TEST(Documents, DuplicateResourceAcrossFilesIsAnError) {
  std::string entry = istio("ServiceEntry", "hosts: [a.example.com]", "same");
  std::vector<SourceFile> files{{"a.yaml", entry}, {"b.yaml", "---\n" + entry}};
  LoadResult result = load(files);
  EXPECT_EQ(error_strings(result),
            std::vector<std::string>{"b.yaml:2: resource ServiceEntry/foo/same: duplicate "
                                     "resource; first defined at a.yaml:1"});
  EXPECT_EQ(result.snapshot.service_entries.size(), 1u);
}

TEST(Documents, SameNameInAnotherNamespaceOrKindIsFine) {
  expect_ok(istio("ServiceEntry", "hosts: [a.example.com]", "same") + "---\n" +
            testing::resource("networking.istio.io/v1", "ServiceEntry", "hosts: [a.example.com]",
                              "same", "bar") +
            "---\n" + istio("DestinationRule", "host: a.example.com", "same"));
}

TEST(Documents, OnlyOneMeshConfig) {
  expect_error(std::string(kMeshConfig) + "---\n" + kMeshConfig,
               "test.yaml:7: resource MeshConfig/default/mesh: only one MeshConfig is allowed; "
               "the first is at test.yaml:1");
}

TEST(Documents, AllErrorsAreCollectedAcrossDocumentsAndFiles) {
  std::vector<SourceFile> files{
      {"a.yaml", istio("ServiceEntry", "hots: [x.example.com]", "one") + "---\n" +
                     istio("ServiceEntry", "hosts: [x.example.com]\nlocation: MARS", "two")},
      {"b.yaml", "a: [\n"}};
  EXPECT_EQ(error_strings(load(files)),
            (std::vector<std::string>{
                "a.yaml:7: resource ServiceEntry/foo/one: spec: unknown field \"hots\" (did you "
                "mean \"hosts\"?)",
                "a.yaml:6: resource ServiceEntry/foo/one: spec: missing required field \"hosts\"",
                "a.yaml:16: resource ServiceEntry/foo/two: spec.location: invalid value \"MARS\", "
                "expected one of MESH_EXTERNAL, MESH_INTERNAL",
                "b.yaml:2: invalid YAML: end of sequence flow not found"}));
}

TEST(Documents, DocumentsBeforeASyntaxErrorAreStillRead) {
  LoadResult result = load_text(std::string(kMeshConfig) + "---\nkey: [unclosed\n");
  EXPECT_EQ(error_strings(result),
            std::vector<std::string>{"test.yaml:8: invalid YAML: end of sequence flow not found"});
  EXPECT_EQ(result.snapshot.mesh.metadata.name, "mesh");
}

TEST(FieldNames, IstioKindsAcceptProtoNames) {
  LoadResult result =
      load_text(istio("Gateway",
                      "servers:\n- port: {number: 80, name: http, protocol: HTTP}\n  hosts: ['*']\n"
                      "  tls: {https_redirect: true}"));
  ASSERT_TRUE(result.ok()) << error_strings(result)[0];
  EXPECT_TRUE(result.snapshot.gateways[0].servers[0].https_redirect);
}

TEST(FieldNames, ProtoNameAndJsonNameTogetherAreADuplicate) {
  expect_error(istio("Gateway",
                     "servers:\n- port: {number: 80, name: http, protocol: HTTP}\n  hosts: ['*']\n"
                     "  tls: {httpsRedirect: true, https_redirect: true}"),
               "test.yaml:10: resource Gateway/foo/demo: spec.servers[0].tls: duplicate field "
               "\"https_redirect\"");
}

TEST(FieldNames, GatehouseKindsAcceptOnlyCamelCase) {
  expect_error(gatehouse("TargetGroup", "port: 80\nhealth_check_path: /"),
               "test.yaml:8: resource TargetGroup/foo/demo: spec: unknown field "
               "\"health_check_path\" (did you mean \"healthCheckPath\"?)");
}

TEST(FieldNames, RepeatedKeyIsAnError) {
  expect_error(istio("ServiceEntry", "hosts: [a.example.com]\nhosts: [b.example.com]"),
               "test.yaml:8: resource ServiceEntry/foo/demo: spec: duplicate field \"hosts\"");
}

TEST(FieldNames, NonScalarKeyIsAnError) {
  expect_error(istio("ServiceEntry", "hosts: [a.example.com]\n? [x]\n: y"),
               "test.yaml:8: resource ServiceEntry/foo/demo: spec: field names must be strings, "
               "got a list");
}

TEST(Types, MapKeysAreUniqueStrings) {
  expect_errors(
      "apiVersion: gatehouse.dev/v1alpha1\nkind: MeshConfig\nmetadata:\n  name: m\n"
      "  labels:\n    a: x\n    a: y\n    ? [k]\n    : z\n",
      {"test.yaml:7: resource MeshConfig/default/m: metadata.labels: duplicate key \"a\"",
       "test.yaml:8: resource MeshConfig/default/m: metadata.labels: keys must be "
       "strings, got a list"});
}

TEST(Types, WrongShapesAreErrorsNotCrashes) {
  expect_errors(istio("ServiceEntry", "hosts: a.example.com\nports: {number: 80}\nlocation: [x]"),
                {"test.yaml:7: resource ServiceEntry/foo/demo: spec.hosts: expected a list, got "
                 "\"a.example.com\"",
                 "test.yaml:9: resource ServiceEntry/foo/demo: spec.location: expected a string, "
                 "got a list",
                 "test.yaml:8: resource ServiceEntry/foo/demo: spec.ports: expected a list, got a "
                 "mapping"});
}

TEST(Types, SpecMustBeAMapping) {
  expect_error(istio("ServiceEntry", "[a]"),
               "test.yaml:6: resource ServiceEntry/foo/demo: spec: expected a mapping, got a list");
}

TEST(Types, NullMeansNotSet) {
  LoadResult result = load_text(istio("ServiceEntry",
                                      "hosts: [a.example.com]\nlocation:\n"
                                      "resolution: ~\naddresses: null"));
  ASSERT_TRUE(result.ok()) << error_strings(result)[0];
  EXPECT_EQ(result.snapshot.service_entries[0].location, "MESH_EXTERNAL");
  EXPECT_EQ(result.snapshot.service_entries[0].resolution, "NONE");
}

TEST(Types, IntegersMayBeQuotedButNotFractional) {
  expect_ok(istio("ServiceEntry",
                  "hosts: [a.example.com]\nports:\n"
                  "- {number: \"80\", name: http, protocol: http}"));
  expect_error(istio("ServiceEntry",
                     "hosts: [a.example.com]\nports:\n"
                     "- {number: 80.5, name: http, protocol: HTTP}"),
               "test.yaml:9: resource ServiceEntry/foo/demo: spec.ports[0].number: expected an "
               "integer, got \"80.5\"");
}

TEST(Types, BooleansMustBeUnquotedTrueOrFalse) {
  expect_error(istio("Gateway",
                     "servers:\n- port: {number: 80, name: http, protocol: HTTP}\n  hosts: ['*']\n"
                     "  tls: {httpsRedirect: \"true\"}"),
               "test.yaml:10: resource Gateway/foo/demo: spec.servers[0].tls.httpsRedirect: "
               "expected true or false, got \"true\"");
}

TEST(Types, HugeAndNegativeNumbersAreRangeErrors) {
  expect_errors(istio("ServiceEntry",
                      "hosts: [a.example.com]\nports:\n"
                      "- {number: 99999999999999999999999999, name: a, protocol: HTTP}\n"
                      "- {number: -80, name: b, protocol: HTTP}"),
                {"test.yaml:9: resource ServiceEntry/foo/demo: spec.ports[0].number: must be "
                 "between 1 and 65535, got 99999999999999999999999999",
                 "test.yaml:10: resource ServiceEntry/foo/demo: spec.ports[1].number: must be "
                 "between 1 and 65535, got -80"});
}

}  // namespace
}  // namespace gatehouse::config
