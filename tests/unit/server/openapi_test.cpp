#include "server/openapi_document.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "audit/audit_log.hpp"
#include "audit/audit_schema.hpp"
#include "complaints/complaint_records.hpp"
#include "pipeline/blocklist_hashes.hpp"
#include "server/audit_routes.hpp"
#include "server/chat_proxy.hpp"
#include "server/complaint_routes.hpp"
#include "server/detection_routes.hpp"
#include "server/governance_routes.hpp"
#include "server/identity_routes.hpp"
#include "server/pipeline_routes.hpp"
#include "server/system_routes.hpp"
#include "store/migration.hpp"
#include "support/server_harness.hpp"
#include "support/test_backends.hpp"

namespace synthgate::server {
namespace {

using nlohmann::json;

// Every route the server has, as the document should list it. Modules that add routes add
// their registration call here, so the document cannot drift from the server. The registries
// only hold references; the tests call nothing that needs their tables.
class AllRoutes {
 public:
  AllRoutes(GatewayServer& server, store::Store& store, audit::AuditLog& audit_log)
      : vault_(store, audit_log, {}, random_),
        ids_(clock_, random_),
        governance_(store, audit_log, clock_, ids_),
        users_(store, audit_log, vault_, clock_, ids_),
        consents_(store, audit_log, vault_, clock_, ids_),
        records_(store),
        admissions_(records_, users_, consents_, {}, audit_log, clock_, ids_),
        outputs_(records_, {}, {}, audit_log, clock_, ids_, {}),
        complaints_(store, audit_log, vault_, clock_, ids_, random_),
        hashes_(store, blocklist_, {}),
        desk_(complaints_, records_, hashes_, users_, audit_log, clock_) {
    add_system_routes(server, store);
    add_audit_routes(server, audit_log);
    add_identity_routes(server, users_);
    add_consent_routes(server, consents_);
    add_pipeline_routes(server, admissions_, outputs_, records_, users_, {});
    add_detection_routes(server, {}, {&metadata_key_, &watermark_key_}, ids_);
    add_governance_routes(server, governance_, {});
    add_chat_proxy_routes(
        server, {users_, lexicon_, audit_log, ids_, make_logger("t", {"off", LogFormat::kText})},
        {});
    add_complaint_routes(
        server,
        {complaints_, desk_, records_, limits_, clock_, &metadata_key_, &watermark_key_, nullptr},
        {});
  }

 private:
  SystemClock clock_;
  SecureRandom random_;
  identity::PersonalDataVault vault_;
  IdGenerator ids_;
  governance::GovernanceRecords governance_;
  identity::UserRegistry users_;
  consent::ConsentRegistry consents_;
  pipeline::PipelineRecords records_;
  pipeline::AdmissionDesk admissions_;
  pipeline::OutputDesk outputs_;
  const Ed25519SigningKey metadata_key_ = Ed25519SigningKey::generate(random_);
  const SecretBytes watermark_key_{std::vector<std::uint8_t>(32, 7)};
  const moderation::ActiveLexicon lexicon_{nullptr};
  complaints::ComplaintRecords complaints_;
  moderation::ActiveBlocklist blocklist_;
  pipeline::BlocklistHashes hashes_;
  server::ComplaintDesk desk_;
  const complaints::ComplaintLimits limits_{ComplaintsConfig{}.limits};
};

std::set<RouteInfo> served_routes(store::Store& store, audit::AuditLog& audit_log) {
  GatewayServer server(ServerConfig{}, make_logger("t", {"off", LogFormat::kText}));
  AllRoutes routes(server, store, audit_log);
  return {server.routes().begin(), server.routes().end()};
}

std::set<RouteInfo> documented_routes(const json& doc) {
  static const std::set<std::string> kMethods = {"get",   "put",     "post", "delete",
                                                 "patch", "options", "head"};
  std::set<RouteInfo> out;
  for (const auto& [path, item] : doc.at("paths").items()) {
    for (const auto& [method, operation] : item.items()) {
      if (kMethods.count(method)) out.insert({method, path});
    }
  }
  return out;
}

class OpenApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = db_.open(db_.url());
    ASSERT_NE(s, nullptr);
    store_ = std::move(s);
    const std::vector<store::MigrationSet> sets = {audit::audit_migrations(),
                                                   complaints::complaint_migrations(),
                                                   governance::governance_migrations()};
    ASSERT_TRUE(store::migrate(*store_, sets, clock_));
    audit_log_ = std::make_unique<audit::AuditLog>(*store_, AuditConfig{}, clock_, nullptr);
  }
  testing::TestDatabase db_{"sqlite"};
  std::unique_ptr<store::Store> store_;
  SystemClock clock_;
  std::unique_ptr<audit::AuditLog> audit_log_;
};

TEST_F(OpenApiTest, IsAnOpenApi31Document) {
  const json doc = json::parse(openapi_document());
  EXPECT_EQ(doc.at("openapi"), "3.1.0");
  EXPECT_TRUE(doc.at("info").contains("title"));
  EXPECT_TRUE(doc.at("components").at("schemas").contains("Error"));
}

TEST_F(OpenApiTest, ListsExactlyTheRoutesTheServerHas) {
  const json doc = json::parse(openapi_document());
  EXPECT_EQ(documented_routes(doc), served_routes(*store_, *audit_log_));
}

TEST_F(OpenApiTest, EveryOperationHasAnIdAndResponses) {
  const json doc = json::parse(openapi_document());
  std::set<std::string> ids;
  for (const auto& route : documented_routes(doc)) {
    const json& op = doc["paths"][route.path][route.method];
    ASSERT_TRUE(op.contains("operationId")) << route.path;
    EXPECT_TRUE(ids.insert(op["operationId"].get<std::string>()).second) << "duplicate operationId";
    EXPECT_FALSE(op.at("responses").empty()) << route.path;
  }
}

TEST_F(OpenApiTest, EveryDocumentedGetAnswersWithADocumentedStatus) {
  testing::ServerHarness harness;
  AllRoutes routes(harness.server(), *store_, *audit_log_);
  harness.start();
  auto client = harness.client();
  const json doc = json::parse(openapi_document());
  for (const auto& route : documented_routes(doc)) {
    if (route.method != "get" || route.path.find('{') != std::string::npos) continue;
    auto res = client.Get(route.path);
    ASSERT_TRUE(res) << route.path;
    EXPECT_TRUE(doc["paths"][route.path]["get"]["responses"].contains(std::to_string(res->status)))
        << route.path << " answered " << res->status;
  }
}

}  // namespace
}  // namespace synthgate::server
