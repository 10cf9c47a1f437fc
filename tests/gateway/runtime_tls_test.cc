// Runtime::build with HTTPS listeners: certificate files read at load, relative to the YAML
// file, their problems as located config errors, expiry as warnings, and the handshake
// counters in the metrics.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../proxy/test_certificates.h"
#include "gateway/runtime.h"

namespace gatehouse::gateway {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string https_listener(const std::string& cert, const std::string& key) {
  return "apiVersion: gatehouse.dev/v1alpha1\n"
         "kind: Listener\n"
         "metadata: {name: tls}\n"
         "spec:\n"
         "  port: 8443\n"
         "  protocol: HTTPS\n"
         "  certificates:\n"
         "  - certificateFile: " +
         cert + "\n" +  // line 8
         "    keyFile: " + key + "\n" +
         "  defaultActions: [{type: fixed-response, fixedResponseConfig: {statusCode: \"200\"}}]\n";
}

class RuntimeTlsTest : public ::testing::Test {
 protected:
  Runtime::BuildResult build(const std::string& yaml, telemetry::MetricsRegistry* metrics = nullptr,
                             bool online = true) {
    return Runtime::build({config::SourceFile{yaml_file, yaml}}, metrics, online);
  }
  testing::CertificateFolder folder;
  std::string yaml_file = folder.path("gateway.yaml");
};

TEST_F(RuntimeTlsTest, ReadsCertificatesRelativeToTheYamlFile) {
  folder.make("site", "localhost", {"localhost"});
  auto built = build(https_listener("site.crt", "./site.key"));
  ASSERT_TRUE(built.errors.empty()) << built.errors[0];
  EXPECT_TRUE(built.warnings.empty());
  auto listening = built.runtime->listen_addresses();
  ASSERT_EQ(listening.size(), 1u);
  EXPECT_EQ(listening[0].at.port, 8443);
  ASSERT_NE(listening[0].tls, nullptr);
  EXPECT_EQ(listening[0].tls->certificates()[0].subject, "localhost");
  EXPECT_THAT(built.runtime->certificate_files(),
              ElementsAre(folder.path("site.crt"), folder.path("site.key")));
}

TEST_F(RuntimeTlsTest, AbsolutePathsAreTakenAsWritten) {
  auto site = folder.make("site", "localhost", {"localhost"});
  auto built = build(https_listener(site.certificate_file, site.key_file));
  ASSERT_TRUE(built.errors.empty()) << built.errors[0];
  EXPECT_NE(built.runtime->listen_addresses()[0].tls, nullptr);
}

TEST_F(RuntimeTlsTest, MissingCertificateIsALocatedError) {
  folder.make("site", "localhost", {"localhost"});
  auto built = build(https_listener("missing.crt", "site.key"));
  EXPECT_EQ(built.runtime, nullptr);
  EXPECT_THAT(built.errors,
              ElementsAre(yaml_file +
                          ":8: resource Listener/default/tls: cannot read "
                          "certificateFile \"" +
                          folder.path("missing.crt") + "\": No such file or directory"));
}

TEST_F(RuntimeTlsTest, KeyOfAnotherCertificateIsALocatedError) {
  folder.make("a", "localhost", {"localhost"});
  folder.make("b", "other.example", {"other.example"});
  auto built = build(https_listener("a.crt", "b.key"));
  EXPECT_EQ(built.runtime, nullptr);
  EXPECT_THAT(built.errors,
              ElementsAre(yaml_file + ":8: resource Listener/default/tls: keyFile \"" +
                          folder.path("b.key") + "\" does not match certificateFile \"" +
                          folder.path("a.crt") + "\""));
}

TEST_F(RuntimeTlsTest, ExpiredCertificateLoadsWithALocatedWarning) {
  folder.make("old", "old.example", {"old.example"}, -30, -1);
  auto built = build(https_listener("old.crt", "old.key"));
  ASSERT_TRUE(built.errors.empty()) << built.errors[0];
  ASSERT_NE(built.runtime, nullptr);
  ASSERT_EQ(built.warnings.size(), 1u);
  EXPECT_THAT(
      built.warnings[0],
      HasSubstr(yaml_file + ":8: resource Listener/default/tls: warning: certificateFile \"" +
                folder.path("old.crt") + "\" (old.example) expired on "));
}

TEST_F(RuntimeTlsTest, OfflineBuildsReadNoCertificate) {
  auto built = build(https_listener("missing.crt", "missing.key"), nullptr, /*online=*/false);
  EXPECT_TRUE(built.errors.empty());
  ASSERT_NE(built.runtime, nullptr);
  EXPECT_EQ(built.runtime->listen_addresses()[0].tls, nullptr);
}

TEST_F(RuntimeTlsTest, PlainListenersHaveNoTls) {
  auto built = build(
      "apiVersion: gatehouse.dev/v1alpha1\nkind: Listener\nmetadata: {name: plain}\nspec:\n"
      "  port: 8080\n  defaultActions: [{type: fixed-response, fixedResponseConfig: {statusCode: "
      "\"200\"}}]\n");
  ASSERT_TRUE(built.errors.empty()) << built.errors[0];
  EXPECT_EQ(built.runtime->listen_addresses()[0].tls, nullptr);
  EXPECT_TRUE(built.runtime->certificate_files().empty());
}

TEST_F(RuntimeTlsTest, HandshakesAreCountedPerListenerAndResult) {
  folder.make("site", "localhost", {"localhost"});
  telemetry::MetricsRegistry metrics(1);
  auto built = build(https_listener("site.crt", "site.key"), &metrics);
  ASSERT_TRUE(built.errors.empty()) << built.errors[0];
  const auto& tls = *built.runtime->listen_addresses()[0].tls;
  tls.count(proxy::HandshakeResult::Ok, &metrics.worker(0));
  tls.count(proxy::HandshakeResult::Ok, &metrics.worker(0));
  tls.count(proxy::HandshakeResult::Timeout, &metrics.worker(0));
  tls.count(proxy::HandshakeResult::Failed, nullptr);  // no metrics: nothing
  const std::string page = metrics.render_prometheus();
  EXPECT_THAT(page, HasSubstr("gatehouse_tls_handshakes_total{listener=\"tls\",result=\"ok\"} 2"));
  EXPECT_THAT(page,
              HasSubstr("gatehouse_tls_handshakes_total{listener=\"tls\",result=\"timeout\"} 1"));
  EXPECT_THAT(page, ::testing::Not(HasSubstr("result=\"failed\"")));
}

}  // namespace
}  // namespace gatehouse::gateway
